"""Renderings of a compiled list: list.csv, xlsx/ workbooks, md/ pages.

CSV and Markdown are compared with golden files under tests/golden/ (refresh them with
``pytest --update-golden`` and review the diff); XLSX is read back with openpyxl.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from dutylist.compile import CompileOptions, compile_ref
from dutylist.compiled import ENTRY_FIELDS, CompiledList
from dutylist.render import list_xlsx
from dutylist.render.cells import safe_cell
from dutylist.render.list_csv import HEADERS, write_csv
from dutylist.render.list_markdown import md_cell, write_markdown
from dutylist.render.list_xlsx import write_xlsx
from dutylist.source.spec import resolve

from .builders import CATALOGUE, UNITS, write_version

GOLDEN = Path(__file__).parent / "golden"

TEMPLATE = """\
template: common
basic:
  - id: T-B-1
    name: 抓好党建工作
    category: 党的建设
    tasks: |-
      落实“三会一课”
      每月开展主题党日
    basis: [《中国共产党章程》, 《中国共产党农村基层组织工作条例》]
cooperative:
  - {id: T-C-1, name: 征地拆迁群众工作, lead: zrzy, lead_duty: 负责报批, township_duty: 做群众工作}
recalled:
  - {id: T-R-1, name: 煤矿安全执法, receiver: yjj, method: 部门执法，乡镇报告线索}
powers:
  - {id: T-P-1, name: 对违法建设的行政处罚, power_type: 行政处罚, basis: [《城乡规划法》第六十五条]}
"""
FGZ = """\
unit: fgz
include: [common]
basic:
  - id: FG-B-1
    name: "=1+1"
    category: 综合保障
    tasks: 甲|乙 两项*重点*工作
"""
HSZ = """\
unit: hsz
include: [common]
exclude: [T-P-1]
"""
ZRZY = """\
unit: zrzy
powers:
  - {id: ZR-P-1, name: 临时用地审批, power_type: 行政许可, basis: [《土地管理法》第五十七条]}
"""
VILLAGE = """\
unit: fgz-hc
autonomy:
  - {id: HC-A-1, name: 管理本村财务}
assist:
  - {id: HC-S-1, name: 协助开展耕地保护巡查, basis: [《村民委员会组织法》第五条]}
negative:
  - {id: HC-N-1, name: 出具亲属关系证明}
"""
FILES = {
    "catalogue.yaml": CATALOGUE.format(label="2025") + "approval: 府办发〔2025〕12号\n",
    "units.yaml": UNITS.replace("  - {id: yjj", "  - {id: czj, name: 县财政局}\n  - {id: yjj"),
    "templates/common.yaml": TEMPLATE,
    "units/fgz.yaml": FGZ,
    "units/hsz.yaml": HSZ,
    "units/zrzy.yaml": ZRZY,
    "units/fgz-hc.yaml": VILLAGE,
}

Writer = Callable[[CompiledList, Path], list[Path]]


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> CompiledList:
    root = tmp_path_factory.mktemp("catalogues")
    write_version(root, files=FILES)
    result = compile_ref(resolve("2025", root), CompileOptions(root=root, use_cache=False))
    assert result.listing is not None, result.diagnostics
    return result.listing


def rendered(writer: Writer, listing: CompiledList, out: Path) -> dict[str, bytes]:
    """The files a writer made, by path relative to ``out``; it must report exactly those."""
    out.mkdir(parents=True, exist_ok=True)
    reported = writer(listing, out)
    found = sorted(p for p in out.rglob("*") if p.is_file())
    assert sorted(reported) == found
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in found}


def check_golden(files: dict[str, bytes], golden: Path, update: bool) -> None:
    if update:
        for rel, data in files.items():
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden / rel).write_bytes(data)
        return
    expected = {p.relative_to(golden).as_posix() for p in golden.rglob("*") if p.is_file() and p.name[0] != "."}
    assert sorted(files) == sorted(expected), "files differ from tests/golden/ (pytest --update-golden to refresh)"
    for rel, data in files.items():
        want = (golden / rel).read_bytes()
        if data != want:
            assert data.decode("utf-8-sig") == want.decode("utf-8-sig"), rel  # a readable diff
            assert data == want, f"{rel}: same text, different bytes (BOM or line ends)"


# --- safe_cell -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+86 0912", "'+86 0912"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("发展村级集体经济", "发展村级集体经济"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_are_quoted(text: str, shown: str) -> None:
    assert safe_cell(text) == shown


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_matches_golden(listing: CompiledList, tmp_path: Path, update_golden: bool) -> None:
    check_golden(rendered(write_csv, listing, tmp_path), GOLDEN / "list-csv", update_golden)


def test_csv_opens_in_excel_as_utf8_with_chinese_headers(listing: CompiledList, tmp_path: Path) -> None:
    write_csv(listing, tmp_path)
    data = (tmp_path / "list.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # without the BOM Excel reads GBK and shows mojibake
    assert data.split(b"\n", 1)[0].endswith(b"\r")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(HEADERS.values())
    assert len(rows) == listing.manifest["entries"]
    first = rows[0]
    assert (first["单位名称"], first["单位类型"], first["清单"], first["序号"]) == ("府谷镇", "镇", "基本履职事项", "1")
    assert first["依据"] == "《中国共产党章程》；《中国共产党农村基层组织工作条例》"
    assert first["具体工作"] == "落实“三会一课”\n每月开展主题党日"  # a line break stays inside its cell
    assert any(row["事项名称"] == "'=1+1" for row in rows)
    coop = next(row for row in rows if row["清单"] == "配合履职事项")
    assert (coop["牵头部门"], coop["牵头部门名称"]) == ("zrzy", "县自然资源局")


def test_csv_has_one_column_per_entry_field() -> None:
    assert tuple(HEADERS) == ENTRY_FIELDS


# --- Markdown --------------------------------------------------------------------------------------


def test_markdown_matches_golden(listing: CompiledList, tmp_path: Path, update_golden: bool) -> None:
    check_golden(rendered(write_markdown, listing, tmp_path), GOLDEN / "list-md", update_golden)


def test_markdown_index_links_every_unit_with_a_page(listing: CompiledList, tmp_path: Path) -> None:
    write_markdown(listing, tmp_path)
    index = (tmp_path / "md" / "index.md").read_text(encoding="utf-8")
    assert index.startswith("# 府谷县乡镇（街道）履行职责事项清单（2025年版）\n")
    assert "- 批准文号：府办发〔2025〕12号" in index and "- 施行日期：2025-03-01" in index
    assert "| [府谷镇](fgz.md) | 镇 | 2 | 1 | 1 | 1 | 5 |" in index
    assert "| [县应急管理局](yjj.md) | 0 | 0 | 2 |" in index  # a department that only receives items
    for page in ("fgz", "hsz", "zrzy", "yjj", "fgz-hc"):
        assert f"]({page}.md)" in index and (tmp_path / "md" / f"{page}.md").exists()
    assert "| 县财政局 | 0 | 0 | 0 |" in index and not (tmp_path / "md" / "czj.md").exists()  # nothing to show


def test_markdown_tables_survive_pipes_line_breaks_and_markup(listing: CompiledList, tmp_path: Path) -> None:
    write_markdown(listing, tmp_path)
    page = (tmp_path / "md" / "fgz.md").read_text(encoding="utf-8")
    assert "| 2 | =1+1 | 综合保障 | 甲\\|乙 两项\\*重点\\*工作 |  |" in page
    assert "落实“三会一课”<br>每月开展主题党日" in page
    for table in page.split("\n\n"):
        if table.startswith("| "):  # every row has as many cells as the header: no row broken by a "|"
            assert len({line.replace("\\|", "").count("|") for line in table.strip().splitlines()}) == 1
    assert md_cell(["a", "b"]) == "a；b" and md_cell("x\r\ny") == "x<br>y"


# --- XLSX ------------------------------------------------------------------------------------------


def sheet_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()


def test_xlsx_one_workbook_per_township_department_and_village(listing: CompiledList, tmp_path: Path) -> None:
    files = rendered(write_xlsx, listing, tmp_path)
    assert sorted(files) == [  # not 县财政局, which holds and leads nothing
        "xlsx/departments/县应急管理局（yjj）.xlsx",
        "xlsx/departments/县自然资源局（zrzy）.xlsx",
        "xlsx/villages/府谷镇黄河村（fgz-hc）.xlsx",
        "xlsx/府谷镇（fgz）.xlsx",
        "xlsx/黄甫镇（hsz）.xlsx",
    ]


def test_xlsx_township_workbook_has_the_published_sheets(listing: CompiledList, tmp_path: Path) -> None:
    write_xlsx(listing, tmp_path)
    path = tmp_path / "xlsx" / "府谷镇（fgz）.xlsx"
    sheets = sheet_rows(path)
    assert list(sheets) == ["基本履职事项", "配合履职事项", "上级部门收回事项", "权责清单"]
    basic = sheets["基本履职事项"]
    assert basic[0][0] == "府谷镇基本履职事项清单（2025年版）"
    assert basic[1] == ("序号", "事项名称", "类别", "具体工作", "依据")
    assert basic[2][:3] == (1, "抓好党建工作", "党的建设")
    assert basic[2][4] == "《中国共产党章程》\n《中国共产党农村基层组织工作条例》"
    assert basic[3][1] == "'=1+1"  # shown as text, never run
    assert sheets["配合履职事项"][1] == ("序号", "事项名称", "牵头部门", "上级部门职责", "乡镇配合职责", "依据")
    assert sheets["配合履职事项"][2][2] == "县自然资源局"  # the department's name, not its id
    assert sheets["上级部门收回事项"][1] == ("序号", "事项名称", "承接部门", "工作方式")
    assert sheets["上级部门收回事项"][2][2:] == ("县应急管理局", "部门执法，乡镇报告线索")
    assert sheets["权责清单"][0][0] == "府谷镇权责清单（2025年版）"
    assert sheets["权责清单"][1] == ("序号", "事项名称", "权力类型", "依据")

    book = openpyxl.load_workbook(path)
    ws = book["基本履职事项"]
    assert ws.freeze_panes == "A3"  # title and header stay in view
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:E1"]
    assert ws["A1"].font.b and ws["A2"].font.b and ws["A2"].fill.fgColor.rgb.endswith("D9E1F2")
    assert ws["D3"].alignment.wrap_text
    assert ws.print_title_rows == "$2:$2" and ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["A"].width < ws.column_dimensions["B"].width < ws.column_dimensions["D"].width
    assert book.properties.created is not None and book.properties.created.isoformat() == "2025-03-01T00:00:00"
    assert book.properties.title == "府谷镇基本履职事项清单（2025年版）"


def test_xlsx_department_workbook_shows_its_view_of_township_items(listing: CompiledList, tmp_path: Path) -> None:
    write_xlsx(listing, tmp_path)
    zrzy = sheet_rows(tmp_path / "xlsx" / "departments" / "县自然资源局（zrzy）.xlsx")
    assert list(zrzy) == ["权责清单", "牵头配合事项"]
    leads = zrzy["牵头配合事项"]
    assert leads[0][0] == "县自然资源局牵头配合事项清单（2025年版）"
    assert leads[1] == ("序号", "乡镇", "事项名称", "上级部门职责", "乡镇配合职责")
    assert leads[2:] == [
        (1, "府谷镇", "征地拆迁群众工作", "负责报批", "做群众工作"),
        (2, "黄甫镇", "征地拆迁群众工作", "负责报批", "做群众工作"),
    ]
    yjj = sheet_rows(tmp_path / "xlsx" / "departments" / "县应急管理局（yjj）.xlsx")
    assert list(yjj) == ["收回承接事项"]
    assert yjj["收回承接事项"][1] == ("序号", "乡镇", "事项名称", "工作方式")
    assert yjj["收回承接事项"][2] == (1, "府谷镇", "煤矿安全执法", "部门执法，乡镇报告线索")


def test_xlsx_village_workbook(listing: CompiledList, tmp_path: Path) -> None:
    write_xlsx(listing, tmp_path)
    sheets = sheet_rows(tmp_path / "xlsx" / "villages" / "府谷镇黄河村（fgz-hc）.xlsx")
    assert list(sheets) == ["依法自治事项", "依法协助事项", "负面清单"]
    assert sheets["依法协助事项"][0][0] == "府谷镇黄河村依法协助事项清单（2025年版）"
    assert sheets["依法协助事项"][1:] == [
        ("序号", "事项名称", "依据"),
        (1, "协助开展耕地保护巡查", "《村民委员会组织法》第五条"),
    ]


def test_xlsx_large_workbooks_written_row_by_row_read_the_same(
    listing: CompiledList, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_xlsx(listing, tmp_path / "in-memory")
    monkeypatch.setattr(list_xlsx, "CONSTANT_MEMORY_ROWS", 0)
    write_xlsx(listing, tmp_path / "streamed")
    name = "xlsx/府谷镇（fgz）.xlsx"
    assert sheet_rows(tmp_path / "streamed" / name) == sheet_rows(tmp_path / "in-memory" / name)
    assert rendered(write_xlsx, listing, tmp_path / "a") == rendered(write_xlsx, listing, tmp_path / "b")


# --- all formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize("writer", [write_csv, write_xlsx, write_markdown], ids=["csv", "xlsx", "md"])
def test_the_same_list_gives_the_same_bytes(listing: CompiledList, tmp_path: Path, writer: Writer) -> None:
    first = rendered(writer, listing, tmp_path / "first")
    second = rendered(writer, listing, tmp_path / "second")
    assert first and first == second


def test_xlsx_carries_no_time_of_writing(listing: CompiledList, tmp_path: Path) -> None:
    """Written tomorrow, the workbooks are still the same bytes: every date in them is fixed."""
    for path in write_xlsx(listing, tmp_path):
        with zipfile.ZipFile(path) as archive:
            assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            core = archive.read("docProps/core.xml").decode()
        assert re.findall(r"\d{4}-\d\d-\d\dT[\d:]+Z", core) == ["2025-03-01T00:00:00Z"] * 2  # created, modified


def test_file_names_are_safe_on_windows() -> None:
    assert list_xlsx.xlsx_name('a/b\\c:d*e?"f<g>h|i', "x") == "a_b_c_d_e__f_g_h_i（x）.xlsx"
