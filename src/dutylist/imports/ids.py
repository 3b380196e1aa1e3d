"""Which item each spreadsheet row is: an item the unit file already has (its id kept), an
item the unit gets from a template, or a new item with the next id in the unit's pattern.

Re-importing an updated spreadsheet must never renumber: rows match existing items by the
sheet's 编号 when it names one, else by normalised name, and keep their ids.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedSeq

from ..diff.names import normalise
from ..model.vocab import ALL_LISTS, ID_RE
from . import FieldChange, ImportNote, ItemChange, ItemRef, ListReport, Unresolved
from .write import (
    Document,
    Lines,
    differences,
    field_order,
    is_ours,
    list_seq,
    new_item,
    plain,
    put_blocks,
    set_source,
    source_comment,
    take_blocks,
    unresolved_line,
    update_item,
)

if TYPE_CHECKING:
    from .resolve import PreparedRow, Templates

#: The letter of each list in generated ids: FGZ-B-001, FGZ-C-001, ...
LIST_LETTERS = {
    "basic": "B",
    "cooperative": "C",
    "recalled": "R",
    "powers": "P",
    "autonomy": "A",
    "assist": "S",
    "negative": "N",
}

_NUMBERED = re.compile(r"^(.*?)(\d+)$")
_LETTERED = re.compile(r"^(.+)-([A-Z])-(\d+)$")


def valid_id(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text if text and len(text) <= 128 and ID_RE.match(text) else None


@dataclass
class IdPattern:
    prefix: str
    width: int
    last: int

    def format(self, number: int) -> str:
        return f"{self.prefix}{number:0{self.width}d}"


def list_pattern(ids: Iterable[str]) -> IdPattern | None:
    """The pattern of a list's ids: the most used prefix before a trailing number, its usual
    width, and its highest number (TAOYUAN-B-101, TAOYUAN-B-102 → TAOYUAN-B-, 3, 102)."""
    numbered = [(m.group(1), m.group(2)) for m in map(_NUMBERED.match, ids) if m]
    if not numbered:
        return None
    prefixes = Counter(prefix for prefix, _ in numbered)
    best = max(prefixes.items(), key=lambda kv: kv[1])[0]
    mine = [digits for prefix, digits in numbered if prefix == best]
    width = Counter(len(d) for d in mine).most_common(1)[0][0]
    return IdPattern(best, width, max(int(d) for d in mine))


def start_pattern(unit_id: str, list_key: str, other_ids: Iterable[str]) -> IdPattern:
    """The pattern of a list that has no ids yet: the prefix of the unit's other lists
    (TAOYUAN-C-101 → TAOYUAN-B-001), else the unit id upper-cased (FGZ-B-001)."""
    letter = LIST_LETTERS[list_key]
    found = [(m.group(1), len(m.group(3))) for m in map(_LETTERED.match, other_ids) if m]
    if found:
        prefix = Counter(p for p, _ in found).most_common(1)[0][0]
        width = Counter(w for p, w in found if p == prefix).most_common(1)[0][0]
        return IdPattern(f"{prefix}-{letter}-", width, 0)
    return IdPattern(f"{unit_id.upper()}-{letter}-", 3, 0)


def file_ids(data: Any) -> dict[str, list[str]]:
    """The ids of each list of a unit file."""
    out: dict[str, list[str]] = {}
    for key in ALL_LISTS:
        items = data.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out.setdefault(key, []).append(str(item["id"]))
    return out


class IdAllocator:
    """Ids unique in the unit: its own lists and the items of the templates it includes."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)

    def claim(self, item_id: str) -> bool:
        if item_id in self.taken:
            return False
        self.taken.add(item_id)
        return True

    def next(self, pattern: IdPattern) -> str:
        number = pattern.last + 1
        while pattern.format(number) in self.taken:
            number += 1
        pattern.last = number
        item_id = pattern.format(number)
        self.taken.add(item_id)
        return item_id


# --- matching rows to items ----------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """An item a row may be: one of the unit file's list, or one of a template."""

    id: str
    name: str
    template: str = ""  # the template's name, for template items


@dataclass
class Match:
    kind: str  # "kept" | "template" | "new"
    id: str = ""
    index: int = -1  # kept: the index in the existing list; template: in the template items
    note: tuple[str, str] | None = None  # (zh, en) about the id


@dataclass
class Matching:
    matches: list[Match]
    removed: list[int] = field(default_factory=list)  # indices of existing items no row names


def match_rows(
    rows: list[tuple[str | None, str]],
    existing: list[Known],
    templates: list[Known],
    allocator: IdAllocator,
    pattern: IdPattern,
) -> Matching:
    """Match ``rows`` (the sheet's 编号 or None, the name) to items, in three passes: 编号
    first (so a name never takes an item another row names by id), then normalised names,
    then new ids for the rest — the sheet's 编号 when free, else the next in ``pattern``."""
    by_id = {k.id: i for i, k in enumerate(existing)}
    by_name: dict[str, list[int]] = {}
    for i, k in enumerate(existing):
        by_name.setdefault(normalise(k.name), []).append(i)
    tmpl_id = {k.id: i for i, k in enumerate(templates)}
    tmpl_name = {normalise(k.name): i for i, k in reversed(list(enumerate(templates)))}
    claimed: set[int] = set()
    matches: list[Match | None] = [None] * len(rows)
    for r, (rid, _name) in enumerate(rows):
        if rid is not None and rid in by_id and by_id[rid] not in claimed:
            claimed.add(by_id[rid])
            matches[r] = Match("kept", rid, by_id[rid])
        elif rid is not None and rid in tmpl_id:
            matches[r] = Match("template", rid, tmpl_id[rid])
    for r, (rid, name) in enumerate(rows):
        if matches[r] is not None:
            continue
        key = normalise(name)
        free = [i for i in by_name.get(key, ()) if i not in claimed]
        if free:
            i = free[0]
            claimed.add(i)
            kept = existing[i].id
            note = None
            if rid is not None and rid != kept:
                note = (
                    f"编号 {rid} 与文件中同名事项的编号 {kept} 不同，保留 {kept}",
                    f"编号 {rid} differs from {kept}, the id of the item of that name in the file: {kept} kept",
                )
            matches[r] = Match("kept", kept, i, note)
        elif key in tmpl_name:
            matches[r] = Match("template", templates[tmpl_name[key]].id, tmpl_name[key])
    for r, (rid, _name) in enumerate(rows):  # the sheet's own ids first, so generated ones avoid them
        if matches[r] is None and rid is not None and allocator.claim(rid):
            matches[r] = Match("new", rid)
    out: list[Match] = []
    for r, (rid, _name) in enumerate(rows):
        match = matches[r]
        if match is None:
            match = Match("new", allocator.next(pattern))
            if rid is not None:
                match.note = (
                    f"编号 {rid} 已被本单位其他事项使用，改用 {match.id}",
                    f"编号 {rid} is already used in this unit: {match.id} given instead",
                )
        out.append(match)
    removed = [i for i in range(len(existing)) if i not in claimed]
    return Matching(out, removed)


# --- merging a sheet's rows into a list -----------------------------------------------


class _Entry:
    """A list item and the comment lines above it."""

    def __init__(self, node: Any, block: Lines) -> None:
        self.node = node
        self.block = block
        self.removed = False


def merge_lists(
    doc: Document,
    rows: dict[str, list[PreparedRow]],
    templates: Templates,
    unit_id: str,
    file_name: str,
    notes: list[ImportNote],
) -> tuple[list[ListReport], list[Unresolved]]:
    """Merge each list's rows into ``doc``: existing items keep their ids, new ones get the next
    id in the unit's pattern; what the sheet no longer has is removed (the caller refuses that,
    and any change to an existing item, without ``--force``)."""
    ids = file_ids(doc.data)
    allocator = IdAllocator({i for held in ids.values() for i in held} | templates.ids)
    reports: list[ListReport] = []
    unresolved: list[Unresolved] = []
    for key in (k for k in ALL_LISTS if k in rows):
        others = [i for k, held in ids.items() if k != key for i in held]
        pattern = (
            list_pattern(ids.get(key, []))
            or list_pattern(r.rid for r in rows[key] if r.rid)
            or start_pattern(unit_id, key, others)
        )
        merge = _ListMerge(doc, key, templates.items.get(key, []), file_name, notes)
        reports.append(merge.run(rows[key], allocator, pattern, unresolved))
    return reports, unresolved


class _ListMerge:
    def __init__(
        self,
        doc: Document,
        key: str,
        templates: list[tuple[Known, dict[str, Any]]],
        file_name: str,
        notes: list[ImportNote],
    ) -> None:
        self.doc, self.key, self.templates, self.file_name, self.notes = doc, key, templates, file_name, notes
        self.order = field_order(key)

    def run(
        self, rows: list[PreparedRow], allocator: IdAllocator, pattern: IdPattern, unresolved: list[Unresolved]
    ) -> ListReport:
        current = self.doc.data.get(self.key)
        nodes = list(current) if isinstance(current, CommentedSeq) else []
        existing = [Known(str(n["id"]), str(n.get("name") or "")) for n in nodes if _has_id(n)]
        templates = [known for known, _data in self.templates]
        matching = match_rows([(r.rid, r.name) for r in rows], existing, templates, allocator, pattern)
        report = ListReport(self.key, list(dict.fromkeys(r.sheet for r in rows)), len(rows))
        if not nodes and all(m.kind == "template" for m in matching.matches):
            report.template = len(rows)  # nothing of its own: no list is added
            report.template_missing = [
                k.id for i, k in enumerate(templates) if i not in {m.index for m in matching.matches}
            ]
            return report
        seq = list_seq(self.doc, self.key)
        blocks, end = take_blocks(self.doc.data, self.key)
        entries = [_Entry(node, block) for node, block in zip(seq, blocks, strict=True)]
        mine = [e for e in entries if _has_id(e.node)]
        placed = list(entries)
        anchor: _Entry | None = None
        used_templates: set[int] = set()
        first_row: dict[str, int] = {}
        for row, match in zip(rows, matching.matches, strict=True):
            self._note_name(row, first_row)
            if match.note:
                self.notes.append(ImportNote(row.sheet, "", *match.note, row=row.row))
            if match.kind == "template":
                used_templates.add(match.index)
                report.template += 1
                self._compare_template(row, match.index)
                continue
            if match.kind == "kept":
                entry = mine[match.index]
                changes = update_item(entry.node, row.values, self.order, set(row.unresolved))
                report.kept += 1
                if changes:
                    ref = ItemRef(match.id, row.name, row.sheet, row.row)
                    report.changed.append(ItemChange(ref, [FieldChange(*c) for c in changes]))
            else:
                values = {k: v for k, v in row.values.items() if k not in row.unresolved}
                entry = _Entry(new_item(match.id, values, self.order), [])
                at = next((i + 1 for i, e in enumerate(placed) if e is anchor), 0)
                placed.insert(at, entry)
                report.new.append(ItemRef(match.id, row.name, row.sheet, row.row))
            anchor = entry
            set_source(entry.node, source_comment(self.file_name, row.sheet, row.row))
            entry.block = [line for line in entry.block if not is_ours(line)]
            for fld, (text, candidates) in row.unresolved.items():
                entry.block.append(unresolved_line(fld, text, candidates))
                kept = plain(entry.node.get(fld)) if match.kind == "kept" else None
                unresolved.append(Unresolved(row.sheet, row.row, fld, text, match.id, candidates, kept))
        for i in matching.removed:
            mine[i].removed = True
            report.removed.append(ItemRef(existing[i].id, existing[i].name))
        report.template_missing = [k.id for i, k in enumerate(templates) if i not in used_templates]
        kept_entries = _drop_removed(placed)
        seq.clear()
        seq.extend(e.node for e in kept_entries)
        put_blocks(seq, [e.block for e in kept_entries], end)
        return report

    def _note_name(self, row: PreparedRow, first_row: dict[str, int]) -> None:
        key = normalise(row.name)
        if key in first_row:
            self.notes.append(
                ImportNote(
                    row.sheet,
                    "",
                    f"事项名称与第 {first_row[key]} 行相同",
                    f"the same item name as row {first_row[key]}",
                    row.row,
                )
            )
        else:
            first_row[key] = row.row

    def _compare_template(self, row: PreparedRow, index: int) -> None:
        known, data = self.templates[index]
        diffs = differences(data, row.values, set(row.unresolved))
        if diffs:
            names = "、".join(d[0] for d in diffs)
            self.notes.append(
                ImportNote(
                    row.sheet,
                    "",
                    f"“{row.name}”是模板 {known.template} 的共性事项 {known.id}，未写入本单位文件；"
                    f"表中的 {names} 与模板不同",
                    f"{row.name!r} is item {known.id} of template {known.template}, not written to the unit "
                    f"file; the sheet's {', '.join(d[0] for d in diffs)} differ from the template",
                    row.row,
                )
            )


def _has_id(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("id"), str)


def _drop_removed(entries: list[_Entry]) -> list[_Entry]:
    """Leave out removed items; the comments above one pass to the next item when it has none
    (a group heading above the first item of a group)."""
    out: list[_Entry] = []
    carried: Lines = []
    for entry in entries:
        if entry.removed:
            carried = carried or [line for line in entry.block if not is_ours(line)]
            continue
        if carried and not entry.block:
            entry.block = carried
        carried = []
        out.append(entry)
    if out:
        while out[0].block[:1] == [""]:  # the first item follows its list's key line
            out[0].block = out[0].block[1:]
    return out
