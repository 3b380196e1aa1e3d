"""Reading spreadsheets into rows: .xlsx, old .xls, .csv (and the HTML that county systems save
as .xls), the format told by content, never by extension.

What python-calamine (0.9.x) gives, and what this module makes of it:

- numbers are floats (ints in .xls when stored as integers): ``102.0`` is shown as ``102``; a
  number format is not applied, so an id 102 formatted ``000000`` comes back as 102. For .xlsx
  the cell's format is read from ``styles.xml`` and zero-padding formats (``000000``,
  ``"FG-"000``, ``0.00``) are applied; for .xls the plain number is all there is. Ids typed as
  text (``000102``) keep their form everywhere; CSV cells are text as written.
- cells with a date or time format come back as ``date``/``datetime``/``time``: they are shown
  as ISO text (``2024-03-12``) and reported as a :class:`SheetNote`, never guessed back.
- a merged range holds its value in the top-left cell only; ``merged_cell_ranges`` (.xlsx,
  .xls) says which cells it spans. Below the header a vertical merge repeats its value down
  (a 类别 or 牵头部门 merged over several items), and rows under a merged 事项名称 add their text
  to that item.
- formula cells without a cached value, and error values (``#N/A``), come back empty: for
  .xlsx the sheet XML is read to find them (the first is an :class:`ImportFailed`, the second a
  note); .xls files are not checked, as calamine does not expose formulas there.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from . import ImportFailed
from .headers import (
    SYNONYMS,
    Merge,
    SheetNote,
    SheetTable,
    SourceRow,
    build_table,
    cell_name,
    find_header,
    list_named,
)

__all__ = ["SheetNote", "SheetTable", "SourceRow", "list_sheets", "read_tables"]


@dataclass
class _Grid:
    name: str
    rows: list[list[Any]]
    merges: list[Merge] = field(default_factory=list)
    uncached: set[tuple[int, int]] = field(default_factory=set)  # formula cells without a cached value
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # cells holding #N/A, #REF! …
    shown: dict[tuple[int, int], str] = field(default_factory=dict)  # numbers as their format shows them


def _where(path: Path, sheet: str | None, cell: str = "") -> tuple[str, str]:
    zh = path.name + (f" 工作表“{sheet}”" if sheet is not None else "") + (f" {cell}" if cell else "")
    en = path.name + (f' sheet "{sheet}"' if sheet is not None else "") + (f" {cell}" if cell else "")
    return zh, en


def _fail(path: Path, sheet: str | None, cell: str, zh: str, en: str) -> ImportFailed:
    wzh, wen = _where(path, sheet, cell)
    return ImportFailed(f"{wzh}：{zh}", f"{wen}: {en}")


# ---------------------------------------------------------------- opening a file


@dataclass
class _Book:
    names: list[str]
    hidden: set[str]
    load: Callable[[str], _Grid]


def _open(path: Path) -> _Book:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(
            path, None, "", f"无法读取文件（{exc.strerror}）", f"cannot read the file ({exc.strerror})"
        ) from None
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            raise _fail(
                path,
                None,
                "",
                "文件已损坏（不是完整的 xlsx 压缩包）",
                "the file is damaged (not a complete xlsx zip archive)",
            ) from None
        if "xl/workbook.xml" in names:
            return _calamine(path, data, "xlsx")
        if "content.xml" in names:
            return _calamine(path, data, "ods")
        raise _fail(path, None, "", "是压缩包但不是 Excel 工作簿", "a zip archive, but not an Excel workbook")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptionInfo".encode("utf-16-le") in data:  # an encrypted .xlsx is an OLE2 container
            raise _fail(path, None, "", "工作簿有密码保护，请去除密码后再导入", "the workbook is password-protected")
        return _calamine(path, data, "xls")
    grids = {g.name: g for g in _open_text(path, data)}
    return _Book(list(grids), set(), grids.__getitem__)


def _calamine(path: Path, data: bytes, kind: str) -> _Book:
    from python_calamine import CalamineWorkbook, PasswordError, SheetVisibleEnum

    def damaged(exc: BaseException) -> ImportFailed:
        if isinstance(exc, PasswordError):
            return _fail(path, None, "", "工作簿有密码保护，请去除密码后再导入", "the workbook is password-protected")
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise exc  # KeyboardInterrupt and the like; calamine's Rust panics are BaseExceptions too
        return _fail(
            path, None, "", f"文件已损坏，无法作为 {kind} 读取（{exc}）", f"damaged: not a readable {kind} ({exc})"
        )

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        hidden = {m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
    except BaseException as exc:
        raise damaged(exc) from None

    def load(name: str) -> _Grid:
        try:
            sheet = book.get_sheet_by_name(name)
            merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []]
            grid = _Grid(name, [list(r) for r in sheet.to_python(skip_empty_area=False)], merges)
        except BaseException as exc:
            raise damaged(exc) from None
        if kind == "xlsx":
            _scan_xlsx(data, grid)
        return grid

    return _Book(list(book.sheet_names), hidden, load)


def _open_text(path: Path, data: bytes) -> list[_Grid]:
    text = _decode(path, data)
    if "\x00" in text:
        raise _fail(path, None, "", "文件已损坏，或不是表格文件", "the file is damaged, or not a spreadsheet")
    head = text.lstrip()[:2000].lower()
    if head.startswith("<?xml") and "<workbook" in head:
        raise _fail(
            path, None, "", "是 Excel 2003 XML 表格，请在 Excel 中另存为 .xlsx 后再导入",
            "an Excel 2003 XML spreadsheet: save it as .xlsx in Excel, then import",
        )  # fmt: skip
    if head.startswith("<") and "<table" in text[:200_000].lower():
        return _html_grids(path, text)
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    delimiter = "\t" if sum(x.count("\t") for x in lines) > sum(x.count(",") for x in lines) else ","
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise _fail(path, None, "", f"CSV 格式错误（{exc}）", f"malformed CSV ({exc})") from None
    return [_Grid(path.stem, rows)]


def _decode(path: Path, data: bytes) -> str:
    # a BOM'd UTF-16 file is Excel's "Unicode text"
    encodings = ["utf-16"] if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ["utf-8-sig", "gb18030"]
    error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
    at = error.start if error else 0
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".et", ".ods") and b"\x00" in data[:4096]:
        raise _fail(
            path,
            None,
            "",
            "文件已损坏：既不是 Excel 工作簿，也不是文本表格",
            "the file is damaged: neither a workbook nor text",
        )
    raise _fail(
        path, None, "", f"无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030（第 {at} 字节）",
        f"unknown text encoding: neither UTF-8 nor GBK/GB18030 (byte {at})",
    )  # fmt: skip


class _Tables(HTMLParser):
    """``<table>`` rows and cells (colspan/rowspan kept), for HTML saved under an .xls name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self._open: list[list[list[tuple[str, int, int]]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._open.append([])
        elif tag == "tr" and self._open:
            self._open[-1].append([])
        elif tag in ("td", "th") and self._open and self._open[-1]:
            a = dict(attrs)
            self._cell, self._span = [], (_int(a.get("rowspan")), _int(a.get("colspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._open and self._open[-1]:
            text = "\n".join(" ".join(x.split()) for x in "".join(self._cell).split("\n")).strip()
            self._open[-1][-1].append((text, *self._span))
            self._cell = None
        elif tag == "table" and self._open:
            self.tables.append(self._open.pop())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(" ".join(data.split("\n")))


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _html_grids(path: Path, text: str) -> list[_Grid]:
    parser = _Tables()
    parser.feed(text)
    names = re.findall(r"<x:Name>([^<]+)</x:Name>", text)
    grids = []
    for t, table in enumerate(parser.tables):
        rows: list[list[Any]] = []
        taken: set[tuple[int, int]] = set()
        merges: list[Merge] = []
        for r, cells in enumerate(table):
            c = 0
            for value, rowspan, colspan in cells:
                while (r, c) in taken:
                    c += 1
                for rr in range(r, r + rowspan):
                    taken.update((rr, cc) for cc in range(c, c + colspan))
                while len(rows) <= r:
                    rows.append([])
                rows[r].extend([""] * (c + 1 - len(rows[r])))
                rows[r][c] = value
                if rowspan > 1 or colspan > 1:
                    merges.append((r, c, r + rowspan - 1, c + colspan - 1))
                c += colspan
        name = names[t] if len(names) == len(parser.tables) else path.stem + (f" ({t + 1})" if t else "")
        grids.append(_Grid(name, rows, merges))
    if not grids:
        raise _fail(path, None, "", "是网页文件，但其中没有表格", "an HTML file without a table")
    return grids


# ---------------------------------------------------------------- what the .xlsx XML says

_BUILTIN_FORMATS = {1: "0", 2: "0.00"}
_PADDED = re.compile(r'^((?:"[^"]*"|\\.)*)(0+)(?:\.(0+))?((?:"[^"]*"|\\.)*)$')
_REF = re.compile(r"^([A-Z]+)(\d+)$")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _scan_xlsx(data: bytes, grid: _Grid) -> None:
    """Formula cells without a cached value, error values, and zero-padded number formats: what
    calamine does not tell. A part that cannot be read leaves the grid as calamine gave it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            part = _sheet_part(zf, grid.name)
            if part is None:
                return
            formats = _number_formats(zf)
            xml = zf.read(part)
        # most sheets have none of these: skip the slow parse then
        styles = {int(s) for s in set(re.findall(rb'\ss="(\d+)"', xml))}
        if not (_FORMULA.search(xml) or b't="e"' in xml or styles & formats.keys()):
            return
        row, col = 0, -1
        for event, elem in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
            tag = _local(elem.tag)
            if event == "start" and tag == "row":
                row, col = int(elem.get("r", row + 1)) - 1, -1
            if event != "end" or tag != "c":
                continue
            match = _REF.match(elem.get("r", ""))
            col = _column(match.group(1)) if match else col + 1
            row = int(match.group(2)) - 1 if match else row
            children = {_local(child.tag): child for child in elem}
            kind, value = elem.get("t", "n"), children.get("v")
            text = value.text if value is not None else None
            if "f" in children and not text and kind != "str":
                grid.uncached.add((row, col))
            elif kind == "e" and text:
                grid.errors[(row, col)] = text
            elif kind == "n" and text and int(elem.get("s", "0")) in formats:
                shown = _padded(formats[int(elem.get("s", "0"))], text)
                if shown is not None:
                    grid.shown[(row, col)] = shown
            elem.clear()
    except (KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return


def _column(letters: str) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col - 1


def _sheet_part(zf: zipfile.ZipFile, name: str) -> str | None:
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    for sheet in workbook.iter():
        if _local(sheet.tag) == "sheet" and sheet.get("name") == name:
            rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
            target = targets.get(rid, "")
            if target:
                return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return None


def _number_formats(zf: zipfile.ZipFile) -> dict[int, str]:
    """Style index -> number format code, for the formats worth applying (zero padding, decimals)."""
    try:
        styles = ElementTree.fromstring(zf.read("xl/styles.xml"))
    except KeyError:
        return {}
    codes = dict(_BUILTIN_FORMATS)
    for elem in styles.iter():
        if _local(elem.tag) == "numFmt":
            codes[int(elem.get("numFmtId", "0"))] = elem.get("formatCode", "")
    xfs = next((e for e in styles.iter() if _local(e.tag) == "cellXfs"), None)
    formats = {}
    for index, xf in enumerate(xfs if xfs is not None else []):
        code = codes.get(int(xf.get("numFmtId", "0")), "")
        if _PADDED.match(code.split(";")[0]):
            formats[index] = code.split(";")[0]
    return formats


def _padded(code: str, raw: str) -> str | None:
    """A number as a ``000000`` / ``"FG-"000`` / ``0.00`` format shows it."""
    match = _PADDED.match(code)
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    if match is None or not number.is_finite():
        return None
    prefix, zeros, decimals, suffix = match.groups()
    places = len(decimals or "")
    whole, _, frac = f"{abs(number).quantize(Decimal(1).scaleb(-places), 'ROUND_HALF_UP'):f}".partition(".")
    sign = "-" if number < 0 else ""
    return sign + _unquote(prefix) + whole.zfill(len(zeros)) + (f".{frac}" if places else "") + _unquote(suffix)


def _unquote(literal: str) -> str:
    return re.sub(r'"([^"]*)"|\\(.)', lambda m: m.group(1) if m.group(1) is not None else m.group(2), literal)


# ---------------------------------------------------------------- cells and rows


def _shown(value: Any) -> tuple[str, bool]:
    """A cell as Excel shows it (within what calamine gives), and whether Excel made it a date."""
    if isinstance(value, str):
        return value.strip(), False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)), False
    if isinstance(value, datetime.datetime):
        return (value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")), True
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat(), True
    if isinstance(value, datetime.timedelta):
        return str(value), True
    return str(value).strip(), False


def list_sheets(path: Path) -> list[str]:
    """The sheet names of a workbook (a CSV has one, named after the file)."""
    return _open(path).names


def read_tables(path: Path, sheet: str | None = None, all_sheets: bool = False) -> list[SheetTable]:
    """The item rows of one sheet (``sheet``, or the first visible one) or of every non-empty
    sheet. Raises :class:`ImportFailed` for anything that cannot be imported."""
    book = _open(path)
    if not book.names:
        raise _fail(path, None, "", "工作簿中没有工作表", "the workbook has no sheets")
    if not all_sheets:
        if sheet is None:
            name = next((n for n in book.names if n not in book.hidden), book.names[0])
        else:
            name = _pick(path, book.names, sheet)
        grid = book.load(name)
        table = _table(path, grid)
        if table is None:
            raise _no_header(path, grid.name)
        return [table]
    tables: list[SheetTable] = []
    skipped: list[SheetNote] = []
    for name in book.names:
        grid = book.load(name)
        if not any(_shown(v)[0] for row in grid.rows for v in row):
            continue
        if name in book.hidden:
            skipped.append(SheetNote(name, "", "隐藏的工作表，已跳过", "hidden sheet, skipped"))
            continue
        table = _table(path, grid)
        if table is None and list_named([name]) is not None:
            raise _no_header(path, name)
        if table is None:
            skipped.append(SheetNote(name, "", "没有找到表头，已跳过", "no header row found; skipped"))
        else:
            tables.append(table)
    if not tables:
        raise _fail(
            path, None, "", f"没有可导入的工作表（{_HEADERS_LOOKED_FOR}）", "no sheet with a header row to import"
        )
    tables[0].notes[:0] = skipped
    return tables


_HEADERS_LOOKED_FOR = "需要一行至少有两个已知列名，其中一个是事项名称：" + "、".join(
    SYNONYMS[k][0] for k in ("seq", "id", "name", "category", "tasks", "basis", "lead", "township_duty", "receiver")
)


def _pick(path: Path, names: list[str], sheet: str) -> str:
    from ..diff.names import normalise

    if sheet in names:
        return sheet
    folded = [n for n in names if normalise(n) == normalise(sheet)]
    if len(folded) == 1:
        return folded[0]
    listed = "、".join(f"“{n}”" for n in names)
    raise _fail(path, sheet, "", f"没有这个工作表；有：{listed}", f"no such sheet; the sheets are: {', '.join(names)}")


def _table(path: Path, grid: _Grid) -> SheetTable | None:
    """The sheet's table; None when no header row is found."""
    cells = [
        [(grid.shown[(r, c)], False) if (r, c) in grid.shown else _shown(v) for c, v in enumerate(row)]
        for r, row in enumerate(grid.rows)
    ]
    texts = [[text for text, _ in row] for row in cells]
    if not any(any(row) for row in texts):
        if grid.uncached:
            raise _uncached(path, grid, min(grid.uncached))
        raise _fail(path, grid.name, "", "工作表是空的", "the sheet is empty")
    header = find_header(texts, grid.merges)
    if header is None:
        if grid.uncached:
            raise _uncached(path, grid, min(grid.uncached))
        return None
    uncached = sorted((r, c) for r, c in grid.uncached if r >= header.first and c in header.keys)
    if uncached:
        raise _uncached(path, grid, uncached[0])
    return build_table(grid.name, cells, header, grid.merges, grid.errors)


def _uncached(path: Path, grid: _Grid, at: tuple[int, int]) -> ImportFailed:
    return _fail(
        path, grid.name, cell_name(*at), "公式没有缓存值（请在 Excel 中打开并保存后再导入）",
        "formula without a cached value (open and save the file in Excel, then import again)",
    )  # fmt: skip


def _no_header(path: Path, sheet: str) -> ImportFailed:
    return _fail(
        path, sheet, "", f"没有找到表头（{_HEADERS_LOOKED_FOR}）",
        "no header row found (looked for a row with at least two known column names, one of them "
        "the item name: 序号, 编号, 事项名称, 类别, 具体工作, 依据, 牵头部门, 乡镇配合职责, 承接部门 …)",
    )  # fmt: skip
