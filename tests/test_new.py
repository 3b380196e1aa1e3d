"""``dutylist new LABEL --from SPEC``: the next version starts as a copy that diffs empty."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from dutylist.cli import app

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()
ENV = {"GITHUB_ACTIONS": "", "DUTYLIST_LANG": ""}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "catalogues"
    shutil.copytree(REPO / "catalogues", root, ignore=shutil.ignore_patterns(".dutylist"))
    return root


def test_new_version_is_valid_and_diffs_empty(root: Path) -> None:
    result = runner.invoke(app, ["new", "2026", "--from", "2025", "--root", str(root)], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert "已创建" in result.stdout and "units.yaml" in result.stdout
    new, old = root / "2026", root / "2025"
    catalogue = (new / "catalogue.yaml").read_text(encoding="utf-8")
    assert 'previous: "2025"' in catalogue and "（2026年版）" in catalogue and "approval" not in catalogue
    assert catalogue.startswith("# yaml-language-server:")  # comments kept
    assert (new / "adjustments.yaml").read_text(encoding="utf-8").rstrip().endswith("[]")
    units = YAML(typ="safe").load((new / "units.yaml").read_text(encoding="utf-8"))
    assert not [u for section in units.values() for u in section if "replaces" in u]
    # files without a replaces are copied byte for byte
    assert (new / "units/taoyuan.yaml").read_bytes() == (old / "units/taoyuan.yaml").read_bytes()
    assert runner.invoke(app, ["validate", "2026", "--root", str(root)], env=ENV).exit_code == 0
    diff = runner.invoke(app, ["diff", "2025", "2026", "--root", str(root), "--exit-code"], env=ENV)
    assert diff.exit_code == 0, diff.stdout
    assert runner.invoke(app, ["check", "2026", "--root", str(root)], env=ENV).exit_code == 0


def test_new_refuses_to_overwrite_and_bad_input(root: Path) -> None:
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    for args, message in [
        (["new", "2025", "--from", "2024"], "exists"),
        (["new", "../x", "--from", "2025"], "invalid version label"),
        (["new", "2026", "--from", "1999"], "1999"),
    ]:
        result = runner.invoke(app, [*args, "--root", str(root), "--lang", "en"], env=ENV)
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before  # nothing written, no temp dir left


def test_new_from_a_compiled_list_is_refused(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert runner.invoke(app, ["compile", "2025", "--root", str(root), "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["new", "2026", "--from", str(out / "list.json"), "--root", str(root), "--lang", "en"])
    assert result.exit_code == 2 and "compiled list" in result.stderr
