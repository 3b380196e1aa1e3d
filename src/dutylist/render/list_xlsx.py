"""XLSX: one workbook a unit, one sheet a list, in the columns counties publish.

Layout of ``xlsx/`` (file names are the unit's name and, for uniqueness, its id)::

    桃源镇（taoyuan）.xlsx                 townships: 基本履职事项, 配合履职事项, 上级部门收回事项, 权责清单
    departments/县自然资源和规划局（zrghj）.xlsx   权责清单, 牵头配合事项, 收回承接事项
    villages/桃源镇红星村（taoyuan-hx）.xlsx     依法自治事项, 依法协助事项, 负面清单

Every sheet has a merged title row (桃源镇基本履职事项清单（2025年版）), a styled header row
frozen beneath it and repeated on every printed page, wrapped text, and prints landscape on
A4, one page wide. Lists of texts (依据) are put one per line in their cell.

The files are deterministic: document properties are fixed and dated from the list's
``effective`` date, and xlsxwriter gives every part of the zip the same fixed timestamp,
so the same list gives the same bytes. A workbook is built in memory (fast: a province has
tens of thousands of small ones) unless it has more than ``CONSTANT_MEMORY_ROWS`` rows, like
a department that leads items in 3,000 townships: that one is written in constant-memory
mode, its rows going straight to disk.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import xlsxwriter  # no py.typed in XlsxWriter 3.3.1
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ..compiled import CompiledList
from .cells import safe_cell
from .list_tables import Cell, Table, UnitTables, table_title, unit_tables

XLSX_DIR = "xlsx"
SUBDIRS = {"department": "departments", "village": "villages"}  # townships at the top
LINE_SEPARATOR = "\n"

CONSTANT_MEMORY_ROWS = 20_000
_WORKBOOK_OPTIONS = {
    # Belt and braces: cells are written with write_string, which never makes formulas or links.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
_UNSAFE_NAME = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


def xlsx_name(display_name: str, unit_id: str) -> str:
    """A file name safe on Windows, macOS and Linux: 桃源镇（taoyuan）.xlsx."""
    name = _UNSAFE_NAME.sub("_", display_name).strip(" .")[:80]
    return f"{name}（{unit_id}）.xlsx"


def xlsx_path(out_dir: Path, unit: UnitTables) -> Path:
    directory = out_dir / XLSX_DIR
    sub = SUBDIRS.get(unit.unit["kind"])
    if sub:
        directory = directory / sub
    return directory / xlsx_name(unit.display_name, unit.unit["id"])


def created(listing: CompiledList) -> dt.datetime:
    """The documents' fixed creation time: midnight (UTC) of the list's effective date."""
    try:
        day = dt.date.fromisoformat(str(listing.manifest.get("effective")))
    except ValueError:
        day = dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def write_xlsx(listing: CompiledList, out_dir: Path) -> list[Path]:
    written: list[Path] = []
    properties = _properties(listing)
    for unit in unit_tables(listing):
        path = xlsx_path(out_dir, unit)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_workbook(path, unit, listing.label, properties)
        written.append(path)
    return written


def _properties(listing: CompiledList) -> dict[str, Any]:
    manifest = listing.manifest
    region = manifest.get("region") or {}
    return {
        "subject": str(manifest.get("title") or ""),
        "author": str(region.get("name") or ""),
        "company": str(region.get("name") or ""),
        "keywords": "乡镇履职事项清单",
        "comments": f"由 dutylist 生成，清单内容哈希 {manifest.get('hash', '')}",
        "created": created(listing),
    }


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.header = book.add_format(
            {
                "bold": True,
                "bg_color": "#D9E1F2",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.text = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
        self.centred = book.add_format({"border": 1, "valign": "top", "align": "center"})


def _write_workbook(path: Path, unit: UnitTables, label: str, properties: dict[str, Any]) -> None:
    rows = sum(len(table.entries) for table in unit.tables)
    mode = "constant_memory" if rows > CONSTANT_MEMORY_ROWS else "in_memory"
    book = xlsxwriter.Workbook(str(path), {**_WORKBOOK_OPTIONS, mode: True})
    try:
        first_title = table_title(unit.display_name, unit.tables[0], label)
        book.set_properties({**properties, "title": safe_cell(first_title)})
        formats = _Formats(book)
        for table in unit.tables:
            _write_sheet(book.add_worksheet(table.title), table, table_title(unit.display_name, table, label), formats)
    finally:
        book.close()


def _write_sheet(sheet: Worksheet, table: Table, title: str, formats: _Formats) -> None:
    last = len(table.columns) - 1
    for col, column in enumerate(table.columns):
        sheet.set_column(col, col, column.width)
    sheet.set_row(0, 32)
    sheet.merge_range(0, 0, 0, last, safe_cell(title), formats.title)
    for col, column in enumerate(table.columns):
        sheet.write_string(1, col, column.header, formats.header)
    sheet.freeze_panes(2, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    for r, cells in enumerate(table.rows(), 2):
        for col, (column, value) in enumerate(zip(table.columns, cells, strict=True)):
            _write_cell(sheet, r, col, value, formats.centred if column.centred else formats.text)


def _write_cell(sheet: Worksheet, row: int, col: int, value: Cell, fmt: Format) -> None:
    if value is None or value == []:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, int):
        sheet.write_number(row, col, value, fmt)
    elif isinstance(value, list):
        sheet.write_string(row, col, safe_cell(LINE_SEPARATOR.join(value)), fmt)
    else:
        sheet.write_string(row, col, safe_cell(value), fmt)
