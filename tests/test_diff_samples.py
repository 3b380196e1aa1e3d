"""diff on the sample catalogues: the reform 2025 declares against 2024, kind by kind."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dutylist.cli import app
from dutylist.diff.run import DiffOptions, run_diff

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


def test_sample_reform_is_classified_as_declared() -> None:
    result = run_diff(DiffOptions("2024", "2025", root=REPO / "catalogues")).result
    assert result is not None
    assert result.summary() == {
        "added": 7,
        "revoked": 2,
        "withdrawn": 6,
        "delegated": 3,
        "transferred": 3,
        "role_changed": 1,
        "extended": 0,
        "narrowed": 0,
        "renamed": 3,
        "merged": 0,
        "split": 0,
        "modified": 5,
        "unit_renamed": 1,
    }
    by = {(c.kind, c.id): c for c in result.changes}
    # withdrawn to a department: the township's cooperative entry becomes recalled
    c = by[("withdrawn", "AL-C-011")]
    assert {h.list for h in c.before} == {"cooperative"} and {h.list for h in c.after} == {"recalled"}
    assert {h.receiver for h in c.after} == {"jtj"}
    # a department power now done by townships
    c = by[("delegated", "MZJ-P-006")]
    assert [h.unit for h in c.before] == ["mzj"] and len(c.after) == 15
    # the renamed department's items follow it: no move is reported for them
    assert not [c for c in result.changes if "zrzy" in c.units() and c.kind != "unit_renamed"]
    assert by[("unit_renamed", "zrghj")].replaces == ["zrzy"]
    # renamed through replaces: neither added nor revoked
    assert by[("renamed", "AL-B-135")].replaces == ["AL-B-044"]
    assert ("added", "AL-B-135") not in by and ("revoked", "AL-B-044") not in by


def test_diff_json_has_the_contract_keys() -> None:
    res = runner.invoke(app, ["diff", "2024", "2025", "--format", "json", "--root", str(REPO / "catalogues")])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert set(data) >= {"schema", "base", "head", "summary", "units", "changes"}
    assert data["base"]["version"] == "2024" and data["head"]["hash"].startswith("sha256:")
    assert len(data["units"]) == 15 and all(u["net"] == u["gained"] - u["lost"] for u in data["units"])
    change = data["changes"][0]
    assert set(change) >= {"kind", "id", "name", "before", "after", "fields"}
    from dutylist.model.diffing import DiffReport

    DiffReport.model_validate(data)  # the shape schemas/diff.schema.json states


def test_diff_of_a_version_with_itself_is_empty_and_exit_code() -> None:
    root = str(REPO / "catalogues")
    res = runner.invoke(app, ["diff", "2025", "2025", "--exit-code", "--root", root])
    assert res.exit_code == 0 and "无变化" in res.stdout
    res = runner.invoke(app, ["diff", "2024", "2025", "--exit-code", "--root", root])
    assert res.exit_code == 1
    res = runner.invoke(app, ["diff", "2024", "2025", "--root", root])
    assert res.exit_code == 0
