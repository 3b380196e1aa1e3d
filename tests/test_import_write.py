"""``dutylist import``: spreadsheet rows into a unit's YAML — ids kept on re-import, new ids in
the unit's pattern, department names resolved or reported, existing items changed only with
--force, --dry-run as a diff, comments kept, and compile's XLSX coming back as it went out."""

from __future__ import annotations

import csv
import datetime
import shutil
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from ruamel.yaml import YAML
from typer.testing import CliRunner

from dutylist.cli import app
from dutylist.compile import CompileOptions, compile_ref
from dutylist.imports import ImportFailed, ImportOptions, ImportResult, run_import
from dutylist.imports.ids import IdAllocator, list_pattern, start_pattern
from dutylist.imports.resolve import DepartmentResolver, Unit
from dutylist.source.spec import resolve

from .builders import write_version

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


# --- helpers -----------------------------------------------------------------------------


def sheet(path: Path, rows: list[list[str]]) -> Path:
    """A UTF-8 CSV spreadsheet (what the reader takes as one sheet named after the file)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def small(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "cat"
    write_version(root, files=files)
    return root


def run(root: Path, file: Path, unit: str, **kw: Any) -> ImportResult:
    return run_import(ImportOptions(file, unit, root=root, **kw))


def cli(root: Path, file: Path, unit: str, *args: str, lang: str = "zh") -> Any:
    return runner.invoke(app, ["import", str(file), "--unit", unit, "--root", str(root), "--lang", lang, *args])


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def items(path: Path, key: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = load(path).get(key) or []
    return data


def ids_names(path: Path, key: str) -> list[tuple[str, str]]:
    return [(i["id"], i["name"]) for i in items(path, key)]


BASIC_HEADER = ["序号", "事项名称", "类别", "依据"]


# --- a new unit file -----------------------------------------------------------------------


def test_a_new_unit_file_is_laid_out_like_the_samples_and_validates(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(
        tmp_path / "黄甫镇清单.csv",
        [
            BASIC_HEADER,
            ["1", "做好辖区防汛工作", "平安法治", "《中华人民共和国防洪法》"],
            ["2", "组织开展全民健身活动", "民生服务", ""],
        ],
    )
    result = run(root, src, "hsz")
    target = root / "2025" / "units" / "hsz.yaml"
    assert result.written and result.created and result.exit_code == 0, result
    assert result.diagnostics == []
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/unit.schema.json\n")
    assert (
        "\nunit: hsz\n\nbasic:  # 基本履职事项\n  - id: HSZ-B-001  # 来源：黄甫镇清单.csv 工作表“黄甫镇清单” 第 2 行\n"
        in text
    )
    assert "    name: 做好辖区防汛工作\n    category: 平安法治\n    basis: [《中华人民共和国防洪法》]\n" in text
    assert ids_names(target, "basic") == [("HSZ-B-001", "做好辖区防汛工作"), ("HSZ-B-002", "组织开展全民健身活动")]
    assert "basis" not in items(target, "basic")[1]


def test_text_is_written_as_in_the_sheet_and_quoted_where_yaml_would_misread_it(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(
        tmp_path / "s.csv",
        [["编号", "事项名称", "具体工作"], ["000102", "ＹＥＳ 全角名称（繁體）", "yes"], ["", "no", "第一行\n第二行"]],
    )
    run(root, src, "hsz")
    target = root / "2025" / "units" / "hsz.yaml"
    got = items(target, "basic")
    assert [(i["id"], i["name"], i["tasks"]) for i in got] == [
        ("000102", "ＹＥＳ 全角名称（繁體）", "yes"),
        ("000103", "no", "第一行\n第二行"),  # a new list numbers on from the sheet's own 编号
    ]
    text = target.read_text(encoding="utf-8")
    assert "tasks: 'yes'" in text and "name: 'no'" in text and "tasks: |-\n" in text


# --- ids -------------------------------------------------------------------------------------


def test_reimporting_a_changed_sheet_keeps_every_id_and_numbers_only_the_new_row(tmp_path: Path) -> None:
    root = small(tmp_path)
    first = sheet(
        tmp_path / "v1.csv",
        [
            BASIC_HEADER,
            ["1", "发展村级集体经济", "经济发展", "《中华人民共和国村民委员会组织法》第八条"],
            ["2", "做好防汛工作", "平安法治", ""],
        ],
    )
    assert run(root, first, "fgz").exit_code == 0
    target = root / "2025" / "units" / "fgz.yaml"
    assert ids_names(target, "basic") == [("FG-B-101", "发展村级集体经济"), ("FG-B-102", "做好防汛工作")]
    before = target.read_bytes()

    # the same items with the columns in another order, and one more row
    second = sheet(
        tmp_path / "v2.csv",
        [
            ["依据", "类别", "事项名称"],
            ["《中华人民共和国村民委员会组织法》第八条", "经济发展", "发展村级集体经济"],
            ["", "民生服务", "组织开展全民健身活动"],
            ["", "平安法治", "做好防汛工作"],
        ],
    )
    result = run(root, second, "fgz")
    assert result.exit_code == 0 and result.written
    (report,) = result.lists
    assert (report.kept, [r.id for r in report.new], report.changed, report.removed) == (2, ["FG-B-103"], [], [])
    assert ids_names(target, "basic") == [
        ("FG-B-101", "发展村级集体经济"),
        ("FG-B-103", "组织开展全民健身活动"),
        ("FG-B-102", "做好防汛工作"),
    ]
    # the items that were there are byte for byte the same but for the row in their source comment
    old_lines = [line for line in before.decode().splitlines() if "来源" not in line]
    new_lines = [line for line in target.read_text(encoding="utf-8").splitlines() if "来源" not in line]
    assert [line for line in old_lines if line not in new_lines] == []


def test_a_name_written_differently_keeps_its_id_and_takes_the_sheets_text_with_force(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(tmp_path / "s.csv", [["事项名称", "类别"], ["發展 村級集體經濟", "经济发展"]])
    result = run(root, src, "fgz")
    assert result.refused and result.lists[0].changed[0].fields[0].field == "name"
    assert run(root, src, "fgz", force=True).exit_code == 0
    assert ids_names(root / "2025" / "units" / "fgz.yaml", "basic") == [("FG-B-101", "發展 村級集體經濟")]


def test_next_ids_follow_the_units_pattern_and_padding() -> None:
    pattern = list_pattern(["TAOYUAN-B-102", "TAOYUAN-B-101"])
    assert pattern is not None
    allocator = IdAllocator({"TAOYUAN-B-102", "TAOYUAN-B-103"})
    assert [allocator.next(pattern) for _ in range(2)] == ["TAOYUAN-B-104", "TAOYUAN-B-105"]
    padded = list_pattern(["TY-B-0099", "TY-B-0007"])
    assert padded is not None and IdAllocator(()).next(padded) == "TY-B-0100"
    assert IdAllocator(()).next(start_pattern("taoyuan", "powers", ["TAOYUAN-C-101"])) == "TAOYUAN-P-001"
    assert IdAllocator(()).next(start_pattern("fgz", "basic", [])) == "FGZ-B-001"
    assert IdAllocator(()).next(start_pattern("taoyuan-hx", "assist", [])) == "TAOYUAN-HX-S-001"


def test_a_new_list_takes_the_prefix_of_the_units_other_lists(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(tmp_path / "权责清单.csv", [["事项名称", "权力类型"], ["对违法建设的行政处罚", "行政处罚"]])
    result = run(root, src, "fgz")
    assert result.lists[0].list == "powers" and result.exit_code == 0
    assert ids_names(root / "2025" / "units" / "fgz.yaml", "powers") == [("FG-P-001", "对违法建设的行政处罚")]


def test_the_sheets_id_is_used_unless_the_unit_already_uses_it(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(
        tmp_path / "s.csv",
        [
            ["编号", "事项名称"],
            ["", "发展村级集体经济"],
            ["FG-B-200", "甲事项"],
            ["FG-C-012", "乙事项"],
            ["第3项", "丙事项"],
        ],
    )
    result = run(root, src, "fgz")
    assert ids_names(root / "2025" / "units" / "fgz.yaml", "basic")[1:] == [
        ("FG-B-200", "甲事项"),
        ("FG-B-102", "乙事项"),  # FG-C-012 is the unit's cooperative item
        ("FG-B-103", "丙事项"),  # not an id
    ]
    notes = " ".join(n.zh for n in result.notes)
    assert "FG-C-012 已被本单位其他事项使用" in notes and "“第3项”不能作编号" in notes


def test_rows_the_templates_already_give_the_unit_are_not_written_again(tmp_path: Path) -> None:
    template = (
        "template: common\nbasic:\n  - {id: T-B-1, name: 抓好党建工作}\n  - {id: T-B-2, name: 做好安全生产工作}\n"
    )
    fgz = "unit: fgz\ninclude: [common]\nbasic:\n  - {id: FG-B-101, name: 发展村级集体经济}\n"
    root = small(tmp_path, {"templates/common.yaml": template, "units/fgz.yaml": fgz})
    src = sheet(
        tmp_path / "s.csv", [["事项名称", "类别"], ["抓好党建工作", ""], ["发展村级集体经济", ""], ["新事项", ""]]
    )
    result = run(root, src, "fgz")
    (report,) = result.lists
    assert (report.template, report.kept, [r.id for r in report.new]) == (1, 1, ["FG-B-102"])
    assert report.template_missing == ["T-B-2"]
    assert [i["id"] for i in items(root / "2025" / "units" / "fgz.yaml", "basic")] == ["FG-B-101", "FG-B-102"]


# --- department names ----------------------------------------------------------------------


COOP_HEADER = ["事项名称", "牵头部门", "上级部门职责", "乡镇配合职责"]


def test_department_names_resolve_exactly_in_traditional_characters_and_without_the_county(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(
        tmp_path / "配合履职事项.csv",
        [
            COOP_HEADER,
            ["重大项目征地中的群众工作", "县自然资源局", "负责征地报批", "做好群众工作"],
            ["森林防火巡查", "縣應急管理局", "负责指导", "组织巡查"],
            ["地质灾害隐患排查", "府谷县自然资源局", "负责指导", "组织排查"],
            ["安全生产检查", "应急管理", "负责指导", "配合检查"],
            ["防汛物资储备", "yjj", "负责指导", "储备物资"],
        ],
    )
    result = run(root, src, "fgz")
    assert result.unresolved == [] and result.exit_code == 0
    leads = [(i["name"], i.get("lead")) for i in items(root / "2025" / "units" / "fgz.yaml", "cooperative")]
    assert leads == [
        ("重大项目征地中的群众工作", "zrzy"),
        ("森林防火巡查", "yjj"),
        ("地质灾害隐患排查", "zrzy"),
        ("安全生产检查", "yjj"),
        ("防汛物资储备", "yjj"),
    ]


def test_an_unknown_department_is_reported_commented_and_exits_1(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(tmp_path / "配合履职事项.csv", [COOP_HEADER, ["河道清障", "县水务局", "负责河道管理", "配合清障"]])
    out = cli(root, src, "hsz")
    assert out.exit_code == 1, out.output
    assert "县水务局" in out.output and "第 2 行" in out.output and "未能对应到部门编码" in out.output
    target = root / "2025" / "units" / "hsz.yaml"
    (item,) = items(target, "cooperative")
    assert "lead" not in item and item["lead_duty"] == "负责河道管理"
    assert "  # 牵头部门“县水务局”未能对应到部门编码\n  - id: HSZ-C-001" in target.read_text(encoding="utf-8")
    english = cli(root, src, "hsz", lang="en")
    assert english.exit_code == 1 and "no such department" in english.output
    assert english.output.count("县水务局") >= 1 and "row 2" in english.output


def test_an_ambiguous_department_name_is_reported_with_what_it_could_mean() -> None:
    depts = [Unit("xyj", "县应急管理局", "department"), Unit("syj", "市应急管理局", "department")]
    resolver = DepartmentResolver(depts, "府谷县")
    assert resolver.resolve("应急管理局").candidates == ("syj", "xyj")
    assert resolver.resolve("县应急管理局").id == "xyj"
    assert resolver.resolve("府谷县应急管理局").id == "xyj"


def test_a_resolved_name_removes_the_comment_on_reimport(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(tmp_path / "c.csv", [COOP_HEADER, ["河道清障", "县水务局", "负责河道管理", "配合清障"]])
    assert run(root, src, "hsz", list="cooperative").written
    fixed = sheet(tmp_path / "c2.csv", [COOP_HEADER, ["河道清障", "县应急管理局", "负责河道管理", "配合清障"]])
    refused = run(root, fixed, "hsz", list="cooperative")
    assert refused.refused and refused.lists[0].changed[0].fields[0].new == "yjj"
    result = run(root, fixed, "hsz", list="cooperative", force=True)
    target = root / "2025" / "units" / "hsz.yaml"
    assert result.exit_code == 0 and "未能对应" not in target.read_text(encoding="utf-8")
    assert [(i["id"], i.get("lead")) for i in items(target, "cooperative")] == [("HSZ-C-001", "yjj")]


# --- existing data: --force ----------------------------------------------------------------


def test_changing_an_existing_item_needs_force_and_nothing_is_written_without_it(tmp_path: Path) -> None:
    root = small(tmp_path)
    target = root / "2025" / "units" / "fgz.yaml"
    before = target.read_bytes()
    src = sheet(
        tmp_path / "s.csv", [["事项名称", "类别"], ["发展村级集体经济", "民生服务"], ["新增的事项", "民生服务"]]
    )
    out = cli(root, src, "fgz")
    assert out.exit_code == 1 and "--force" in out.output
    assert "类别：经济发展 → 民生服务" in out.output
    assert target.read_bytes() == before
    result = run(root, src, "fgz", force=True)
    assert result.written and result.exit_code == 0
    assert [(i["id"], i["category"]) for i in items(target, "basic")] == [
        ("FG-B-101", "民生服务"),
        ("FG-B-102", "民生服务"),
    ]
    # the columns the sheet does not have are left alone
    assert items(target, "basic")[0]["basis"] == ["《中华人民共和国村民委员会组织法》第八条"]


def test_an_item_the_sheet_no_longer_has_is_removed_only_with_force(tmp_path: Path) -> None:
    root = small(tmp_path)
    target = root / "2025" / "units" / "fgz.yaml"
    before = target.read_bytes()
    src = sheet(
        tmp_path / "收回.csv", [["事项名称", "承接部门", "工作方式"], ["非法采砂执法", "县自然资源局", "部门执法"]]
    )
    result = run(root, src, "fgz", list="recalled")
    assert result.refused and result.exit_code == 1 and not result.written
    assert [r.id for r in result.lists[0].removed] == ["FG-R-005"]
    assert target.read_bytes() == before
    assert run(root, src, "fgz", list="recalled", force=True).exit_code == 0
    assert ids_names(target, "recalled") == [("FG-R-006", "非法采砂执法")]
    # other lists are never touched
    assert ids_names(target, "basic") == [("FG-B-101", "发展村级集体经济")]
    assert ids_names(target, "cooperative") == [("FG-C-012", "重大项目征地中的群众工作")]


def test_adding_items_needs_no_force(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(
        tmp_path / "s.csv",
        [
            BASIC_HEADER,
            ["1", "发展村级集体经济", "经济发展", "《中华人民共和国村民委员会组织法》第八条"],
            ["2", "新事项", "", ""],
        ],
    )
    result = run(root, src, "fgz")
    assert result.written and not result.needs_force and result.exit_code == 0


# --- --dry-run ------------------------------------------------------------------------------


def test_dry_run_writes_nothing_and_shows_the_change_as_a_diff(tmp_path: Path) -> None:
    root = small(tmp_path)
    fgz = root / "2025" / "units" / "fgz.yaml"
    before = fgz.read_bytes()
    src = sheet(
        tmp_path / "s.csv", [["事项名称", "类别"], ["发展村级集体经济", "经济发展"], ["新增的事项", "民生服务"]]
    )
    out = cli(root, src, "fgz", "--dry-run")
    assert out.exit_code == 0, out.output
    assert "2025 → 2025：新增 1 项" in out.output and "FG-B-102" in out.output
    assert fgz.read_bytes() == before
    assert sorted(p.name for p in (root / "2025" / "units").iterdir()) == ["fgz.yaml"]
    assert not (root / ".dutylist").exists()

    new_unit = sheet(tmp_path / "h.csv", [["事项名称", "类别"], ["做好防汛工作", "平安法治"]])
    out = cli(root, new_unit, "hsz", "--dry-run", lang="en")
    assert out.exit_code == 0 and "2025 -> 2025: added 1" in out.output
    assert not (root / "2025" / "units" / "hsz.yaml").exists()


def test_dry_run_of_a_change_shows_the_modification_and_says_force_is_needed(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(tmp_path / "s.csv", [["事项名称", "类别"], ["发展村级集体经济", "民生服务"]])
    out = cli(root, src, "fgz", "--dry-run")
    assert out.exit_code == 1 and "调整 1 项" in out.output and "--force" in out.output


# --- comments ------------------------------------------------------------------------------

COMMENTED = """\
# yaml-language-server: $schema=../../../schemas/unit.schema.json
#
# 府谷镇履行职责事项清单。

unit: fgz

basic:  # 基本履职事项
  # 经济发展（1项）
  - id: FG-B-101  # 2024年保留
    name: 发展村级集体经济
    category: 经济发展
    basis: [《中华人民共和国村民委员会组织法》第八条]

  # 民生服务（1项）
  - id: FG-B-102
    name: 做好社会救助工作
    category: 民生服务  # 见民政文件

cooperative:  # 配合履职事项
  - id: FG-C-012
    name: 重大项目征地中的群众工作
    lead: zrzy
"""


def test_comments_stay_where_they_were(tmp_path: Path) -> None:
    root = small(tmp_path, {"units/fgz.yaml": COMMENTED})
    src = sheet(
        tmp_path / "s.csv",
        [
            ["事项名称", "类别"],
            ["发展村级集体经济", "经济发展"],
            ["培育村级合作社", "经济发展"],
            ["做好社会救助工作", "民生服务"],
        ],
    )
    assert run(root, src, "fgz").exit_code == 0
    text = (root / "2025" / "units" / "fgz.yaml").read_text(encoding="utf-8")
    assert text == textwrap.dedent("""\
        # yaml-language-server: $schema=../../../schemas/unit.schema.json
        #
        # 府谷镇履行职责事项清单。

        unit: fgz

        basic:  # 基本履职事项
          # 经济发展（1项）
          - id: FG-B-101  # 2024年保留
            name: 发展村级集体经济
            category: 经济发展
            basis: [《中华人民共和国村民委员会组织法》第八条]
          - id: FG-B-103  # 来源：s.csv 工作表“s” 第 3 行
            name: 培育村级合作社
            category: 经济发展

          # 民生服务（1项）
          - id: FG-B-102  # 来源：s.csv 工作表“s” 第 4 行
            name: 做好社会救助工作
            category: 民生服务  # 见民政文件

        cooperative:  # 配合履职事项
          - id: FG-C-012
            name: 重大项目征地中的群众工作
            lead: zrzy
        """)


def test_removing_an_item_keeps_the_group_heading_for_the_next(tmp_path: Path) -> None:
    root = small(tmp_path, {"units/fgz.yaml": COMMENTED})
    src = sheet(tmp_path / "s.csv", [["事项名称", "类别"], ["做好社会救助工作", "民生服务"]])
    assert run(root, src, "fgz", force=True).exit_code == 0
    text = (root / "2025" / "units" / "fgz.yaml").read_text(encoding="utf-8")
    assert "basic:  # 基本履职事项\n  # 经济发展（1项）\n  - id: FG-B-102" not in text
    assert "basic:  # 基本履职事项\n\n  # 民生服务（1项）\n  - id: FG-B-102" in text or (
        "basic:  # 基本履职事项\n  # 民生服务（1项）\n  - id: FG-B-102" in text
    )
    assert "# 2024年保留" not in text and "lead: zrzy" in text


def test_a_new_list_goes_in_its_place_between_the_others(tmp_path: Path) -> None:
    fgz = """\
        unit: fgz
        basic:  # 基本履职事项
          - id: FG-B-101
            name: 发展村级集体经济

        recalled:  # 上级部门收回事项
          - id: FG-R-005
            name: 煤矿井田内违规建房执法
            receiver: zrzy
          # 以上为2024年事项
        """
    root = small(tmp_path, {"units/fgz.yaml": fgz})
    coop = sheet(tmp_path / "c.csv", [["事项名称", "牵头部门"], ["征地群众工作", "县自然资源局"]])
    powers = sheet(tmp_path / "p.csv", [["事项名称", "权力类型"], ["宅基地审批", "行政许可"]])
    assert run(root, coop, "fgz", list="cooperative").exit_code == 0
    assert run(root, powers, "fgz", list="powers").exit_code == 0
    assert (root / "2025" / "units" / "fgz.yaml").read_text(encoding="utf-8") == textwrap.dedent("""\
        unit: fgz
        basic:  # 基本履职事项
          - id: FG-B-101
            name: 发展村级集体经济

        cooperative:  # 配合履职事项
          - id: FG-C-001  # 来源：c.csv 工作表“c” 第 2 行
            name: 征地群众工作
            lead: zrzy

        recalled:  # 上级部门收回事项
          - id: FG-R-005
            name: 煤矿井田内违规建房执法
            receiver: zrzy
          # 以上为2024年事项

        powers:  # 权责清单
          - id: FG-P-001  # 来源：p.csv 工作表“p” 第 2 行
            name: 宅基地审批
            power_type: 行政许可
        """)


# --- which unit, which list -----------------------------------------------------------------


def test_a_village_needs_list(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(tmp_path / "村.csv", [["事项名称", "依据"], ["管理本村财务", ""]])
    out = cli(root, src, "fgz-hc")
    assert out.exit_code == 2 and "--list" in out.output
    assert not (root / "2025" / "units" / "fgz-hc.yaml").exists()
    assert cli(root, src, "fgz-hc", "--list", "autonomy").exit_code == 0
    assert ids_names(root / "2025" / "units" / "fgz-hc.yaml", "autonomy") == [("FGZ-HC-A-001", "管理本村财务")]


def test_a_list_the_unit_cannot_hold_and_an_unknown_unit_are_usage_errors(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(tmp_path / "s.csv", [["事项名称", "依据"], ["某事项", ""]])
    out = cli(root, src, "zrzy", "--list", "basic")
    assert out.exit_code == 2 and "powers" in out.output
    out = cli(root, src, "fgzz")
    assert out.exit_code == 2 and "是否想写 'fgz'" in out.output
    with pytest.raises(ImportFailed):
        run(root, src, "府谷镇")


def test_a_department_sheet_goes_to_its_powers(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(
        tmp_path / "s.csv", [["事项名称", "权力类型", "依据"], ["对违法占地的行政处罚", "行政处罚", "《土地管理法》"]]
    )
    result = run(root, src, "zrzy")
    assert result.exit_code == 0 and result.lists[0].list == "powers"
    assert items(root / "2025" / "units" / "zrzy.yaml", "powers")[0]["power_type"] == "行政处罚"


def test_an_invalid_result_is_reported_and_exits_1(tmp_path: Path) -> None:
    root = small(tmp_path)
    src = sheet(tmp_path / "s.csv", [["事项名称", "依据"], ["对违法占地的行政处罚", "《土地管理法》"]])
    out = cli(root, src, "zrzy")  # powers without 权力类型
    assert out.exit_code == 1 and "DL110" in out.output and "power_type" in out.output


# --- .xlsx end to end, and the round trip through compile -------------------------------


def test_an_xlsx_with_title_rows_and_a_sheet_per_list(tmp_path: Path) -> None:
    root = small(tmp_path)
    path = tmp_path / "府谷镇.xlsx"
    book = xlsxwriter.Workbook(str(path))
    basic = book.add_worksheet("基本履职事项")
    basic.write_row(0, 0, ["府谷镇基本履职事项清单"])
    basic.write_row(1, 0, ["填报单位：府谷镇人民政府"])
    basic.write_row(2, 0, ["序号", "事项名称", "类别", "依据", "联系电话"])
    basic.write_row(3, 0, ["一、经济发展"])
    basic.write_row(4, 0, [1, "发展村级集体经济", None, "《中华人民共和国村民委员会组织法》第八条"])
    basic.write_row(5, 0, [2, "培育特色产业", None, None])
    basic.write_datetime(5, 3, datetime.datetime(2024, 3, 12), book.add_format({"num_format": "yyyy-mm-dd"}))
    coop = book.add_worksheet("配合履职事项")
    coop.write_row(0, 0, ["序号", "事项名称", "牵头部门", "上级部门职责", "乡镇配合职责"])
    coop.write_row(1, 0, [1, "重大项目征地中的群众工作", "县自然资源局", "负责征地报批", "做好群众工作"])
    coop.write_row(2, 0, [2, "矿山安全巡查", "县应急管理局", "负责监管", "发现报告"])
    book.close()
    out = cli(root, path, "fgz", "--all-sheets")
    assert out.exit_code == 0, out.output
    target = root / "2025" / "units" / "fgz.yaml"
    assert [(i["id"], i["name"], i.get("category")) for i in items(target, "basic")] == [
        ("FG-B-101", "发展村级集体经济", "经济发展"),
        ("FG-B-102", "培育特色产业", "经济发展"),
    ]
    assert [(i["id"], i.get("lead")) for i in items(target, "cooperative")] == [
        ("FG-C-012", "zrzy"),
        ("FG-C-013", "yjj"),
    ]
    assert "# 来源：府谷镇.xlsx 工作表“配合履职事项” 第 3 行" in target.read_text(encoding="utf-8")
    # what the reader noticed is shown with its sheet and cell
    assert "“基本履职事项” E3  列“联系电话”不对应任何字段" in out.output
    assert "“基本履职事项” D6  Excel 把这个单元格变成了日期 2024-03-12" in out.output


SHOWN_FIELDS = ("list", "name", "lead", "receiver", "lead_duty", "township_duty", "method", "power_type")


def _entries(root: Path, unit: str) -> Counter[tuple[Any, ...]]:
    result = compile_ref(resolve("2025", root), CompileOptions(root=root, use_cache=False))
    assert result.listing is not None, result.diagnostics
    return Counter(tuple(e.get(f) for f in SHOWN_FIELDS) for e in result.listing.entries() if e["unit"] == unit)


@pytest.fixture(scope="module")
def compiled_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compiled")
    result = runner.invoke(
        app,
        ["compile", "2025", "--root", str(REPO / "catalogues"), "--no-cache", "--format", "xlsx", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    return out / "xlsx" / "桃源镇（taoyuan）.xlsx"


def _samples(tmp_path: Path) -> Path:
    root = tmp_path / "catalogues"
    shutil.copytree(REPO / "catalogues", root, ignore=shutil.ignore_patterns(".dutylist"))
    return root


def test_round_trip_a_compiled_township_workbook_into_an_empty_unit(tmp_path: Path, compiled_xlsx: Path) -> None:
    root = _samples(tmp_path)
    want = _entries(root, "taoyuan")
    (root / "2025" / "units" / "taoyuan.yaml").unlink()
    out = cli(root, compiled_xlsx, "taoyuan", "--all-sheets")
    assert out.exit_code == 0, out.output
    assert _entries(root, "taoyuan") == want
    assert sum(want.values()) == 303


def test_round_trip_into_the_unit_with_its_templates_gives_back_the_same_file(
    tmp_path: Path, compiled_xlsx: Path
) -> None:
    root = _samples(tmp_path)
    target = root / "2025" / "units" / "taoyuan.yaml"
    original = target.read_text(encoding="utf-8")
    want = _entries(root, "taoyuan")
    data = load(target)
    target.write_text(f"unit: taoyuan\ninclude: {data['include']}\n".replace("'", ""), encoding="utf-8")
    result = run(root, compiled_xlsx, "taoyuan", all_sheets=True)
    assert result.exit_code == 0, result
    assert _entries(root, "taoyuan") == want
    assert sum(r.template for r in result.lists) == 300
    own = {(i["id"], i["name"]) for key in ("basic", "cooperative") for i in items(target, key)}
    assert {n for _, n in own} == {"组织桃花节文旅活动服务保障", "做好桃源古村落保护利用", "桃源景区旅游安全隐患排查"}
    assert original  # the ids are new (TAOYUAN-B-001 …): the workbook has no 编号 column


def test_reimporting_the_compiled_workbook_into_the_samples_changes_nothing_but_source_comments(
    tmp_path: Path, compiled_xlsx: Path
) -> None:
    root = _samples(tmp_path)
    target = root / "2025" / "units" / "taoyuan.yaml"
    before = target.read_text(encoding="utf-8")
    result = run(root, compiled_xlsx, "taoyuan", all_sheets=True)
    assert result.exit_code == 0 and not result.needs_force
    after = target.read_text(encoding="utf-8")
    assert [line.split("  # 来源")[0] for line in after.splitlines()] == before.splitlines()
    again = run(root, compiled_xlsx, "taoyuan", all_sheets=True)
    assert again.unchanged and not again.written
