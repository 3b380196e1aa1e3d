"""Markdown: ``md/index.md`` and one ``md/<unit-id>.md`` per unit with something to publish.

The index gives the version, its effective date and approving document, and a table of the
units in the order of units.yaml (townships, departments, villages apart), with their counts
per list and links to their pages. A unit's page has one table per list, in the columns of
the XLSX rendering (a department's page also its 部门视角 tables). Cell text is escaped so
that a ``|`` or a line break in a catalogue never breaks a table, and Markdown or HTML
written in a catalogue shows as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..compiled import CompiledList
from ..model.vocab import KIND_LABELS_ZH, LIST_LABELS_ZH, TOWNSHIP_KINDS, TOWNSHIP_LISTS, VILLAGE_LISTS
from .list_tables import LEADS, RECEIVES, VIEW_TITLES, Cell, UnitTables, unit_tables

MD_DIR = "md"
LIST_SEPARATOR = "；"

#: Markdown and HTML syntax shown as written, line breaks as <br> (a table row is one line).
_ESCAPES = str.maketrans({**{c: "\\" + c for c in "\\`*_~[]<>|&"}, "\n": "<br>"})

#: The index's sections: heading, which units, the count columns (list or view keys), a total?
_SECTIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], bool], ...] = (
    ("乡镇（街道）", TOWNSHIP_KINDS, TOWNSHIP_LISTS, True),
    ("县直部门", ("department",), ("powers", LEADS, RECEIVES), False),
    ("村（社区）", ("village",), VILLAGE_LISTS, True),
)
_COUNT_HEADERS = {**LIST_LABELS_ZH, **VIEW_TITLES}


def md_cell(value: Cell) -> str:
    """One table cell: lists joined with "；", Markdown and HTML escaped, line breaks as <br>."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.translate(_ESCAPES)


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], right: Iterable[int] = ()) -> str:
    headers = list(headers)
    aligned = set(right)
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if i in aligned else "---" for i in range(len(headers))) + "|",
    ]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def write_markdown(listing: CompiledList, out_dir: Path) -> list[Path]:
    directory = out_dir / MD_DIR
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pages: dict[str, dict[str, int]] = {}  # unit id -> rows per table: the index needs no more
    for unit in unit_tables(listing):
        pages[unit.unit["id"]] = {table.key: len(table.entries) for table in unit.tables}
        path = directory / f"{unit.unit['id']}.md"
        _write(path, _unit_page(unit, listing))
        written.append(path)
    index = directory / "index.md"
    _write(index, _index_page(listing, pages))
    return [index, *written]


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def _index_page(listing: CompiledList, pages: dict[str, dict[str, int]]) -> str:
    manifest = listing.manifest
    region = manifest.get("region") or {}
    facts = [
        ("版本", md_cell(listing.label)),
        ("行政区划", md_cell(f"{region['name']}（{region['code']}）") if region else ""),
        ("施行日期", md_cell(manifest.get("effective"))),
        ("批准文号", md_cell(manifest.get("approval"))),
        ("上一版本", md_cell(manifest.get("previous"))),
        ("事项条目", md_cell(manifest.get("entries"))),
        ("内容哈希", f"`{manifest['hash']}`"),
    ]
    title = md_cell(str(manifest.get("title") or listing.label))
    parts = [f"# {title}\n", "".join(f"- {key}：{value}\n" for key, value in facts if value)]
    names = {u["id"]: u["name"] for u in listing.units}
    for heading, kinds, keys, total in _SECTIONS:
        units = [u for u in listing.units if u["kind"] in kinds]
        if not units:
            continue
        # townships show their kind (镇/乡/街道), villages their township, departments nothing more
        extra = {"town": "类型", "village": "所属乡镇"}.get(kinds[0])
        headers = [
            "单位",
            *([extra] if extra else []),
            *(_COUNT_HEADERS[k] for k in keys),
            *(["合计"] if total else []),
        ]
        rows = []
        for unit in units:
            counts = pages.get(unit["id"], {})
            numbers = [counts.get(k, 0) for k in keys]
            name = md_cell(unit["name"])
            row = [f"[{name}]({unit['id']}.md)" if unit["id"] in pages else name]
            if extra == "类型":
                row.append(KIND_LABELS_ZH.get(unit["kind"], unit["kind"]))
            elif extra:
                row.append(md_cell(names.get(unit.get("township", ""), "")))
            row.extend(str(n) for n in numbers)
            if total:
                row.append(str(sum(numbers)))
            rows.append(row)
        right = range(len(headers) - len(keys) - total, len(headers))
        parts.append(f"## {heading}（{len(units)}个）\n\n" + _table(headers, rows, right))
    return "\n".join(parts)


def _unit_page(unit: UnitTables, listing: CompiledList) -> str:
    info: dict[str, Any] = unit.unit
    kind = KIND_LABELS_ZH.get(info["kind"], info["kind"])
    title = md_cell(str(listing.manifest.get("title") or listing.label))
    parts = [
        f"# {md_cell(unit.display_name)}\n",
        f"{title} · {kind} · 单位编码 `{info['id']}` · [返回目录](index.md)\n",
    ]
    for table in unit.tables:
        rows = ([md_cell(cell) for cell in row] for row in table.rows())
        parts.append(f"## {md_cell(table.title)}（{len(table.entries)}项）\n")
        parts.append(_table((c.header for c in table.columns), rows, right=(0,)))
    return "\n".join(parts)
