"""``dutylist check``: the policy rules DL201–DL209, one table of cases per rule, and the
configuration that selects, tunes and waives them.

Each case writes a base (2024) and a head (2025, ``previous: "2024"``) from YAML strings;
a finding is asserted as (code, file, line) with the line taken from the written text, so
a case says exactly where a user would be sent.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from dutylist.check import CheckOptions, CheckResult, run_check
from dutylist.checks.rules.document_number import canonical
from dutylist.config import ConfigError, load_config
from dutylist.diagnostics import Severity

from .builders import CATALOGUE, write_version

UNITS = """\
departments:
  - {id: zrzy, name: 县自然资源局}
  - {id: yjj, name: 县应急管理局}
townships:
  - {id: fgz, name: 府谷镇, kind: town}
  - {id: hsz, name: 黄甫镇, kind: town}
villages:
  - {id: fgz-hc, name: 黄河村, township: fgz}
"""
DUTIES = "lead_duty: 负责审批, township_duty: 做好巡查"
KEEP = "{id: K-001, name: 发展村级集体经济}"  # an item both versions hold, so files are never empty
NEW = "{id: N-001, name: 农村宅基地审批监管}"
NEW_OK = "{id: N-001, name: 农村宅基地审批监管, approval: 府办发〔2025〕12号}"
COOP = f"{{id: N-001, name: 农村宅基地审批监管, lead: zrzy, {DUTIES}}}"
RECALLED = "{id: N-001, name: 农村宅基地审批监管, receiver: zrzy, method: 部门执法，乡镇提供线索}"
POWER = "{id: N-001, name: 农村宅基地审批监管, power_type: 行政处罚}"


def unit(uid: str, **lists: str | list[str]) -> str:
    out = [f"unit: {uid}\n"]
    for key, value in lists.items():
        items = [value] if isinstance(value, str) else value
        out.append(f"{key}:\n" + "".join(f"  - {item}\n" for item in items))
    return "".join(out)


def record(rid: str, kind: str, items: list[str] | None = None, **more: Any) -> str:
    text = f"- id: {rid}\n  kind: {kind}\n"
    if items is not None:
        text += f"  items: [{', '.join(items)}]\n"
    for key, value in more.items():
        text += f"  {key}: {'[' + ', '.join(value) + ']' if isinstance(value, list) else value}\n"
    return text


def check(
    tmp_path: Path,
    base: dict[str, str],
    head: dict[str, str],
    records: list[str] | None = None,
    config: str | None = None,
    **options: Any,
) -> CheckResult:
    write_version(tmp_path, "2024", {"units.yaml": UNITS, "units/fgz.yaml": unit("fgz", basic=KEEP), **base})
    head_files = {
        "catalogue.yaml": CATALOGUE.format(label="2025") + 'previous: "2024"\n',
        "units.yaml": UNITS,
        "units/fgz.yaml": unit("fgz", basic=KEEP),
        **head,
    }
    if records is not None:
        head_files["adjustments.yaml"] = "".join(records)
    write_version(tmp_path, "2025", head_files)
    if config is not None:
        (tmp_path / "dutylist.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    return run_check(CheckOptions(head="2025", root=tmp_path, config=load_config(tmp_path), use_cache=False, **options))


def line_of(tmp_path: Path, rel: str, needle: str) -> int:
    text = (tmp_path / rel).read_text(encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def found(result: CheckResult, *codes: str) -> list[tuple[str, str, int]]:
    return [(d.code, d.file, d.line) for d in result.diagnostics if not codes or d.code in codes]


# --- DL201: a duty newly put on a township without approval --------------------------


@pytest.mark.parametrize(
    ("name", "base", "head", "expect"),
    [
        ("added to a township", {}, {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW])}, "fgz"),
        ("added, with approval", {}, {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW_OK])}, None),
        (
            "delegated from a department",
            {"units/zrzy.yaml": unit("zrzy", powers=POWER)},
            {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW])},
            "fgz",
        ),
        (
            "recalled turned back into a duty (delegated)",
            {"units/fgz.yaml": unit("fgz", basic=KEEP, recalled=RECALLED)},
            {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW])},
            "fgz",
        ),
        (
            "extended to another township",
            {"units/hsz.yaml": unit("hsz", basic=NEW)},
            {"units/hsz.yaml": unit("hsz", basic=NEW), "units/fgz.yaml": unit("fgz", basic=[KEEP, NEW])},
            "fgz",
        ),
        (
            "cooperative turned into basic",
            {"units/fgz.yaml": unit("fgz", basic=KEEP, cooperative=COOP)},
            {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW])},
            "fgz",
        ),
        (
            "basic turned into cooperative lightens the load",
            {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW])},
            {"units/fgz.yaml": unit("fgz", basic=KEEP, cooperative=COOP)},
            None,
        ),
        (
            "withdrawn to a department is no new duty",
            {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW])},
            {"units/fgz.yaml": unit("fgz", basic=KEEP, recalled=RECALLED)},
            None,
        ),
        ("added to a department only", {}, {"units/zrzy.yaml": unit("zrzy", powers=POWER)}, None),
        (
            "unchanged item without approval",
            {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW])},
            {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW])},
            None,
        ),
    ],
)
def test_dl201_new_duty(
    tmp_path: Path, name: str, base: dict[str, str], head: dict[str, str], expect: str | None
) -> None:
    result = check(tmp_path, base, head)
    got = found(result, "DL201")
    if expect is None:
        assert got == [], name
        return
    rel = f"2025/units/{expect}.yaml"
    assert got == [("DL201", rel, line_of(tmp_path, rel, "N-001"))], name
    d = next(d for d in result.diagnostics if d.code == "DL201")
    assert d.path == "basic[id=N-001]" and d.params["units"] == [expect]
    assert "府谷镇" in d.message("zh") and "approval" in d.hint("en")


def test_dl201_template_item_is_reported_once_at_the_template(tmp_path: Path) -> None:
    tpl = "template: common\nbasic:\n  - " + NEW + "\n"
    inc = "include: [common]\n"
    result = check(
        tmp_path,
        {},
        {
            "templates/common.yaml": tpl,
            "units/fgz.yaml": "unit: fgz\n" + inc + "basic:\n  - " + KEEP + "\n",
            "units/hsz.yaml": "unit: hsz\n" + inc,
        },
    )
    assert found(result, "DL201") == [("DL201", "2025/templates/common.yaml", 3)]
    d = result.diagnostics[[x.code for x in result.diagnostics].index("DL201")]
    assert d.params["units"] == ["fgz", "hsz"]
    assert "府谷镇、黄甫镇" in d.message("zh")


# --- DL202 / DL203: adjustment records against the diff ------------------------------

ADDED = {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW_OK])}
TWO = {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW]), "units/hsz.yaml": unit("hsz", basic=NEW)}
WITHDRAWN = {
    "units/fgz.yaml": unit("fgz", basic=KEEP, recalled=RECALLED),
    "units/hsz.yaml": unit("hsz", recalled=RECALLED),
}


@pytest.mark.parametrize(
    ("name", "base", "head", "records", "dl202", "dl203"),
    [
        ("undeclared addition", {}, ADDED, None, 1, 0),
        ("declared addition", {}, ADDED, [record("TZ-1", "added", ["N-001"], basis="府办发〔2025〕1号")], 0, 0),
        ("declared with the wrong kind", {}, ADDED, [record("TZ-1", "delegated", ["N-001"])], 1, 1),
        ("declared for another item", {}, ADDED, [record("TZ-1", "added", ["N-002"])], 1, 1),
        (
            "withdrawn, declared for both",
            TWO,
            WITHDRAWN,
            [record("TZ-1", "withdrawn", ["N-001"], basis="府办发〔2025〕1号")],
            0,
            0,
        ),
        (
            "withdrawn, record narrowed to one township",
            TWO,
            WITHDRAWN,
            [record("TZ-1", "withdrawn", ["N-001"], units=["fgz"], basis="府办发〔2025〕1号")],
            1,
            0,
        ),
        (
            "withdrawn, two records cover both townships",
            TWO,
            WITHDRAWN,
            [
                record("TZ-1", "withdrawn", ["N-001"], units=["fgz"], basis="府办发〔2025〕1号"),
                record("TZ-2", "withdrawn", ["N-001"], units=["hsz"], basis="府办发〔2025〕2号"),
            ],
            0,
            0,
        ),
        (
            "withdrawn to the receiver named in to",
            TWO,
            WITHDRAWN,
            [record("TZ-1", "withdrawn", ["N-001"], to="zrzy", basis="府办发〔2025〕1号")],
            0,
            0,
        ),
        (
            "withdrawn, to names another department",
            TWO,
            WITHDRAWN,
            [record("TZ-1", "withdrawn", ["N-001"], to="yjj", basis="府办发〔2025〕1号")],
            1,
            1,
        ),
        (
            "nothing changed, a record anyway",
            {},
            {},
            [record("TZ-1", "revoked", ["K-001"], basis="府办发〔2025〕1号")],
            0,
            1,
        ),
        (
            "unit renamed, not declared",
            {},
            {"units.yaml": UNITS.replace("id: yjj", "id: yjgl, replaces: [yjj]")},
            None,
            1,
            0,
        ),
        (
            "unit renamed, declared",
            {},
            {"units.yaml": UNITS.replace("id: yjj", "id: yjgl, replaces: [yjj]")},
            [record("TZ-1", "unit_renamed", units=["yjgl"])],
            0,
            0,
        ),
    ],
)
def test_dl202_dl203_reconciliation(
    tmp_path: Path,
    name: str,
    base: dict[str, str],
    head: dict[str, str],
    records: list[str] | None,
    dl202: int,
    dl203: int,
) -> None:
    result = check(tmp_path, base, head, records)
    assert (len(found(result, "DL202")), len(found(result, "DL203"))) == (dl202, dl203), name


def test_dl202_points_at_the_item_or_at_adjustments_for_revoked(tmp_path: Path) -> None:
    result = check(
        tmp_path,
        {"units/hsz.yaml": unit("hsz", basic=NEW)},
        {"units/fgz.yaml": unit("fgz", basic=[KEEP, "{id: N-002, name: 新事项, approval: 府办发〔2025〕1号}"])},
        [record("TZ-9", "modified", ["K-001"])],
    )
    rows = found(result, "DL202")
    assert ("DL202", "2025/units/fgz.yaml", line_of(tmp_path, "2025/units/fgz.yaml", "N-002")) in rows
    assert ("DL202", "2025/adjustments.yaml", 1) in rows  # N-001 revoked: declare it there
    revoked = next(d for d in result.diagnostics if d.code == "DL202" and d.params["item"] == "N-001")
    assert "取消" in revoked.message("zh") and "kind: revoked" in revoked.hint("en")
    dl203 = next(d for d in result.diagnostics if d.code == "DL203")
    assert (dl203.line, dl203.path) == (1, "[id=TZ-9]")


def test_dl203_says_what_happened_instead(tmp_path: Path) -> None:
    result = check(tmp_path, TWO, WITHDRAWN, [record("TZ-1", "revoked", ["N-001"], basis="府办发〔2025〕1号")])
    d = next(d for d in result.diagnostics if d.code == "DL203")
    assert "实际为上收" in d.message("zh") and "was withdrawn" in d.message("en")


def test_records_already_in_the_base_do_not_count(tmp_path: Path) -> None:
    """A pull request against the same version: only the records it adds must match its changes."""
    rec = record("TZ-1", "added", ["N-001"], basis="府办发〔2025〕1号")
    write_version(
        tmp_path,
        "2025",
        {"units.yaml": UNITS, "units/fgz.yaml": unit("fgz", basic=[KEEP, NEW_OK]), "adjustments.yaml": rec},
    )
    pr = tmp_path / "pr"
    write_version(
        pr, "2025", {"units.yaml": UNITS, "units/fgz.yaml": unit("fgz", basic=[KEEP, NEW_OK]), "adjustments.yaml": rec}
    )
    result = run_check(CheckOptions(head=str(pr / "2025"), base=str(tmp_path / "2025"), root=tmp_path, use_cache=False))
    assert found(result) == []  # TZ-1 is in both: it does not have to match a change of this PR
    (pr / "2025/adjustments.yaml").write_text(rec + record("TZ-2", "added", ["N-009"]), encoding="utf-8")
    result = run_check(CheckOptions(head=str(pr / "2025"), base=str(tmp_path / "2025"), root=tmp_path, use_cache=False))
    assert [d.params.get("record") for d in result.diagnostics] == ["TZ-2"]


# --- DL204 burden growth ---------------------------------------------------------------


def test_dl204_burden_growth_and_its_threshold(tmp_path: Path) -> None:
    head = {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW_OK])}
    result = check(tmp_path, {}, head, [record("TZ-1", "added", ["N-001"], basis="府办发〔2025〕1号")])
    d = next(d for d in result.diagnostics if d.code == "DL204")
    assert (d.file, d.line, d.level) == ("2025/units/fgz.yaml", 1, Severity.WARNING)
    assert "净增 1 项" in d.message("zh") and not result.failed
    allowed = check(
        tmp_path, {}, head, [record("TZ-1", "added", ["N-001"], basis="府办发〔2025〕1号")],
        config="[check.rules.DL204]\nmax_burden_growth = 1\n",
    )  # fmt: skip
    assert found(allowed, "DL204") == []


# --- DL205 / DL206 incomplete items ----------------------------------------------------


@pytest.mark.parametrize(
    ("item_list", "item", "code", "missing"),
    [
        ("cooperative", "{id: K-002, name: 配合事项, lead: zrzy, lead_duty: 负责}", "DL205", "township_duty"),
        ("cooperative", "{id: K-002, name: 配合事项}", "DL205", "lead, lead_duty, township_duty"),
        ("cooperative", f"{{id: K-002, name: 配合事项, lead: zrzy, {DUTIES}}}", None, ""),
        ("recalled", "{id: K-002, name: 收回事项, receiver: zrzy}", "DL206", "method"),
        ("recalled", "{id: K-002, name: 收回事项, method: 部门执法}", "DL206", "receiver"),
        ("recalled", "{id: K-002, name: 收回事项, receiver: zrzy, method: 部门执法}", None, ""),
    ],
)
def test_dl205_dl206_incomplete(tmp_path: Path, item_list: str, item: str, code: str | None, missing: str) -> None:
    files = {"units/fgz.yaml": unit("fgz", basic=KEEP, **{item_list: item})}
    result = check(tmp_path, files, files)
    got = [d for d in result.diagnostics if d.code in ("DL205", "DL206")]
    if code is None:
        assert got == []
        return
    assert [(d.code, d.line, d.params["missing"]) for d in got] == [(code, 5, missing)]


# --- DL207 negative lists --------------------------------------------------------------


def test_dl207_village_negative_list_matches_by_normalised_name(tmp_path: Path) -> None:
    village = unit("fgz-hc", negative="{id: V-N-001, name: 招商引资任务}")
    files = {
        "units/fgz-hc.yaml": village,
        "units/fgz.yaml": unit("fgz", basic=[KEEP, "{id: K-009, name: 招商引資任務}"]),
    }
    result = check(tmp_path, files, files)
    assert found(result, "DL207") == [("DL207", "2025/units/fgz.yaml", 4)]
    d = next(d for d in result.diagnostics if d.code == "DL207")
    assert "黄河村" in d.message("zh") and "府谷镇" in d.message("zh")


def test_dl207_root_negative_yaml_by_id_and_its_own_errors(tmp_path: Path) -> None:
    files = {"units/fgz.yaml": unit("fgz", basic=[KEEP])}
    (tmp_path / "negative.yaml").write_text("negative:\n  - {id: K-001, name: 别的名字}\n", encoding="utf-8")
    result = check(tmp_path, files, files)
    assert found(result, "DL207") == [("DL207", "2025/units/fgz.yaml", 3)]
    (tmp_path / "negative.yaml").write_text("negative:\n  - {id: K-001, nmae: 别的名字}\n", encoding="utf-8")
    result = check(tmp_path, files, files)
    bad = [d for d in result.diagnostics if d.file.endswith("negative.yaml")]
    assert [(d.code, d.line) for d in bad] == [("DL110", 2), ("DL111", 2)] and result.failed


# --- DL208 / DL209 documents -----------------------------------------------------------


def test_dl208_withdrawn_record_without_basis(tmp_path: Path) -> None:
    result = check(tmp_path, TWO, WITHDRAWN, ["# 上收\n", record("TZ-1", "withdrawn", ["N-001"], reason="专业性强")])
    assert found(result, "DL208") == [("DL208", "2025/adjustments.yaml", 2)]
    assert found(result, "DL202", "DL203") == []


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("府办发〔2025〕12号", "府办发〔2025〕12号"),
        ("府办发[2025]12号", "府办发〔2025〕12号"),
        ("府办发(2025)12号", "府办发〔2025〕12号"),
        ("府办发（2025）12号", "府办发〔2025〕12号"),
        ("府办发【2025】12号", "府办发〔2025〕12号"),
        ("府办发2025年12号", "府办发〔2025〕12号"),
        ("府办发2025 12号", "府办发〔2025〕12号"),
        ("府办发〔2025〕第012号", "府办发〔2025〕12号"),
        ("府办发〔２０２５〕１２号", "府办发〔2025〕12号"),
        ("县政府常务会议纪要", None),
        ("府办发〔2025〕0号", None),
    ],
)
def test_dl209_canonical_document_numbers(text: str, fixed: str | None) -> None:
    assert canonical(text) == fixed


def test_dl209_findings_give_the_canonical_form(tmp_path: Path) -> None:
    head = {"units/fgz.yaml": unit("fgz", basic=[KEEP, "{id: N-001, name: 新事项, approval: '府办发[2025]3号'}"])}
    result = check(tmp_path, {}, head, [record("TZ-1", "added", ["N-001"], basis="府办发(2025)3号")])
    rows = [(d.file, d.line, d.path, d.hint("zh")) for d in result.diagnostics if d.code == "DL209"]
    assert rows == [
        ("2025/adjustments.yaml", 4, "[id=TZ-1].basis", "应写作 府办发〔2025〕3号"),
        ("2025/units/fgz.yaml", 4, "basic[id=N-001].approval", "应写作 府办发〔2025〕3号"),
    ]
    assert not result.failed  # warnings only: DL201 is satisfied by any approval


# --- configuration, severity, exceptions, fail-on ----------------------------------------


def test_select_ignore_severity_and_fail_on(tmp_path: Path) -> None:
    head = {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW])}
    ignored = check(tmp_path, {}, head, config='[check]\nignore = ["DL201", "DL204"]\n')
    assert {d.code for d in ignored.diagnostics} == {"DL202"}
    assert {r.code: r.skipped for r in ignored.rules}["DL201"] == "not selected"
    only = check(tmp_path, {}, head, config='[check]\nselect = ["DL20"]\nignore = ["DL202"]\n')
    assert {d.code for d in only.diagnostics} == {"DL201", "DL204"}
    demoted = check(
        tmp_path, {}, head, config='[check.rules.DL201]\nseverity = "warning"\n[check.rules.DL202]\nseverity = "off"\n'
    )
    assert {(d.code, d.level) for d in demoted.diagnostics} == {
        ("DL201", Severity.WARNING),
        ("DL204", Severity.WARNING),
    }
    assert not demoted.failed
    assert check(tmp_path, {}, head, config='[check]\nignore = ["DL201", "DL202"]\n', fail_on="warning").failed
    assert not check(tmp_path, {}, head, fail_on="never").failed


def test_exceptions_waive_single_findings_with_a_reason(tmp_path: Path) -> None:
    head = {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW])}
    config = """\
    [[check.exceptions]]
    rule = "DL201"
    item = "N-001"
    reason = "县委常委会已同意，文件待印发"

    [[check.exceptions]]
    rule = "DL204"
    item = "fgz"
    reason = "试点镇"
    """
    result = check(tmp_path, {}, head, config=config)
    assert {d.code for d in result.diagnostics} == {"DL202"}
    assert sorted((d.code, w.reason) for d, w in result.waived) == [
        ("DL201", "县委常委会已同意，文件待印发"),
        ("DL204", "试点镇"),
    ]


@pytest.mark.parametrize(
    ("config", "line", "text"),
    [
        ('[check]\nfail_on = "sometimes"\n', 2, "fail_on"),
        ("[check]\nselekt = []\n", 2, "selekt"),
        ("[chek]\n", 1, "chek"),
        ('[check]\nignore = ["XX1"]\n', 2, "XX1"),
        ('[check]\nignore = ["DL9"]\n', 2, "DL9"),
        ('[check.rules.DL299]\nseverity = "error"\n', 1, "DL299"),
        ("[check.rules.DL204]\nmax_burden_growth = -1\n", 2, "max_burden_growth"),
        ("[check.rules.DL204]\nmax_growth = 1\n", 2, "max_growth"),
        ('[check.rules.DL204]\nseverity = "fatal"\n', 2, "severity"),
        ('[[check.exceptions]]\nrule = "DL201"\nitem = "N-001"\n', 1, "reason"),
        ('[[check.exceptions]]\nrule = "DL201"\nitem = "N-001"\nreason = "x"\nwhy = "y"\n', 5, "why"),
    ],
)
def test_config_errors_are_located(tmp_path: Path, config: str, line: int, text: str) -> None:
    with pytest.raises(ConfigError) as info:
        check(tmp_path, {}, {}, config=config)
    assert info.value.line == line and text in info.value.message("en")


def test_pyproject_tool_dutylist(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.dutylist.check]\nfail_on = "never"\n', encoding="utf-8"
    )
    root = tmp_path / "catalogues"
    assert load_config(root).check.fail_on == "never"  # the repository's pyproject.toml, above the root
    (root).mkdir()
    (root / "dutylist.toml").write_text('[check]\nfail_on = "warning"\n', encoding="utf-8")
    assert load_config(root).check.fail_on == "warning"  # dutylist.toml in the root wins


# --- what runs when --------------------------------------------------------------------


def test_without_a_base_the_diff_rules_are_skipped(tmp_path: Path) -> None:
    write_version(
        tmp_path, "2025", {"units/fgz.yaml": unit("fgz", basic=[KEEP, NEW], cooperative="{id: C-1, name: 配合}")}
    )
    result = run_check(CheckOptions(head="2025", root=tmp_path, use_cache=False))
    assert result.base is None and {d.code for d in result.diagnostics} == {"DL205"}
    assert {r.code for r in result.rules if r.skipped == "no base"} == {"DL201", "DL202", "DL203", "DL204"}


def test_an_invalid_head_reports_validation_only(tmp_path: Path) -> None:
    result = check(tmp_path, {}, {"units/fgz.yaml": "unit: fgz\nbasic:\n  - {id: K-001}\n"})
    assert [d.code for d in result.diagnostics] == ["DL110"] and result.failed
    assert all(r.skipped == "head invalid" for r in result.rules)


def test_the_sample_catalogues_pass() -> None:
    root = Path(__file__).resolve().parents[1] / "catalogues"
    result = run_check(CheckOptions(head="2025", root=root, use_cache=False))
    assert result.base == {"spec": "2024", "version": "2024"}
    assert result.diagnostics == [] and all(r.ran for r in result.rules)
    assert result.diff is not None and result.diff.summary()["withdrawn"] == 6
