"""Renumbered ids: similar names in the same unit are suggested, and --match-names accepts them."""

from __future__ import annotations

import shutil
from pathlib import Path

from dutylist.diff.names import normalise
from dutylist.diff.run import DiffOptions, run_diff

REPO = Path(__file__).resolve().parent.parent


def renumbered(tmp_path: Path) -> Path:
    for label in ("2024", "2025"):
        shutil.copytree(REPO / "catalogues" / label, tmp_path / label)
    unit = tmp_path / "2025" / "units" / "taoyuan.yaml"
    text = unit.read_text(encoding="utf-8")
    text = text.replace("  - id: TAOYUAN-B-101", "  - id: TAOYUAN-B-201").replace(
        "做好桃源古村落保护利用", "做好桃源古村落的保护利用"
    )
    unit.write_text(text, encoding="utf-8")
    return tmp_path


def test_normalisation_folds_width_script_and_punctuation() -> None:
    assert normalise("對違法建設的行政處罰（試行）") == normalise("对违法建设的行政处罚(试行)")
    assert normalise("Ａ　B") == "ab"


def test_added_and_revoked_with_similar_names_get_a_suggestion(tmp_path: Path) -> None:
    result = run_diff(DiffOptions("2024", "2025", root=renumbered(tmp_path), units=("taoyuan",))).result
    assert result is not None
    added = next(c for c in result.changes if c.kind == "added" and c.id == "TAOYUAN-B-201")
    revoked = next(c for c in result.changes if c.kind == "revoked" and c.id == "TAOYUAN-B-101")
    assert added.suggestion == {
        "id": "TAOYUAN-B-101", "name": "做好桃源古村落保护利用", "score": added.suggestion["score"],
        "target": "TAOYUAN-B-201", "replaces_line": "replaces: [TAOYUAN-B-101]",
    }  # fmt: skip
    assert 0.9 <= added.suggestion["score"] < 1
    assert revoked.suggestion is not None and revoked.suggestion["id"] == "TAOYUAN-B-201"


def test_match_names_reports_them_as_renamed_without_burden(tmp_path: Path) -> None:
    root = renumbered(tmp_path)
    plain = run_diff(DiffOptions("2024", "2025", root=root, units=("taoyuan",))).result
    matched = run_diff(DiffOptions("2024", "2025", root=root, units=("taoyuan",), match_names=0.9)).result
    assert plain is not None and matched is not None
    renamed = next(c for c in matched.changes if c.id == "TAOYUAN-B-201")
    assert renamed.kind == "renamed" and renamed.replaces == ["TAOYUAN-B-101"]
    assert not [c for c in matched.changes if c.id == "TAOYUAN-B-101"]
    assert matched.summary()["added"] == plain.summary()["added"] - 1
    assert matched.summary()["revoked"] == plain.summary()["revoked"] - 1
    (before,) = plain.units
    (after,) = matched.units
    assert (after.gained, after.lost) == (before.gained - 1, before.lost - 1)
    strict = run_diff(DiffOptions("2024", "2025", root=root, units=("taoyuan",), match_names=0.99)).result
    assert strict is not None and strict.summary()["added"] == plain.summary()["added"]


def test_match_names_and_threshold_on_the_command_line(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from dutylist.cli import app

    root = str(renumbered(tmp_path))
    runner = CliRunner()
    base = ["diff", "2024", "2025", "--root", root, "--unit", "taoyuan", "--format", "json"]
    plain = json.loads(runner.invoke(app, base).stdout)
    matched = json.loads(runner.invoke(app, [*base, "--match-names"]).stdout)
    strict = json.loads(runner.invoke(app, [*base, "--match-names", "--threshold", "0.99"]).stdout)
    assert matched["summary"]["renamed"] == plain["summary"]["renamed"] + 1
    assert strict["summary"] == plain["summary"]
    suggested = next(c for c in plain["changes"] if c["id"] == "TAOYUAN-B-201")
    assert suggested["suggestion"]["replaces_line"] == "replaces: [TAOYUAN-B-101]"
