"""Classifying what changed between two versions, in the terms of DESIGN §5.

Items are grouped by identity: the same id, or ids joined by ``replaces`` (renamed 1→1,
merged n→1, split 1→n). For each group the holdings of both sides are compared per unit,
with base units mapped through units' ``replaces`` (机构调整) and so are ``lead`` and
``receiver``. Each group yields at most one change per kind.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..model.vocab import CHANGE_KINDS, TOWNSHIP_KINDS
from .fields import field_changes
from .index import Side, changed_ids, entries_of

DOES = ("basic", "cooperative", "powers")  # a unit does an item it holds in these
BURDEN = ("basic", "cooperative")


class ConservationError(AssertionError):
    """A move that left a unit without arriving anywhere: a bug in the engine."""


@dataclass
class Holding:
    unit: str
    list: str
    lead: str | None = None
    receiver: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"unit": self.unit, "list": self.list}
        if self.lead is not None:
            out["lead"] = self.lead
        if self.receiver is not None:
            out["receiver"] = self.receiver
        return out


@dataclass
class Change:
    kind: str
    id: str
    name: str
    before: list[Holding] = field(default_factory=list)
    after: list[Holding] = field(default_factory=list)
    fields: list[dict[str, Any]] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    suggestion: dict[str, Any] | None = None

    def units(self) -> set[str]:
        """Every unit the change touches: holders, and the departments that lead or receive."""
        out = set()
        for h in (*self.before, *self.after):
            out.add(h.unit)
            if h.lead:
                out.add(h.lead)
            if h.receiver:
                out.add(h.receiver)
        return out

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "before": [h.to_json() for h in self.before],
            "after": [h.to_json() for h in self.after],
            "fields": self.fields,
        }
        if self.replaces:
            out["replaces"] = self.replaces
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        return out


@dataclass
class Burden:
    unit: str
    name: str
    gained: int = 0
    lost: int = 0

    @property
    def net(self) -> int:
        return self.gained - self.lost

    def to_json(self) -> dict[str, Any]:
        return {"unit": self.unit, "name": self.name, "gained": self.gained, "lost": self.lost, "net": self.net}


@dataclass
class DiffResult:
    base: dict[str, Any]
    head: dict[str, Any]
    changes: list[Change]
    units: list[Burden]
    unit_names: dict[str, str]

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(CHANGE_KINDS, 0)
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": 1,
            "base": self.base,
            "head": self.head,
            "summary": self.summary(),
            "units": [u.to_json() for u in self.units],
            "changes": [c.to_json() for c in self.changes],
        }


def diff_sides(base: Side, head: Side) -> DiffResult:
    # hundreds of thousands of short-lived objects, no cycles: the collector only slows it down
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _diff_sides(base, head)
    finally:
        if enabled:
            gc.enable()


def _diff_sides(base: Side, head: Side) -> DiffResult:
    bman, hman = base.manifest, head.manifest
    base_units = {u["id"]: u for u in bman["units"]}
    head_units = {u["id"]: u for u in hman["units"]}
    unit_map = {u: u for u in base_units}
    changes: list[Change] = []
    for u in hman["units"]:
        olds = [o for o in u.get("replaces", []) if o in base_units and o != u["id"]]
        for old in olds:
            unit_map[old] = u["id"]
        if olds:
            changes.append(
                Change(
                    "unit_renamed",
                    u["id"],
                    u["name"],
                    before=[Holding(o, "unit") for o in olds],
                    after=[Holding(u["id"], "unit")],
                    replaces=olds,
                )
            )

    # 1. which items have an entry that changed (unchanged entries are never parsed)
    changed = changed_ids(base, head)

    # 2. every entry of the changed items, both sides
    bentries = entries_of(base, changed)
    hentries = entries_of(head, changed)
    for e in bentries:
        e["unit"] = unit_map.get(e["unit"], e["unit"])
        for ref in ("lead", "receiver"):
            if e.get(ref):
                e[ref] = unit_map.get(e[ref], e[ref])

    by_b: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_h: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in bentries:
        by_b[e["id"]].append(e)
    for e in hentries:
        by_h[e["id"]].append(e)

    # 3. identity groups: same id, or joined by replaces
    groups = _groups(by_b, by_h)
    kinds = {uid: u["kind"] for uid, u in head_units.items()}
    kinds.update(
        {unit_map.get(uid, uid): u["kind"] for uid, u in base_units.items() if unit_map.get(uid, uid) not in kinds}
    )
    burden_before: dict[str, set[str]] = defaultdict(set)
    burden_after: dict[str, set[str]] = defaultdict(set)
    for bids, hids in groups:
        group_key = min(hids) if hids else min(bids)
        bs = [e for i in sorted(bids) for e in by_b.get(i, [])]
        hs = [e for i in sorted(hids) for e in by_h.get(i, [])]
        for e in bs:
            if e["list"] in BURDEN and kinds.get(e["unit"]) in TOWNSHIP_KINDS:
                burden_before[e["unit"]].add(group_key)
        for e in hs:
            if e["list"] in BURDEN and kinds.get(e["unit"]) in TOWNSHIP_KINDS:
                burden_after[e["unit"]].add(group_key)
        changes.extend(classify(sorted(bids), sorted(hids), bs, hs, kinds))

    burden = []
    names = {
        **{k: v["name"] for k, v in base_units.items()},
        **{k: v["name"] for k, v in head_units.items()},
    }
    for uid, u in head_units.items():
        if u["kind"] in TOWNSHIP_KINDS:
            before, after = burden_before.get(uid, set()), burden_after.get(uid, set())
            burden.append(Burden(uid, u["name"], len(after - before), len(before - after)))
    changes = order_changes(changes)
    check_conservation(changes)
    return DiffResult(
        {"spec": base.spec, "version": base.label, "hash": bman.get("hash")},
        {"spec": head.spec, "version": head.label, "hash": hman.get("hash")},
        changes,
        burden,
        names,
    )


def order_changes(changes: list[Change]) -> list[Change]:
    """Changes by kind, in the order of the vocabulary, then by id."""
    order = {k: i for i, k in enumerate(CHANGE_KINDS)}
    return sorted(changes, key=lambda c: (order[c.kind], c.id))


def _groups(
    by_b: dict[str, list[dict[str, Any]]], by_h: dict[str, list[dict[str, Any]]]
) -> list[tuple[set[str], set[str]]]:
    """Connected components of base and head ids, joined by identity and by replaces."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: tuple[str, str], b: tuple[str, str]) -> None:
        parent[find(a)] = find(b)

    for i in by_b:
        find(("b", i))
    for i, entries in by_h.items():
        find(("h", i))
        if i in by_b:
            union(("h", i), ("b", i))
        for e in entries:
            for old in e.get("replaces") or []:
                if old in by_b and old != i:
                    union(("h", i), ("b", old))
    comps: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for node in list(parent):
        root = find(node)
        bset, hset = comps.setdefault(root, (set(), set()))
        (bset if node[0] == "b" else hset).add(node[1])
    return sorted(comps.values(), key=lambda g: (min(g[1]) if g[1] else "", min(g[0]) if g[0] else ""))


def classify(
    bids: list[str], hids: list[str], bs: list[dict[str, Any]], hs: list[dict[str, Any]], kinds: dict[str, str]
) -> list[Change]:
    """The changes of one identity group."""
    name = hs[0]["name"] if hs else bs[0]["name"]
    ident = hids[0] if hids else bids[0]
    out: dict[str, Change] = {}

    def change(kind: str) -> Change:
        if kind not in out:
            out[kind] = Change(kind, ident, name)
        return out[kind]

    if not hs:
        for i in bids:
            entries = [e for e in bs if e["id"] == i]
            out[f"revoked:{i}"] = Change("revoked", i, entries[0]["name"], before=[_holding(e) for e in entries])
        return list(out.values())
    if not bs:
        for i in hids:
            entries = [e for e in hs if e["id"] == i]
            out[f"added:{i}"] = Change("added", i, entries[0]["name"], after=[_holding(e) for e in entries])
        return list(out.values())

    # identity changes
    if len(bids) > 1 and len(hids) == 1:
        c = change("merged")
        c.replaces = bids
    elif len(bids) == 1 and len(hids) > 1:
        for hid in hids:
            c = Change("split", hid, next(e["name"] for e in hs if e["id"] == hid), replaces=bids)
            out[f"split:{hid}"] = c
    elif bids != hids:
        c = change("renamed")
        c.replaces = bids
        old_name = bs[0]["name"]
        if old_name != name:
            c.fields.append({"path": "name", "old": old_name, "new": name})
    else:
        old_names = {e["name"] for e in bs}
        if name not in old_names or len(old_names) > 1:
            c = change("renamed")
            c.fields.append({"path": "name", "old": bs[0]["name"], "new": name})

    b_at = _by_unit(bs)
    h_at = _by_unit(hs)
    towns = {u for u in b_at.keys() | h_at.keys() if kinds.get(u) in TOWNSHIP_KINDS}
    depts = {u for u in b_at.keys() | h_at.keys() if kinds.get(u) == "department"}
    explained: set[str] = set()

    # moves within a township
    for t in sorted(towns & b_at.keys() & h_at.keys()):
        b, h = b_at[t], h_at[t]
        lb, lh = b["list"], h["list"]
        if lb in DOES and lh == "recalled":
            _move(change("withdrawn"), b, h)
            explained.add(t)
        elif lb == "recalled" and lh in DOES:
            _move(change("delegated"), b, h)
            explained.add(t)
        elif {lb, lh} == set(BURDEN):
            _move(change("role_changed"), b, h)
            explained.add(t)
        elif lb != lh:  # e.g. basic -> powers: it moves burden, so it is no role change
            c = change("modified")
            _move(c, b, h)
            c.fields.append({"path": "list", "old": lb, "new": lh, "units": [t]})
            explained.add(t)
        elif _ref_changed(b, h, "lead" if lb == "cooperative" else "receiver" if lb == "recalled" else ""):
            _move(change("transferred"), b, h)
            explained.add(t)

    # within a village: a change of list is a change of role
    for v in sorted(u for u in b_at.keys() & h_at.keys() if kinds.get(u) == "village"):
        if b_at[v]["list"] != h_at[v]["list"]:
            _move(change("role_changed"), b_at[v], h_at[v])
            explained.add(v)

    # between townships and departments
    b_depts = {d for d in depts if d in b_at}
    h_depts = {d for d in depts if d in h_at}
    new_depts, gone_depts = h_depts - b_depts, b_depts - h_depts
    stopped = sorted(t for t in towns - explained if t in b_at and b_at[t]["list"] in DOES and t not in h_at)
    started = sorted(t for t in towns - explained if t in h_at and h_at[t]["list"] in DOES and t not in b_at)
    if stopped and h_depts:  # townships stop doing it; a department does (newly, or still)
        c = change("withdrawn")
        c.before += [_holding(b_at[t]) for t in stopped]
        c.after += [_holding(h_at[d]) for d in sorted(new_depts or h_depts)]
        explained.update(stopped)
        explained.update(new_depts or h_depts)
    if started and b_depts:  # a department's item is now done by townships
        c = change("delegated")
        c.before += [_holding(b_at[d]) for d in sorted(gone_depts or b_depts)]
        c.after += [_holding(h_at[t]) for t in started]
        explained.update(started)
        explained.update(gone_depts or b_depts)
    if new_depts and gone_depts:
        c = change("transferred")
        c.before += [_holding(b_at[d]) for d in sorted(gone_depts)]
        c.after += [_holding(h_at[d]) for d in sorted(new_depts)]
        explained.update(new_depts | gone_depts)

    # the same role in more or fewer units: a unit gains (loses) every entry of the item, in a
    # list in which some unit already held (still holds) it; splits and merges say it already
    if len(bids) == len(hids) == 1:
        for group in (set(b_at.keys() | h_at.keys()) - depts, depts):
            b_lists = {e["list"] for u, e in b_at.items() if u in group}
            h_lists = {e["list"] for u, e in h_at.items() if u in group}
            for u in sorted(u for u in group if u not in explained):
                if u in h_at and u not in b_at and h_at[u]["list"] in b_lists:
                    change("extended").after.append(_holding(h_at[u]))
                    explained.add(u)
                elif u in b_at and u not in h_at and b_at[u]["list"] in h_lists:
                    change("narrowed").before.append(_holding(b_at[u]))
                    explained.add(u)
        # anything else a unit starts or stops holding is still a change of the item: its
        # holders, reported field by field (never "no change" between versions that differ)
        rest = sorted(u for u in b_at.keys() ^ h_at.keys() if u not in explained)
        if rest:
            c = change("modified")
            c.fields.append({
                "path": "holders",
                "old": [f"{u}:{b_at[u]['list']}" for u in rest if u in b_at],
                "new": [f"{u}:{h_at[u]['list']}" for u in rest if u in h_at],
                "units": rest,
            })  # fmt: skip
            c.before += [_holding(b_at[u]) for u in rest if u in b_at]
            c.after += [_holding(h_at[u]) for u in rest if u in h_at]

    # field by field: per unit holding it on both sides; a change of list brings its own
    # fields (lead, receiver, ...) with it, which are part of the move, not modifications
    fields: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    pairs = [(u, b_at[u], h_at[u]) for u in sorted(b_at.keys() & h_at.keys())]
    if not pairs and bs and hs:
        pairs = [("", bs[0], hs[0])]  # moved between units: compare the item itself
    for u, b, h in pairs:
        for fc in field_changes(b, h, same_list=b["list"] == h["list"]):
            key = (fc["path"], repr(fc["old"]), repr(fc["new"]))
            if key in seen:
                seen[key]["units"].append(u)
            else:
                seen[key] = {**fc, "units": [u] if u else []}
                fields.append(seen[key])
    if fields:
        c = change("modified")
        c.fields = fields + c.fields
        touched = sorted({x for f in fields for x in f["units"]})
        c.before = ([_holding(b_at[u]) for u in touched] or [_holding(e) for e in bs]) + c.before
        c.after = ([_holding(h_at[u]) for u in touched] or [_holding(e) for e in hs]) + c.after
    for c in out.values():
        if c.kind in ("renamed", "merged", "split") and not c.before:
            c.before = [_holding(e) for e in bs]
            c.after = [_holding(e) for e in hs if e["id"] == c.id]
    return list(out.values())


def _ref_changed(b: dict[str, Any], h: dict[str, Any], ref: str) -> bool:
    """The lead (cooperative) or receiver (recalled) department changed, both sides naming one."""
    return bool(ref) and bool(b.get(ref)) and bool(h.get(ref)) and b[ref] != h[ref]


def _by_unit(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for e in entries:
        out.setdefault(e["unit"], e)
    return out


def _holding(e: dict[str, Any]) -> Holding:
    return Holding(
        e["unit"],
        e["list"],
        e.get("lead") if e["list"] == "cooperative" else None,
        e.get("receiver") if e["list"] == "recalled" else None,
    )


def _move(c: Change, b: dict[str, Any], h: dict[str, Any]) -> None:
    c.before.append(_holding(b))
    c.after.append(_holding(h))


def check_conservation(changes: list[Change]) -> None:
    """Every entry that left a unit by a move arrived in another, and nothing came from nowhere."""
    for c in changes:
        if c.kind in ("withdrawn", "delegated", "transferred", "role_changed") and not (c.before and c.after):
            raise ConservationError(f"{c.kind} {c.id}: before {c.before} after {c.after}")
