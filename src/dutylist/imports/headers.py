"""What a sheet's text means: column synonyms, list names, the (one- or two-level) header row,
and the rows under it — section rows (``一、党的建设`` becomes the category of the items below),
footnote rows (``注：…`` ends the table), items spread over merged rows.

Headers are matched after :func:`dutylist.diff.names.normalise` (NFKC, traditional to
simplified, punctuation and spaces dropped), so ``事項名稱``, ``事项名称`` and ``事项 名称`` are
one header. This module sees cell text only; reading files is ``table.py``'s job, and the
dataclasses defined here are its public interface (import them from ``imports.table``).
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from ..diff.names import normalise


@dataclass
class SourceRow:
    fields: dict[str, Any]  # canonical keys, text as shown (stripped); basis: list[str]
    sheet: str
    row: int  # 1-based, as Excel shows it
    seq: str | None = None  # the 序号 cell as shown


@dataclass
class SheetNote:
    sheet: str
    cell: str  # "C7"; "" for a note about the whole sheet
    zh: str
    en: str


@dataclass
class SheetTable:
    sheet: str
    list: str | None  # from the sheet name or a title row
    rows: builtins.list[SourceRow]
    notes: builtins.list[SheetNote]
    header_row: int  # 1-based: the (last) header row
    columns: dict[str, str]  # canonical key -> the header text it came from


#: A column read and dropped without a note.
IGNORE = "-"

#: Canonical key -> the header texts that mean it (simplified; traditional folds onto these).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号",),
    "id": ("编号", "事项编码", "编码", "事项编号", "事项代码"),
    "name": ("事项名称", "名称", "事项", "事项内容", "履职事项", "履职事项名称", "权力事项名称", "权力名称"),
    "category": ("类别", "领域", "事项类别", "事项分类", "分类"),
    "tasks": ("具体工作", "工作内容", "履职内容", "具体工作事项", "具体工作内容"),
    "basis": ("依据", "实施依据", "法律依据", "设定依据", "政策依据", "履职依据", "法律法规依据", "政策法规依据"),
    "lead": ("牵头部门", "对应上级部门", "主管部门", "县级牵头部门", "上级部门", "县级主管部门"),
    "lead_duty": ("上级部门职责", "县级部门职责", "部门职责", "牵头部门职责", "主管部门职责"),
    "township_duty": ("乡镇配合职责", "镇街配合职责", "乡镇职责", "乡镇街道配合职责", "街道配合职责", "配合职责"),
    "receiver": ("承接部门", "收回部门", "承接单位"),
    "method": ("工作方式", "运行方式", "履职方式"),
    "power_type": ("权力类型", "事项类型", "权力类别"),
    IGNORE: ("备注",),
}

#: List key -> the sheet names or titles that say it (matched as a part of the normalised text).
LIST_NAMES: dict[str, tuple[str, ...]] = {
    "basic": ("基本履职事项",),
    "cooperative": ("配合履职事项",),
    "recalled": ("上级部门收回事项", "收回事项"),
    "powers": ("权责清单", "行政权力事项"),
    "autonomy": ("依法自治事项",),
    "assist": ("依法协助事项",),
    "negative": ("负面清单",),
}

_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_NUM = "一二三四五六七八九十百零〇"
# level 0: 一、党的建设 / 第一部分 …; level 1: （一）…; level 2: 1.… / 1、… / (1)…
_SECTIONS = (
    (0, re.compile(rf"^(?:[{_NUM}]+\s*[、.．]|第[{_NUM}\d]+[部分类章节]+[、:：\s]*)\s*(\S.*)$")),
    (1, re.compile(rf"^[（(]\s*[{_NUM}]+\s*[）)]\s*[、.．]?\s*(\S.*)$")),
    (2, re.compile(r"^(?:\d+\s*[、.．](?!\d)|[（(]\d+[）)])\s*(\S.*)$")),
)
#: A 序号 cell that numbers a section rather than an item: 一 / （一） / 第一部分.
_BASIS_SPLIT = re.compile(r"[\n;；]")
_SECTION_SEQ = (
    (0, re.compile(rf"^(?:[{_NUM}]+[、.．]?|第[{_NUM}\d]+[部分类章节]+)$")),
    (1, re.compile(rf"^[（(][{_NUM}]+[）)]$")),
)
_COUNT = re.compile(r"\s*[（(]\s*(?:共\s*)?\d+\s*项\s*[）)]\s*$|\s*共\s*\d+\s*项\s*$")
_FOOTNOTE = re.compile(r"^\s*(?:注|备注|说明|附注)\s*\d*\s*[:：]")
_META = re.compile(
    r"^\s*(?:(?:填报|填表|报送|制表|编制)(?:单位|人|日期|时间)|日期|联系(?:人|电话)|审核人|负责人)\s*[:：]"
)


@lru_cache(maxsize=4096)
def header_key(text: str) -> str | None:
    """The canonical key a header cell means (``IGNORE`` for 备注), or None."""
    for candidate in (text, _BRACKETS.sub("", text)):
        key = _index().get(normalise(candidate))
        if key is not None:
            return key
    return None


@cache
def _index() -> dict[str, str]:
    return {normalise(text): key for key, texts in SYNONYMS.items() for text in texts}


def list_named(texts: list[str]) -> str | None:
    """The one list these texts (a sheet name, or title rows) name; None when none or several."""
    found = {
        key
        for text in texts
        for key, names in LIST_NAMES.items()
        if any(normalise(name) in normalise(text) for name in names)
    }
    return found.pop() if len(found) == 1 else None


def section_title(text: str) -> tuple[int, str] | None:
    """``一、党的建设（12项）`` -> (0, "党的建设"): a section row's level and its category."""
    for level, pattern in _SECTIONS:
        match = pattern.match(text.strip())
        if match:
            title = _COUNT.sub("", match.group(1)).strip()
            return (level, title) if title else None
    return None


def section_seq(text: str) -> int | None:
    """The section level of a 序号 cell holding a Chinese numeral (``一``, ``（二）``), else None."""
    for level, pattern in _SECTION_SEQ:
        if pattern.match(text.strip()):
            return level
    return None


def is_footnote(text: str) -> bool:
    return bool(_FOOTNOTE.match(text))


def is_meta(cells: list[str]) -> bool:
    """A 填报单位：… / 日期：… row: never a header."""
    return any(_META.match(text) for text in cells if text)


@dataclass
class Header:
    first: int  # 0-based index of the (top) header row
    last: int  # its last row: first, or first + 1 for a two-level header
    keys: dict[int, str]  # column -> canonical key (IGNORE columns left out)
    labels: dict[int, str]  # column -> the header text it came from
    unknown: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, text) that maps to nothing
    doubtful: list[tuple[int, int, str, str]] = field(default_factory=list)  # (row, column, zh, en)
    sub_known: int = 0  # lower-row cells of a two-level header that are known headers
    sub_unknown: int = 0  # … and that are not (a data row is not a header's second level)


Merge = tuple[int, int, int, int]  # (first row, first column, last row, last column), 0-based, inclusive


def find_header(texts: list[list[str]], merges: list[Merge], scan: int = 100) -> Header | None:
    """The first row (under title and 填报单位 rows) where at least two cells are known headers,
    one of them a name column; with the row below when the two form a two-level header."""
    for i in range(min(len(texts), scan)):
        if is_meta(texts[i]):
            continue
        if i + 1 < len(texts) and not is_meta(texts[i + 1]) and _two_level(texts, merges, i):
            header = _resolve(texts, merges, i, i + 1)
            if _qualifies(header) and header.sub_known > header.sub_unknown:
                return header
        header = _resolve(texts, merges, i, None)
        if _qualifies(header):
            return header
    return None


def _qualifies(header: Header) -> bool:
    return "name" in header.keys.values() and len(header.keys) >= 2


def _groups(texts: list[list[str]], merges: list[Merge], i: int) -> dict[int, int]:
    """Column -> the column whose label in row ``i`` spans it (merged, or left blank beside a label
    whose own column has a label below: the inference for files without merge information)."""
    spans: dict[int, int] = {}
    top, below = texts[i], texts[i + 1] if i + 1 < len(texts) else []
    covered: set[int] = set()
    for r0, c0, r1, c1 in merges:
        if r0 <= i <= r1 and c1 > c0:
            covered.update(range(c0, c1 + 1))
            if r0 == i:
                spans.update({c: c0 for c in range(c0, c1 + 1)})
    label: int | None = None
    for c, text in enumerate(top):
        if text:
            label = c if c < len(below) and below[c] else None
        elif label is not None and c not in covered and c < len(below) and below[c]:
            spans[c] = label
        else:
            label = None
    return spans


def _two_level(texts: list[list[str]], merges: list[Merge], i: int) -> bool:
    top, below = texts[i], texts[i + 1]
    if sum(1 for text in top if text) < 2:
        return False
    spans = _groups(texts, merges, i)
    grouped = {c for c, c0 in spans.items() if c != c0 or list(spans.values()).count(c0) > 1}
    sublabel = any(c < len(below) and below[c] for c in grouped)
    own = any(text and c not in grouped and not (c < len(below) and below[c]) for c, text in enumerate(top))
    vertical = any(r0 == i and r1 > i for r0, _c0, r1, _c1 in merges)
    return sublabel and (own or vertical)


def _resolve(texts: list[list[str]], merges: list[Merge], i: int, j: int | None) -> Header:
    top = texts[i]
    below = texts[j] if j is not None else []
    spans = _groups(texts, merges, i) if j is not None else {}
    header = Header(first=i, last=j if j is not None else i, keys={}, labels={})
    width = max(len(top), len(below))
    for c in range(width):
        own = top[c] if c < len(top) else ""
        group = top[spans[c]] if c in spans else own
        sub = below[c] if c < len(below) else ""
        key, label, row = None, own, i
        if not sub:
            key = header_key(own) if own else None
        else:
            label, row = (f"{group}/{sub}" if group else sub), j if j is not None else i
            combined, alone, upper = header_key(group + sub) if group else None, header_key(sub), header_key(group)
            if combined is not None or alone is not None:
                header.sub_known += 1
            else:
                header.sub_unknown += 1
            if combined is not None:
                key = combined
            elif alone == "name" and upper not in (None, "name", "seq", IGNORE):
                key = upper  # 牵头部门 / 名称: the department's name, not the item's
                header.doubtful.append(
                    (row, c, f"合并表头“{label}”按“{group}”读取", f'merged header "{label}" read as "{group}"')
                )
            elif alone is not None:
                key = alone
            elif upper is not None and own:
                key = upper
        if key is None:
            if label:
                header.unknown.append((row, c, label))
        elif key != IGNORE and key in header.keys.values():
            header.doubtful.append(
                (row, c, f"列“{label}”与前面的列重复，已忽略", f'column "{label}" repeats an earlier column; ignored')
            )
        elif key != IGNORE:
            header.keys[c], header.labels[c] = key, label
    return header


def cell_name(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def build_table(
    sheet: str,
    cells: list[list[tuple[str, bool]]],
    header: Header,
    merges: list[Merge],
    errors: dict[tuple[int, int], str],
) -> SheetTable:
    """The table under ``header``: ``cells`` holds each cell as shown and whether Excel made it
    a date; ``errors`` the cells holding #N/A and the like."""
    titles = [text for row in cells[: header.first] for text, _ in row if text]
    table = SheetTable(
        sheet=sheet,
        list=list_named([sheet]) or list_named(titles),
        rows=[],
        notes=[],
        header_row=header.last + 1,
        columns={key: header.labels[c] for c, key in header.keys.items()},
    )
    for r, c, label in header.unknown:
        table.notes.append(
            SheetNote(
                sheet,
                cell_name(r, c),
                f"列“{label}”不对应任何字段，已忽略",
                f'column "{label}" maps to no field; ignored',
            )
        )
    table.notes.extend(SheetNote(sheet, cell_name(r, c), zh, en) for r, c, zh, en in header.doubtful)
    _read_rows(table, cells, header, merges, errors)
    return table


def _read_rows(
    table: SheetTable,
    cells: list[list[tuple[str, bool]]],
    header: Header,
    merges: list[Merge],
    errors: dict[tuple[int, int], str],
) -> None:
    keys = header.keys
    name_col = next(c for c, k in keys.items() if k == "name")
    seq_col = next((c for c, k in keys.items() if k == "seq"), None)
    # below the header, a vertical merge repeats its top-left value down its first column
    cover = {(rr, c0): (r0, c0) for r0, c0, r1, _c1 in merges if r0 > header.last for rr in range(r0 + 1, r1 + 1)}
    by_row: dict[int, SourceRow] = {}
    category: str | None = None
    top_level: int | None = None

    def note(r: int, c: int, zh: str, en: str) -> None:
        table.notes.append(SheetNote(table.sheet, cell_name(r, c), zh, en))

    def text(r: int, c: int) -> str:
        return cells[r][c][0] if c < len(cells[r]) else ""

    for r in range(header.last + 1, len(cells)):
        filled = [(c, t) for c, (t, _) in enumerate(cells[r]) if t]
        if not filled:
            continue
        first_col, first = filled[0]
        if is_footnote(first):
            _after_footnote(cells, r, first_col, name_col, keys, note)
            return
        section = section_title(first) if len(filled) == 1 else None
        if len(filled) == 1 and keys.get(first_col) == "category":
            section = section or (0, first)  # 党的建设 alone in the 类别 column
        if len(filled) == 2 and first_col == seq_col and section_seq(first) is not None:
            section = (section_seq(first) or 0, filled[1][1])
        if section is not None:
            level, title = section
            if top_level is None or level <= top_level:
                top_level, category = level, title
            continue
        if (
            len(text(r, name_col)) < 20
            and header_key(text(r, name_col)) == "name"
            and sum(1 for c, t in filled if header_key(t) == keys.get(c)) >= 2
        ):
            continue  # the header repeated (printed pages, pasted tables)
        for c, key in keys.items():
            if c < len(cells[r]) and cells[r][c][1]:
                note(
                    r,
                    c,
                    f"Excel 把这个单元格变成了日期 {text(r, c)}，请核对原文",
                    f"Excel turned this cell into the date {text(r, c)}; check the original text",
                )
            if (r, c) in errors and key != "seq":
                note(
                    r,
                    c,
                    f"单元格是错误值 {errors[(r, c)]}，按空白处理",
                    f"the cell holds the error {errors[(r, c)]}; read as empty",
                )
        own = {key: text(r, c) for c, key in keys.items() if key != "seq" and text(r, c)}
        if not text(r, name_col):
            parent = by_row.get(cover.get((r, name_col), (-1, 0))[0])
            if parent is not None:
                _continue(parent, own)  # one item over several rows: its name merged down
            elif any(c != seq_col for c, _ in filled):
                note(r, name_col, "这一行没有事项名称，已跳过", "row without an item name; skipped")
            continue
        fields: dict[str, Any] = {}
        for c, key in keys.items():
            value = text(r, c) or (text(*cover[(r, c)]) if (r, c) in cover else "")
            if key != "seq" and value:
                fields[key] = value
        if category is not None:
            fields.setdefault("category", category)
        if "basis" in fields:
            fields["basis"] = _split_basis(fields["basis"])
        seq = text(r, seq_col) if seq_col is not None else ""
        by_row[r] = SourceRow(fields=fields, sheet=table.sheet, row=r + 1, seq=seq or None)
        table.rows.append(by_row[r])


def _split_basis(text: str) -> list[str]:
    return [part.strip() for part in _BASIS_SPLIT.split(text) if part.strip()]


def _continue(parent: SourceRow, own: dict[str, str]) -> None:
    for key, value in own.items():
        if key == "basis":
            parent.fields.setdefault("basis", []).extend(_split_basis(value))
        elif key != "name" and parent.fields.get(key) != value:
            parent.fields[key] = f"{parent.fields[key]}\n{value}" if parent.fields.get(key) else value


def _after_footnote(
    cells: list[list[tuple[str, bool]]],
    r: int,
    col: int,
    name_col: int,
    keys: dict[int, str],
    note: Callable[[int, int, str, str], None],
) -> None:
    """The table ends at a 注：/说明： row; say so if item-like rows follow it."""
    later = [
        rr
        for rr in range(r + 1, len(cells))
        if name_col < len(cells[rr])
        and cells[rr][name_col][0]
        and sum(1 for c in keys if c < len(cells[rr]) and cells[rr][c][0]) >= 2
        and not is_footnote(next(t for t, _ in cells[rr] if t))
    ]
    if later:
        note(
            r, col, f"表格在此注释行结束；其后还有 {len(later)} 行（第 {later[0] + 1} 行起）未导入",
            f"the table ends at this footnote; {len(later)} row(s) after it (from row {later[0] + 1}) not imported",
        )  # fmt: skip
