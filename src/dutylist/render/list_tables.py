"""The published tables of a compiled list, shared by the XLSX and Markdown renderings.

Each unit gets the tables counties publish for it, in the columns they use: a township its
lists (基本履职事项, 配合履职事项, 上级部门收回事项, 权责清单), a village its three lists, a
department its 权责清单 and its view of the townships' items (部门视角): the cooperative
entries it leads (牵头配合事项) and the recalled entries it receives (收回承接事项).
Tables without rows are left out; a unit without tables gets no file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from ..compiled import CompiledList
from ..model.vocab import LIST_LABELS_ZH, LISTS_BY_KIND

Entry = dict[str, Any]
#: A cell before formatting: text, a number, a list of texts (依据), or nothing.
Cell = str | int | list[str] | None


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # in Excel's character units (a Chinese character is about two)
    value: Callable[[Entry, int], Cell]  # (entry, row number from 1) -> cell
    centred: bool = False


def _field(key: str) -> Callable[[Entry, int], Cell]:
    def get(entry: Entry, _row: int) -> Cell:
        value: Cell = entry.get(key)
        return value

    return get


SEQ = Column("序号", 6, _field("seq"), centred=True)
ROW = Column("序号", 6, lambda _entry, row: row, centred=True)
NAME = Column("事项名称", 30, _field("name"))
BASIS = Column("依据", 40, _field("basis"))
TOWNSHIP = Column("乡镇", 14, _field("unit_name"))
LEAD_DUTY = Column("上级部门职责", 40, _field("lead_duty"))
TOWNSHIP_DUTY = Column("乡镇配合职责", 40, _field("township_duty"))
METHOD = Column("工作方式", 44, _field("method"))

LIST_COLUMNS: dict[str, tuple[Column, ...]] = {
    "basic": (SEQ, NAME, Column("类别", 12, _field("category")), Column("具体工作", 56, _field("tasks")), BASIS),
    "cooperative": (SEQ, NAME, Column("牵头部门", 18, _field("lead_name")), LEAD_DUTY, TOWNSHIP_DUTY, BASIS),
    "recalled": (SEQ, NAME, Column("承接部门", 18, _field("receiver_name")), METHOD),
    "powers": (SEQ, NAME, Column("权力类型", 14, _field("power_type")), BASIS),
    "autonomy": (SEQ, NAME, BASIS),
    "assist": (SEQ, NAME, BASIS),
    "negative": (SEQ, NAME, BASIS),
}

LEADS, RECEIVES = "leads", "receives"
VIEW_TITLES = {LEADS: "牵头配合事项", RECEIVES: "收回承接事项"}
VIEW_COLUMNS: dict[str, tuple[Column, ...]] = {
    LEADS: (ROW, TOWNSHIP, NAME, LEAD_DUTY, TOWNSHIP_DUTY),
    RECEIVES: (ROW, TOWNSHIP, NAME, METHOD),
}


@dataclass(frozen=True)
class Table:
    key: str  # a list key, or LEADS / RECEIVES
    title: str  # the sheet name: 基本履职事项, 牵头配合事项, ...
    columns: tuple[Column, ...]
    entries: list[Entry]

    def rows(self) -> Iterator[list[Cell]]:
        for row, entry in enumerate(self.entries, 1):
            yield [column.value(entry, row) for column in self.columns]


@dataclass(frozen=True)
class UnitTables:
    unit: dict[str, Any]
    display_name: str  # a village is named with its township: 桃源镇红星村
    tables: list[Table]


def version_suffix(label: str) -> str:
    """（2025年版） for a year, （2025-06版） for any other version label."""
    return f"（{label}年版）" if re.fullmatch(r"\d{4}", label) else f"（{label}版）"


def table_title(display_name: str, table: Table, label: str) -> str:
    """桃源镇基本履职事项清单（2025年版）; 权责清单 and 负面清单 are not doubled."""
    name = table.title if table.title.endswith("清单") else table.title + "清单"
    return display_name + name + version_suffix(label)


def iter_entries(listing: CompiledList) -> Iterator[Entry]:
    """Every entry in canonical order, parsed one at a time and not kept.

    ``CompiledList.entries()`` keeps them all (about 2 KB an entry: 2 GB for a province);
    renderers only ever need one unit's at a time.
    """
    loads = orjson.loads
    for line in listing.lines:
        entry: Entry = loads(line)
        yield entry


def unit_tables(listing: CompiledList) -> Iterator[UnitTables]:
    """Every unit with something to publish, in the order of units.yaml.

    Two passes over the entry lines keep memory to one unit's entries at a time: the first
    notes where each unit's lines are and which cooperative and recalled entries name each
    department; the second parses each unit's lines (and a department's view) when its
    turn comes.
    """
    lines = listing.lines
    position = {unit["id"]: i for i, unit in enumerate(listing.units)}
    spans: dict[str, list[list[int]]] = {}  # unit -> [start, end) runs of line indices
    views: dict[str, dict[str, list[tuple[int, int]]]] = {LEADS: {}, RECEIVES: {}}  # dept -> (township, line)
    for i, entry in enumerate(iter_entries(listing)):
        runs = spans.setdefault(entry["unit"], [])
        if runs and runs[-1][1] == i:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
        view, dept = _VIEW_OF.get(entry["list"], ("", ""))
        if view and entry[dept]:
            views[view].setdefault(entry[dept], []).append((position.get(entry["unit"], -1), i))
    names = {unit["id"]: unit["name"] for unit in listing.units}
    for unit in listing.units:
        kind = unit["kind"]
        lists: dict[str, list[Entry]] = {}
        for start, end in spans.get(unit["id"], ()):
            for line in lines[start:end]:
                entry = orjson.loads(line)
                lists.setdefault(entry["list"], []).append(entry)
        tables = [
            Table(key, LIST_LABELS_ZH[key], LIST_COLUMNS[key], lists[key])
            for key in LISTS_BY_KIND.get(kind, ())
            if lists.get(key)
        ]
        if kind == "department":
            for view in (LEADS, RECEIVES):
                held = sorted(views[view].get(unit["id"], ()))  # townships in units.yaml order
                if held:
                    entries = [orjson.loads(lines[i]) for _pos, i in held]
                    tables.append(Table(view, VIEW_TITLES[view], VIEW_COLUMNS[view], entries))
        if tables:
            display = unit["name"]
            if kind == "village" and unit.get("township") in names:
                display = names[unit["township"]] + display
            yield UnitTables(unit, display, tables)


#: list key -> (the department view it feeds, the field naming the department)
_VIEW_OF = {"cooperative": (LEADS, "lead"), "recalled": (RECEIVES, "receiver")}
