"""dutylist log: an item's history across the versions under the root."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dutylist.cli import app

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()
ROOT = str(REPO / "catalogues")


def test_log_of_a_withdrawn_item() -> None:
    res = runner.invoke(app, ["log", "AL-B-090", "--root", ROOT], env={"GITHUB_ACTIONS": ""})
    assert res.exit_code == 0
    out = res.stdout
    assert out.index("2024  最早版本已有") < out.index("2025  上收")
    assert "上级部门收回事项（县住房和城乡建设局）" in out


def test_log_follows_replaces_and_speaks_json() -> None:
    res = runner.invoke(app, ["log", "AL-B-044", "--root", ROOT, "--format", "json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["versions"] == ["2024", "2025"]
    assert [(h["version"], h["kind"], h["id"]) for h in data["history"]] == [
        ("2024", "present", "AL-B-044"),
        ("2025", "renamed", "AL-B-135"),
    ]
    assert data["history"][1]["replaces"] == ["AL-B-044"]


def test_log_of_an_unknown_item_exits_1() -> None:
    res = runner.invoke(app, ["log", "NO-SUCH-ID", "--root", ROOT, "--lang", "en"])
    assert res.exit_code == 1
    assert "not found in 2024, 2025" in res.stdout
