"""Reading spreadsheets into rows (``dutylist.imports.table``): what a county's files look like
and what a user would see come out of them."""

from __future__ import annotations

import datetime
import io
import random
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from dutylist.imports import ImportFailed
from dutylist.imports.headers import IGNORE, header_key, list_named, section_title
from dutylist.imports.table import SheetTable, list_sheets, read_tables

DATA = Path(__file__).parent / "data" / "import"
Build = Callable[[Any, Any], None]  # (workbook, worksheet)

HEADER = ["序号", "编号", "事项名称", "类别", "依据"]


def xlsx(path: Path, sheets: dict[str, list[list[Any]] | Build]) -> Path:
    """A workbook: each sheet given as rows from A1, or as a function that writes it."""
    wb = xlsxwriter.Workbook(str(path))
    for name, content in sheets.items():
        ws = wb.add_worksheet(name)
        if callable(content):
            content(wb, ws)
        else:
            for r, row in enumerate(content):
                for c, value in enumerate(row):
                    if value is not None:
                        ws.write(r, c, value)
    wb.close()
    return path


def one(path: Path, **kw: Any) -> SheetTable:
    (table,) = read_tables(path, **kw)
    return table


def names(table: SheetTable) -> list[str]:
    return [row.fields["name"] for row in table.rows]


def failure(path: Path, **kw: Any) -> str:
    with pytest.raises(ImportFailed) as info:
        read_tables(path, **kw)
    assert info.value.zh and info.value.en
    return info.value.zh


# ---------------------------------------------------------------- headers and list names


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("序号", "seq"),
        ("编号", "id"), ("事项编码", "id"), ("编码", "id"),
        ("事项名称", "name"), ("名称", "name"), ("事项", "name"), ("事项内容", "name"), ("事項名稱", "name"),
        ("事项 名称", "name"), ("*事项名称\n（必填）", "name"),
        ("类别", "category"), ("领域", "category"), ("事項類別", "category"),
        ("具体工作", "tasks"), ("工作内容", "tasks"), ("履职内容", "tasks"), ("具體工作事項", "tasks"),
        ("依据", "basis"), ("实施依据", "basis"), ("法律依據", "basis"), ("设定依据", "basis"), ("政策依据", "basis"),
        ("牵头部门", "lead"), ("对应上级部门", "lead"), ("主管部門", "lead"), ("县级牵头部门", "lead"),
        ("上级部门职责", "lead_duty"), ("縣級部門職責", "lead_duty"), ("部门职责", "lead_duty"),
        ("乡镇配合职责", "township_duty"), ("镇街配合职责", "township_duty"), ("乡镇（街道）配合职责", "township_duty"),
        ("鄉鎮職責", "township_duty"),
        ("承接部门", "receiver"), ("收回部门", "receiver"),
        ("工作方式", "method"), ("運行方式", "method"),
        ("权力类型", "power_type"), ("事项类型", "power_type"),
        ("备注", IGNORE), ("備註", IGNORE),
        ("联系电话", None), ("", None),
    ],
)  # fmt: skip
def test_header_synonyms_simplified_and_traditional(text: str, key: str | None) -> None:
    assert header_key(text) == key


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["基本履职事项"], "basic"),
        (["府谷镇基本履職事項清單"], "basic"),
        (["配合履职事项"], "cooperative"),
        (["上级部门收回事项"], "recalled"),
        (["收回事項"], "recalled"),
        (["权责清单"], "powers"),
        (["依法自治事项"], "autonomy"),
        (["依法协助事项"], "assist"),
        (["负面清单"], "negative"),
        (["Sheet1"], None),
        (["基本履职事项和配合履职事项"], None),  # two lists named: not guessed
    ],
)
def test_list_from_sheet_name(texts: list[str], expected: str | None) -> None:
    assert list_named(texts) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一、党的建设", (0, "党的建设")),
        ("二、经济发展（12项）", (0, "经济发展")),
        ("第一部分 基本履职事项", (0, "基本履职事项")),
        ("（一）农业农村", (1, "农业农村")),
        ("1.党的建设", (2, "党的建设")),
        ("2、民生服务", (2, "民生服务")),
        ("加强基层党组织建设", None),
        ("3.12", None),
    ],
)
def test_section_rows(text: str, expected: tuple[int, str] | None) -> None:
    assert section_title(text) == expected


# ---------------------------------------------------------------- a realistic county workbook


def county_basic(wb: Any, ws: Any) -> None:
    merge = wb.add_format({"align": "center", "bold": True})
    ws.merge_range("A1:G1", "府谷镇基本履职事项清单", merge)
    ws.write("A2", "填报单位：府谷镇人民政府")
    ws.write("E2", "日期：2025年3月1日")
    ws.merge_range("A3:A4", "序号", merge)
    ws.merge_range("B3:B4", "事项名称", merge)
    ws.merge_range("C3:D3", "职责分工", merge)
    ws.write_row("C4", ["上级部门职责", "乡镇配合职责"])
    ws.merge_range("E3:E4", "牵头部门", merge)
    ws.merge_range("F3:F4", "依据", merge)
    ws.merge_range("G3:G4", "备注", merge)
    ws.merge_range("A5:G5", "一、党的建设", merge)
    ws.write_row(
        "A6",
        [
            1,
            "重大项目征地中的群众工作",
            "依法组织征地",
            "做好群众工作",
            "县自然资源局",
            "《土地管理法》第四十七条；《土地管理法实施条例》第二十六条",
        ],
    )
    ws.write_row(
        "A7", [2, "农村宅基地审批", "审批", "初审", "县农业农村局", "《土地管理法》第六十二条\n《农村宅基地管理办法》"]
    )
    ws.write_row("A8", [None] * 7, wb.add_format({"border": 1}))  # formatted but empty
    ws.merge_range("A9:G9", "二、平安法治", merge)
    ws.write_row("A10", [3, "矛盾纠纷排查化解", "指导", "排查化解", "县司法局", "", "每月上报"])
    ws.write("A11", "注：本清单实行动态调整。")
    ws.write("A12", "填报人：张三")


def county_traditional(wb: Any, ws: Any) -> None:
    ws.write("A1", "府谷鎮上級部門收回事項清單")
    ws.write_row("A2", ["序號", "事項名稱", "承接部門", "工作方式", "聯繫電話"])
    ws.write_row("A3", [1, "煤礦井田內違規建房執法", "縣自然資源局", "部門執法，鄉鎮提供線索", "0912-1234567"])


def test_realistic_county_workbook(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "府谷镇清单.xlsx", {"配合履职事项": county_basic, "Sheet2": county_traditional})
    coop, recalled = read_tables(path, all_sheets=True)

    assert (coop.sheet, coop.list, coop.header_row) == ("配合履职事项", "cooperative", 4)
    assert coop.columns == {
        "seq": "序号",
        "name": "事项名称",
        "lead_duty": "职责分工/上级部门职责",
        "township_duty": "职责分工/乡镇配合职责",
        "lead": "牵头部门",
        "basis": "依据",
    }
    assert [(r.row, r.seq, r.fields["name"], r.fields["category"]) for r in coop.rows] == [
        (6, "1", "重大项目征地中的群众工作", "党的建设"),
        (7, "2", "农村宅基地审批", "党的建设"),
        (10, "3", "矛盾纠纷排查化解", "平安法治"),
    ]
    first = coop.rows[0].fields
    assert first["lead"] == "县自然资源局"
    assert (first["lead_duty"], first["township_duty"]) == ("依法组织征地", "做好群众工作")
    assert first["basis"] == ["《土地管理法》第四十七条", "《土地管理法实施条例》第二十六条"]
    assert coop.rows[1].fields["basis"] == ["《土地管理法》第六十二条", "《农村宅基地管理办法》"]
    assert "basis" not in coop.rows[2].fields  # an empty cell is no field
    assert coop.notes == []  # 备注 ignored silently; the footnote and what follows it are not items

    # traditional headers; the list from the title row; text kept exactly as written
    assert (recalled.list, recalled.header_row) == ("recalled", 2)
    assert recalled.rows[0].fields == {
        "name": "煤礦井田內違規建房執法",
        "receiver": "縣自然資源局",
        "method": "部門執法，鄉鎮提供線索",
    }
    assert [(n.cell, n.zh) for n in recalled.notes] == [("E2", "列“聯繫電話”不对应任何字段，已忽略")]


def test_old_xls(tmp_path: Path) -> None:
    # tests/data/import/county.xls was made once with xlwt 1.3.0 (not a dependency): a title
    # row merged A1:E1, 填报单位/日期, a section row, id 102 stored as a number, 000103 as text,
    # a name Excel turned into a date, a 注： row; and a sheet with a two-level merged header.
    basic, coop = read_tables(DATA / "county.xls", all_sheets=True)
    assert basic.list == "basic" and coop.list == "cooperative"
    assert [(r.row, r.fields.get("id"), r.fields["category"]) for r in basic.rows] == [
        (5, "102", "党的建设"),
        (6, "000103", "党的建设"),
    ]
    assert basic.rows[0].fields["basis"] == ["《中国共产党章程》", "《中国共产党农村基层组织工作条例》"]
    assert [(n.cell, n.en) for n in basic.notes] == [
        ("C6", "Excel turned this cell into the date 2024-03-12; check the original text")
    ]
    assert coop.rows[0].fields == {
        "name": "重大项目征地中的群众工作",
        "lead_duty": "依法组织征地",
        "township_duty": "做好群众工作",
        "lead": "县自然资源局",
    }


# ---------------------------------------------------------------- cells


def test_numbers_as_shown(tmp_path: Path) -> None:
    def build(wb: Any, ws: Any) -> None:
        ws.write_row("A1", ["编号", "事项名称", "依据"])
        ws.write_number("A2", 102.0)
        ws.write_number("B2", 3.12)
        ws.write_string("A3", "000102")
        ws.write("B3", "文本编号")
        ws.write_number("A4", 102, wb.add_format({"num_format": "000000"}))
        ws.write("B4", "补零格式")
        ws.write_number("A5", 7, wb.add_format({"num_format": '"FG-B-"000'}))
        ws.write("B5", "带前缀格式")
        ws.write("B6", "事项")
        ws.write_number("C6", 1.5, wb.add_format({"num_format": "0.00"}))

    table = one(xlsx(tmp_path / "n.xlsx", {"S": build}))
    assert [(r.fields.get("id"), r.fields["name"]) for r in table.rows] == [
        ("102", "3.12"),
        ("000102", "文本编号"),
        ("000102", "补零格式"),
        ("FG-B-007", "带前缀格式"),
        (None, "事项"),
    ]
    assert table.rows[4].fields["basis"] == ["1.50"]
    assert table.notes == []


def test_cells_excel_turned_into_dates_are_reported_not_guessed(tmp_path: Path) -> None:
    def build(wb: Any, ws: Any) -> None:
        ws.write_row("A1", ["编号", "事项名称", "具体工作"])
        ws.write_datetime("A2", datetime.datetime(2025, 3, 12), wb.add_format({"num_format": "m-d"}))
        ws.write("B2", "森林防火")
        ws.write("B3", "河长制")
        ws.write_datetime("C3", datetime.datetime(2025, 1, 2, 8, 30), wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}))

    table = one(xlsx(tmp_path / "d.xlsx", {"S": build}))
    assert table.rows[0].fields["id"] == "2025-03-12"  # never "3-12"
    assert table.rows[1].fields["tasks"] == "2025-01-02 08:30:00"
    assert [(n.cell, n.zh) for n in table.notes] == [
        ("A2", "Excel 把这个单元格变成了日期 2025-03-12，请核对原文"),
        ("C3", "Excel 把这个单元格变成了日期 2025-01-02 08:30:00，请核对原文"),
    ]


def test_formula_with_cached_value_is_read(tmp_path: Path) -> None:
    def build(wb: Any, ws: Any) -> None:
        ws.write_row("A1", ["序号", "事项名称"])
        ws.write_formula("A2", "=ROW()-1", None, 1)
        ws.write_formula("B2", '="森林"&"防火"', None, "森林防火")

    assert [(r.seq, r.fields["name"]) for r in one(xlsx(tmp_path / "f.xlsx", {"S": build})).rows] == [("1", "森林防火")]


def test_formula_without_cached_value_fails_naming_the_cell(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基本履职事项"
    for row in [["序号", "编号", "事项名称"], *[[i, f"B{i}", f"事项{i}"] for i in range(1, 6)]]:
        ws.append(row)
    ws["C7"] = '="森林"&"防火"'  # openpyxl writes <f> without <v>, as scripts and some systems do
    ws["D7"] = "=1+1"  # outside the table: harmless
    path = tmp_path / "县乡镇清单.xlsx"
    wb.save(path)
    assert failure(path) == "县乡镇清单.xlsx 工作表“基本履职事项” C7：公式没有缓存值（请在 Excel 中打开并保存后再导入）"


def test_error_values_are_reported(tmp_path: Path) -> None:
    def build(wb: Any, ws: Any) -> None:
        ws.write_row("A1", ["事项名称", "牵头部门"])
        ws.write("A2", "河长制")
        ws.write_formula("B2", "=VLOOKUP(A2,X:Y,2,0)", None, "#N/A")

    table = one(xlsx(tmp_path / "e.xlsx", {"S": build}))
    assert table.rows[0].fields == {"name": "河长制"}
    assert [(n.cell, n.zh) for n in table.notes] == [("B2", "单元格是错误值 #N/A，按空白处理")]


# ---------------------------------------------------------------- rows


def test_rows_blank_nameless_sections_and_footnotes(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["XX镇基本履职事项清单"],
        ["序号", "事项名称", "类别", "具体工作"],
        ["一", "党的建设"],  # a section numbered in the 序号 column
        [1, "组织生活", None, "三会一课"],
        [2, "统战工作", "统一战线", None],  # its own category wins
        [None, None, "宣传工作"],  # a category alone in the 类别 column is a section row
        [None, "意识形态"],
        [],
        [3],  # a pre-numbered empty row: skipped silently
        [4, None, None, "只有工作内容"],  # no name: skipped with a note
        ["二、经济发展（2项）"],
        ["（一）农业"],  # a deeper level: not the category
        [5, "项目服务"],
        ["序号", "事项名称", "类别", "具体工作"],  # the header repeated on a printed page
        [6, "招商引资"],
        ["说明：以上事项每年调整。"],
        [7, "漏在注释后的事项", None, "有内容"],
    ]
    table = one(xlsx(tmp_path / "r.xlsx", {"S": rows}))
    assert table.list == "basic"
    assert [(r.row, r.fields["name"], r.fields.get("category")) for r in table.rows] == [
        (4, "组织生活", "党的建设"),
        (5, "统战工作", "统一战线"),
        (7, "意识形态", "宣传工作"),
        (13, "项目服务", "经济发展"),
        (15, "招商引资", "经济发展"),
    ]
    assert [(n.cell, n.en) for n in table.notes] == [
        ("B10", "row without an item name; skipped"),
        ("A16", "the table ends at this footnote; 1 row(s) after it (from row 17) not imported"),
    ]


def test_basis_splits_on_newlines_and_semicolons_only(tmp_path: Path) -> None:
    rows = [["事项名称", "依据"], ["事项", "《甲法》第一条、第二条；《乙条例》;《丙办法》，第三条\n\n《丁规定》"]]
    assert one(xlsx(tmp_path / "b.xlsx", {"S": rows})).rows[0].fields["basis"] == [
        "《甲法》第一条、第二条",
        "《乙条例》",
        "《丙办法》，第三条",
        "《丁规定》",
    ]


def test_vertical_merges_repeat_down_and_join_one_item(tmp_path: Path) -> None:
    def build(wb: Any, ws: Any) -> None:
        ws.write_row("A1", ["类别", "事项名称", "具体工作", "依据"])
        ws.merge_range("A2:A4", "民生服务")
        ws.merge_range("B2:B3", "社会救助")
        ws.write_row("C2", ["低保初审", "《社会救助暂行办法》"])
        ws.write_row("C3", ["临时救助", "《临时救助办法》"])
        ws.write("B4", "养老服务")

    table = one(xlsx(tmp_path / "m.xlsx", {"S": build}))
    assert [r.fields for r in table.rows] == [
        {
            "category": "民生服务",
            "name": "社会救助",
            "tasks": "低保初审\n临时救助",
            "basis": ["《社会救助暂行办法》", "《临时救助办法》"],
        },
        {"category": "民生服务", "name": "养老服务"},
    ]


def test_merged_header_over_a_department_name(tmp_path: Path) -> None:
    def build(wb: Any, ws: Any) -> None:
        ws.merge_range("A1:A2", "事项名称")
        ws.merge_range("B1:C1", "牵头部门")
        ws.write_row("B2", ["名称", "职责"])
        ws.write_row("A3", ["征地拆迁", "县自然资源局", "组织实施"])

    table = one(xlsx(tmp_path / "h.xlsx", {"S": build}))
    assert table.rows[0].fields == {"name": "征地拆迁", "lead": "县自然资源局", "lead_duty": "组织实施"}
    assert [(n.cell, n.zh) for n in table.notes] == [("B2", "合并表头“牵头部门/名称”按“牵头部门”读取")]


def test_two_level_header_without_merges_is_inferred(tmp_path: Path) -> None:
    path = tmp_path / "配合履职事项.csv"
    path.write_text(
        "序号,事项名称,职责分工,,牵头部门\n,,上级部门职责,乡镇配合职责,\n1,征地,组织征地,群众工作,县自然资源局\n",
        encoding="utf-8",
    )
    table = one(path)
    assert (table.sheet, table.list, table.header_row) == ("配合履职事项", "cooperative", 2)
    assert table.rows[0].fields == {
        "name": "征地",
        "lead_duty": "组织征地",
        "township_duty": "群众工作",
        "lead": "县自然资源局",
    }


# ---------------------------------------------------------------- files and encodings

CSV = "序号,编号,事项名称,依据\n1,000102,森林防火𠀀,《森林法》；《森林防火条例》\n"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("gb18030", ","), ("utf-16", "\t")],  # utf-16 + tabs: Excel's "Unicode text"
)
def test_csv_encodings(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = tmp_path / "清单.csv"
    path.write_bytes(CSV.replace(",", delimiter).encode(encoding))
    table = one(path)
    assert table.sheet == "清单"
    assert table.rows[0].fields == {"id": "000102", "name": "森林防火𠀀", "basis": ["《森林法》", "《森林防火条例》"]}


def test_gbk_csv_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    path.write_bytes(CSV.replace("𠀀", "").encode("gbk"))
    assert names(one(path)) == ["森林防火"]


def test_xlsx_named_csv_and_xls_named_xlsx(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "清单.csv", {"S": [["事项名称", "类别"], ["河长制", "生态环保"]]})
    assert names(one(path)) == ["河长制"]
    shutil.copy(DATA / "county.xls", tmp_path / "county.xlsx")
    assert list_sheets(tmp_path / "county.xlsx") == ["基本履职事项", "配合履职事项"]


def test_html_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "清单.xls"
    path.write_text(
        """<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8">
        <!--[if gte mso 9]><xml><x:ExcelWorksheet><x:Name>配合履职事项</x:Name></x:ExcelWorksheet></xml><![endif]-->
        </head><body><table>
        <tr><td rowspan=2>序号</td><td rowspan=2>事项名称</td><td colspan=2>职责分工</td></tr>
        <tr><td>上级部门职责</td><td>乡镇配合职责</td></tr>
        <tr><td>1</td><td>征地 &amp; 拆迁</td><td>组织<br>实施</td><td>配合</td></tr>
        </table></body></html>""",
        encoding="utf-8",
    )
    table = one(path)
    assert (table.sheet, table.list) == ("配合履职事项", "cooperative")
    assert table.rows[0].fields == {"name": "征地 & 拆迁", "lead_duty": "组织\n实施", "township_duty": "配合"}


def test_excel_2003_xml_asks_for_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "清单.xls"
    path.write_text('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>')
    assert failure(path) == "清单.xls：是 Excel 2003 XML 表格，请在 Excel 中另存为 .xlsx 后再导入"


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "清单.csv"
    path.write_bytes("事项名称,依据\n".encode() + b"\x80\xff\x80\n")
    assert "既不是 UTF-8，也不是 GBK/GB18030" in failure(path)


def truncated(tmp_path: Path) -> Path:
    whole = xlsx(tmp_path / "whole.xlsx", {"S": [["事项名称", "类别"], ["河长制", "生态环保"]]}).read_bytes()
    (tmp_path / "坏.xlsx").write_bytes(whole[: len(whole) // 2])
    return tmp_path / "坏.xlsx"


def random_bytes(tmp_path: Path) -> Path:
    (tmp_path / "坏.xlsx").write_bytes(random.Random(6).randbytes(4096))
    return tmp_path / "坏.xlsx"


def not_a_workbook(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    (tmp_path / "坏.xlsx").write_bytes(buffer.getvalue())
    return tmp_path / "坏.xlsx"


def ole_garbage(tmp_path: Path) -> Path:
    (tmp_path / "坏.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    return tmp_path / "坏.xls"


def encrypted(tmp_path: Path) -> Path:
    # what Excel writes for a workbook with a password: an OLE2 container with an EncryptionInfo stream
    directory = "EncryptionInfo".encode("utf-16-le").ljust(64, b"\0")
    (tmp_path / "坏.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + directory)
    return tmp_path / "坏.xlsx"


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (encrypted, "工作簿有密码保护"),
        (truncated, "文件已损坏"),
        (random_bytes, "既不是 Excel 工作簿，也不是文本表格"),
        (not_a_workbook, "不是 Excel 工作簿"),
        (ole_garbage, "文件已损坏"),
    ],
)
def test_corrupt_files_are_one_clear_error(tmp_path: Path, make: Callable[[Path], Path], says: str) -> None:
    path = make(tmp_path)
    message = failure(path)
    assert message.startswith(path.name) and says in message
    with pytest.raises(ImportFailed):
        list_sheets(path)


# ---------------------------------------------------------------- sheets


def workbook(tmp_path: Path) -> Path:
    return xlsx(
        tmp_path / "乡镇清单.xlsx",
        {
            "基本履职事项": [["序号", "事项名称"], [1, "基本一"]],
            "空": [],
            "說明": [["本表由县委编办制发"]],
            "配合履职事项": [["事项名称", "牵头部门"], ["配合一", "县民政局"]],
        },
    )


def test_sheet_choice(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    assert list_sheets(path) == ["基本履职事项", "空", "說明", "配合履职事项"]
    assert names(one(path)) == ["基本一"]  # the first sheet by default
    assert names(one(path, sheet="配合履职事项")) == ["配合一"]
    assert names(one(path, sheet="配合履職事項")) == ["配合一"]  # traditional spelling of the name
    assert failure(path, sheet="收回事项") == (
        "乡镇清单.xlsx 工作表“收回事项”：没有这个工作表；有：“基本履职事项”、“空”、“說明”、“配合履职事项”"
    )


def test_all_sheets_reads_every_sheet_with_a_table(tmp_path: Path) -> None:
    tables = read_tables(workbook(tmp_path), all_sheets=True)
    assert [(t.sheet, t.list, names(t)) for t in tables] == [
        ("基本履职事项", "basic", ["基本一"]),
        ("配合履职事项", "cooperative", ["配合一"]),
    ]
    assert [(n.sheet, n.en) for n in tables[0].notes] == [("說明", "no header row found; skipped")]


def test_hidden_sheets_are_not_the_default_nor_read_with_all_sheets(tmp_path: Path) -> None:
    def hidden(wb: Any, ws: Any) -> None:
        ws.write_row("A1", ["事项名称", "类别"])
        ws.write_row("A2", ["下拉选项", "党的建设"])
        ws.hide()

    def shown(wb: Any, ws: Any) -> None:
        ws.write_row("A1", ["事项名称", "类别"])
        ws.write_row("A2", ["河长制", "生态环保"])
        ws.activate()
        ws.set_first_sheet()

    path = xlsx(tmp_path / "h.xlsx", {"数据源": hidden, "基本履职事项": shown})
    assert names(one(path)) == ["河长制"]
    (table,) = read_tables(path, all_sheets=True)
    assert [(n.sheet, n.zh) for n in table.notes] == [("数据源", "隐藏的工作表，已跳过")]


def test_empty_sheet_and_no_header(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    assert failure(path, sheet="空") == "乡镇清单.xlsx 工作表“空”：工作表是空的"
    message = failure(path, sheet="說明")
    assert message.startswith("乡镇清单.xlsx 工作表“說明”：没有找到表头") and "事项名称" in message


def test_a_sheet_named_as_a_list_without_header_stops_all_sheets(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "x.xlsx", {"基本履职事项": [["名单"], ["张三"]]})
    assert failure(path, all_sheets=True).startswith("x.xlsx 工作表“基本履职事项”：没有找到表头")
