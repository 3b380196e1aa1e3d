"""Adjustment records against the computed diff, both ways (DESIGN §6).

A record accounts for a change when the kinds agree, the record names the change's item
(its id, or an id it replaces) — for ``unit_renamed``, the unit in ``units`` — its ``to``,
when given, is a department the item goes to, and its ``units``, when given, reach the
change. ``units`` narrows a record: the townships and villages a change touches must all
be named by some matching record (a department-only change needs one of its departments).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..diff.engine import Change
from ..model.vocab import CHANGE_KINDS
from .context import CheckContext


@dataclass
class Reconciled:
    undeclared: list[tuple[Change, list[str]]] = field(default_factory=list)  # change, units left out
    unhappened: list[tuple[int, dict[str, Any], list[str], dict[str, list[str]]]] = field(
        default_factory=list
    )  # index, record, its items (or units) with no such change, what happened to them instead


def _ids(change: Change) -> set[str]:
    return {change.id, *change.replaces}


def _destinations(ctx: CheckContext, change: Change) -> set[str]:
    out = set()
    for h in change.after:
        if ctx.kind_of(h.unit) == "department":
            out.add(h.unit)
        if h.lead:
            out.add(h.lead)
        if h.receiver:
            out.add(h.receiver)
    return out


def _subjects(ctx: CheckContext, change: Change) -> tuple[set[str], bool]:
    """The units a change is about, and whether they are departments only."""
    held = {h.unit for h in (*change.before, *change.after)}
    local = {u for u in held if ctx.kind_of(u) != "department"}
    return (local, False) if local else (held, True)


def matches(ctx: CheckContext, record: dict[str, Any], change: Change) -> bool:
    if record["kind"] != change.kind:
        return False
    if change.kind == "unit_renamed":
        return change.id in record["units"]
    if not _ids(change) & set(record["items"]):
        return False
    if record.get("to") and record["to"] not in _destinations(ctx, change):
        return False
    return not record["units"] or bool(set(record["units"]) & change.units())


def reconcile(ctx: CheckContext) -> Reconciled:
    assert ctx.diff is not None
    out = Reconciled()
    changes = ctx.diff.changes
    # records and changes indexed by (kind, item id) — for unit_renamed, (kind, unit id) —
    # so a province's tens of thousands of changes meet only the records that name them
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for _i, record in ctx.records:
        for name in record["units"] if record["kind"] == "unit_renamed" else record["items"]:
            by_key[(record["kind"], name)].append(record)
    changes_by_key: dict[tuple[str, str], list[Change]] = defaultdict(list)
    for change in changes:
        for name in {change.id} if change.kind == "unit_renamed" else _ids(change):
            changes_by_key[(change.kind, name)].append(change)

    for change in changes:
        names = {change.id} if change.kind == "unit_renamed" else _ids(change)
        candidates = {id(r): r for n in sorted(names) for r in by_key.get((change.kind, n), ())}
        recs = [r for r in candidates.values() if matches(ctx, r, change)]
        subjects, departments_only = _subjects(ctx, change)
        if not recs:
            out.undeclared.append((change, sorted(subjects)))
            continue
        if change.kind == "unit_renamed" or any(not r["units"] for r in recs) or departments_only:
            continue
        named = {u for r in recs for u in r["units"]}
        missing = sorted(subjects - named)
        if missing:
            out.undeclared.append((change, missing))

    kinds_of: dict[str, set[str]] = defaultdict(set)
    for kind, name in changes_by_key:
        kinds_of[name].add(kind)
    for idx, record in ctx.records:
        kind = record["kind"]
        if kind == "unit_renamed":
            missing = [u for u in record["units"] if not changes_by_key.get((kind, u))]
            if missing:
                out.unhappened.append((idx, record, missing, {}))
            continue
        missing = []
        actual: dict[str, list[str]] = {}
        for item in record["items"]:
            one = {**record, "items": [item]}
            if any(matches(ctx, one, c) for c in changes_by_key.get((kind, item), ())):
                continue
            missing.append(item)
            if kinds_of.get(item):
                actual[item] = sorted(kinds_of[item], key=CHANGE_KINDS.index)
        if missing:
            out.unhappened.append((idx, record, missing, actual))
    return out


def reconciled(ctx: CheckContext) -> Reconciled:
    """Computed once per check, shared by DL202 and DL203."""
    if "reconciled" not in ctx.memo:
        ctx.memo["reconciled"] = reconcile(ctx)
    result: Reconciled = ctx.memo["reconciled"]
    return result
