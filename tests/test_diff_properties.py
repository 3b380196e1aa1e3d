"""Property tests of the diff engine (hypothesis) on small random versions.

A version here: three townships (of three kinds) and two departments, a template
``common`` that townships may include (excluding some of its items), and local items
placed at random in townships' lists and departments' powers. The same id always names
the same item within a version; between versions its name, tasks, basis, lead, receiver
and power type may change. Versions are written as YAML, compiled, and diffed as the
``dutylist diff`` command does.

- a version against itself: no change, no burden;
- base and head swapped: added ↔ revoked, withdrawn ↔ delegated, extended ↔ narrowed, every
  other count kept;
- the burden ledger balances: per township, gained and lost are the basic+cooperative ids
  it holds after and not before (and the reverse), and their sum over townships is the
  change in the number of (township, item) basic+cooperative holdings;
- ``replaces: [old]`` on a new item turns its revoked + added pair into one renamed, and
  changes nothing else;
- every difference is reported: versions whose entries differ give some change, and every
  township whose burden moves is named by a change.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dutylist.compile import CompileOptions, compile_ref
from dutylist.compiled import CompiledList
from dutylist.diff.engine import DiffResult, diff_sides
from dutylist.diff.index import Side
from dutylist.model.vocab import CHANGE_KINDS
from dutylist.source.spec import resolve

from .builders import CATALOGUE, write_version

SETTINGS = settings(
    max_examples=int(os.environ.get("DUTYLIST_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

TOWNSHIPS = {"fgz": "town", "hsz": "township", "xj": "street"}
DEPARTMENTS = ("zrzy", "yjj")
UNITS = """\
departments:
  - {id: zrzy, name: 县自然资源局}
  - {id: yjj, name: 县应急管理局}
townships:
  - {id: fgz, name: 府谷镇, kind: town}
  - {id: hsz, name: 黄甫乡, kind: township}
  - {id: xj, name: 新街街道, kind: street}
"""
LOCAL_IDS = ("L-1", "L-2", "L-3", "L-4", "L-5")
TEMPLATE_IDS = ("T-1", "T-2", "T-3")
TOWNSHIP_LISTS = ("basic", "cooperative", "recalled", "powers")
BURDEN = ("basic", "cooperative")
NEW_ID = "N-1"


@dataclass(frozen=True)
class ItemDef:
    name: str
    category: str
    tasks: str | None
    basis: tuple[str, ...]
    lead: str
    receiver: str
    power_type: str
    replaces: tuple[str, ...] = ()

    def flow(self, ident: str, list_key: str) -> str:
        """The item as a YAML flow mapping, with the fields of ``list_key``."""
        parts = [f"id: {ident}", f"name: {self.name}", f"category: {self.category}"]
        if self.tasks is not None:
            parts.append(f"tasks: {self.tasks}")
        if self.basis:
            parts.append(f"basis: [{', '.join(self.basis)}]")
        if self.replaces:
            parts.append(f"replaces: [{', '.join(self.replaces)}]")
        if list_key == "cooperative":
            parts += [f"lead: {self.lead}", "lead_duty: 牵头负责", "township_duty: 配合做好"]
        elif list_key == "recalled":
            parts += [f"receiver: {self.receiver}", "method: 部门负责，乡镇提供线索"]
        elif list_key == "powers":
            parts.append(f"power_type: {self.power_type}")
        return "{" + ", ".join(parts) + "}"


@dataclass
class Township:
    include: bool = False
    exclude: tuple[str, ...] = ()
    local: dict[str, str] = field(default_factory=dict)  # item id -> list key


@dataclass
class VersionSpec:
    items: dict[str, ItemDef]
    template: dict[str, str]  # template item id -> list key
    townships: dict[str, Township]
    powers: dict[str, tuple[str, ...]]  # department -> item ids it holds in powers

    def files(self) -> dict[str, str]:
        out = {"units.yaml": UNITS}
        out["templates/common.yaml"] = "template: common\n" + _lists(self.template, self.items)
        for uid, t in self.townships.items():
            text = f"unit: {uid}\n"
            if t.include:
                text += "include: [common]\n"
            if t.exclude:
                text += f"exclude: [{', '.join(t.exclude)}]\n"
            out[f"units/{uid}.yaml"] = text + _lists(t.local, self.items)
        for dept, ids in self.powers.items():
            if ids:
                out[f"units/{dept}.yaml"] = f"unit: {dept}\n" + _lists(dict.fromkeys(ids, "powers"), self.items)
        return out


def _lists(placement: dict[str, str], items: dict[str, ItemDef]) -> str:
    text = ""
    for key in TOWNSHIP_LISTS:
        ids = [i for i, k in placement.items() if k == key]
        if ids:
            text += f"{key}:\n" + "".join(f"  - {items[i].flow(i, key)}\n" for i in ids)
    return text


# --- strategies ---------------------------------------------------------------------------


@st.composite
def item_defs(draw: st.DrawFn, ident: str) -> ItemDef:
    return ItemDef(
        name=draw(st.sampled_from([f"事项{ident}", f"事项{ident}（调整）"])),
        category=draw(st.sampled_from(["经济发展", "民生服务"])),
        tasks=draw(st.sampled_from([None, "做好巡查", "做好巡查和上报"])),
        basis=draw(st.sampled_from([(), ("《甲法》第一条",), ("《甲法》第一条", "《乙法》第二条")])),
        lead=draw(st.sampled_from(DEPARTMENTS)),
        receiver=draw(st.sampled_from(DEPARTMENTS)),
        power_type=draw(st.sampled_from(["行政处罚", "行政检查"])),
    )


@st.composite
def versions(draw: st.DrawFn, local_ids: tuple[str, ...] = LOCAL_IDS) -> VersionSpec:
    items = {i: draw(item_defs(i)) for i in (*local_ids, *TEMPLATE_IDS)}
    template = {}
    for i in TEMPLATE_IDS:
        key = draw(st.sampled_from([None, "basic", "cooperative", "recalled"]))
        if key is not None:
            template[i] = key
    townships = {}
    for uid in TOWNSHIPS:
        t = Township(include=bool(template) and draw(st.booleans()))
        if t.include:
            t.exclude = tuple(draw(st.lists(st.sampled_from(sorted(template)), unique=True, max_size=2)))
        for i in local_ids:
            key = draw(st.sampled_from([None, None, *TOWNSHIP_LISTS]))
            if key is not None:
                t.local[i] = key
        townships[uid] = t
    powers = {d: tuple(i for i in local_ids if draw(st.sampled_from([False, False, False, True]))) for d in DEPARTMENTS}
    return VersionSpec(items, template, townships, powers)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[VersionSpec, VersionSpec]:
    """Two versions: independent ones, or the second a few edits away from the first (where a
    single unreported difference cannot hide among many reported ones)."""
    a = draw(versions())
    if draw(st.booleans()):
        return a, draw(versions())
    b = copy.deepcopy(a)
    for _ in range(draw(st.integers(1, 3))):
        edit = draw(st.sampled_from(["place", "power", "item", "include"]))
        if edit == "place":  # a township starts, stops or changes how it holds a local item
            t = b.townships[draw(st.sampled_from(sorted(TOWNSHIPS)))]
            i = draw(st.sampled_from(LOCAL_IDS))
            key = draw(st.sampled_from([None, *TOWNSHIP_LISTS]))
            if key is None:
                t.local.pop(i, None)
            else:
                t.local[i] = key
        elif edit == "power":  # a department takes up or gives up a power
            dept = draw(st.sampled_from(DEPARTMENTS))
            i = draw(st.sampled_from(LOCAL_IDS))
            held = b.powers[dept]
            b.powers[dept] = tuple(x for x in held if x != i) if i in held else (*held, i)
        elif edit == "item":  # an item's definition changes
            i = draw(st.sampled_from(sorted(b.items)))
            b.items[i] = draw(item_defs(i))
        else:  # a township includes the template or stops
            t = b.townships[draw(st.sampled_from(sorted(TOWNSHIPS)))]
            t.include = bool(b.template) and not t.include
            t.exclude = ()
    return a, b


# --- compiling and diffing ----------------------------------------------------------------


@contextmanager
def compiled(*specs: VersionSpec) -> Iterator[list[CompiledList]]:
    """Each spec written as version 2024, 2025, … (each after the first has ``previous`` the
    first) under one temporary root, and compiled."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        out = []
        for n, spec in enumerate(specs):
            label = str(2024 + n)
            files = spec.files()
            if n:
                files["catalogue.yaml"] = CATALOGUE.format(label=label) + 'previous: "2024"\n'
            write_version(root, label, files)
            result = compile_ref(resolve(label, root), CompileOptions(root=root, use_cache=False))
            assert result.listing is not None, [str(d) for d in result.diagnostics]
            out.append(result.listing)
        yield out


def diff(base: CompiledList, head: CompiledList) -> DiffResult:
    result = diff_sides(Side(base.manifest, base.label, None, base), Side(head.manifest, head.label, None, head))
    assert list(result.summary()) == list(CHANGE_KINDS)
    return result


def holdings(listing: CompiledList) -> dict[str, set[str]]:
    """Township -> the ids it holds in basic or cooperative."""
    out: dict[str, set[str]] = {t: set() for t in TOWNSHIPS}
    for e in listing.entries():
        if e["unit"] in TOWNSHIPS and e["list"] in BURDEN:
            out[e["unit"]].add(e["id"])
    return out


#: What an entry says about its item and where it stands; numbering, resolved names and the
#: template an entry came from are presentation.
CONTENT = ("unit", "list", "id", "name", "category", "tasks", "basis", "approval", "replaces", "lead",
           "lead_duty", "township_duty", "receiver", "method", "power_type")  # fmt: skip


def content(listing: CompiledList) -> set[str]:
    return {repr([e[k] for k in CONTENT]) for e in listing.entries()}


def ledger(result: DiffResult) -> dict[str, tuple[int, int]]:
    return {u.unit: (u.gained, u.lost) for u in result.units}


def changes_json(result: DiffResult, leave_out: Collection[str] = ()) -> list[dict[str, Any]]:
    return [c.to_json() for c in result.changes if c.id not in leave_out]


# --- properties ---------------------------------------------------------------------------


@SETTINGS
@given(versions())
def test_a_version_against_itself_has_no_change_and_no_burden(spec: VersionSpec) -> None:
    with compiled(spec) as (listing,):
        result = diff(listing, listing)
    assert result.changes == []
    assert result.summary() == dict.fromkeys(CHANGE_KINDS, 0)
    assert ledger(result) == dict.fromkeys(TOWNSHIPS, (0, 0))


MIRROR = {
    "added": "revoked",
    "revoked": "added",
    "withdrawn": "delegated",
    "delegated": "withdrawn",
    "extended": "narrowed",
    "narrowed": "extended",
}


@SETTINGS
@given(pairs())
def test_swapping_base_and_head_mirrors_the_counts(pair: tuple[VersionSpec, VersionSpec]) -> None:
    a, b = pair
    with compiled(a, b) as (base, head):
        forward, backward = diff(base, head), diff(head, base)
    fwd, bwd = forward.summary(), backward.summary()
    assert {kind: bwd[MIRROR.get(kind, kind)] for kind in CHANGE_KINDS} == fwd
    # the burden ledger mirrors too: what one direction gains the other loses
    assert {t: (lost, gained) for t, (gained, lost) in ledger(backward).items()} == ledger(forward)


@SETTINGS
@given(pairs())
def test_the_burden_ledger_balances(pair: tuple[VersionSpec, VersionSpec]) -> None:
    a, b = pair
    with compiled(a, b) as (base, head):
        result = diff(base, head)
        before, after = holdings(base), holdings(head)
    expected = {t: (len(after[t] - before[t]), len(before[t] - after[t])) for t in TOWNSHIPS}
    assert ledger(result) == expected
    assert all(u.net == u.gained - u.lost for u in result.units)
    total_change = sum(len(s) for s in after.values()) - sum(len(s) for s in before.values())
    assert sum(u.net for u in result.units) == total_change


@SETTINGS
@given(versions(), st.data())
def test_replaces_turns_revoked_and_added_into_renamed(base_spec: VersionSpec, data: st.DataObject) -> None:
    placed = [i for i in LOCAL_IDS if any(i in t.local for t in base_spec.townships.values())]
    placed += [i for i in LOCAL_IDS if i not in placed and any(i in ids for ids in base_spec.powers.values())]
    assume(placed)
    old = data.draw(st.sampled_from(placed), label="old")
    head = data.draw(versions(tuple(i for i in LOCAL_IDS if i != old)), label="head")
    # the new item stands exactly where the old one stood, under a new id, maybe a new name
    new_def = base_spec.items[old]
    if data.draw(st.booleans(), label="new name"):
        new_def = replace(new_def, name=new_def.name + "（更名）")
    head.items[NEW_ID] = new_def
    for uid, t in base_spec.townships.items():
        if old in t.local:
            head.townships[uid].local[NEW_ID] = t.local[old]
    for dept, ids in base_spec.powers.items():
        if old in ids:
            head.powers[dept] = (*head.powers[dept], NEW_ID)
    continuing = replace(head, items={**head.items, NEW_ID: replace(new_def, replaces=(old,))})

    with compiled(base_spec, head, continuing) as (base, plain_head, replacing_head):
        plain, renamed = diff(base, plain_head), diff(base, replacing_head)

    assert [c.kind for c in plain.changes if c.id in (old, NEW_ID)] == ["added", "revoked"]
    expected = plain.summary()
    expected["added"] -= 1
    expected["revoked"] -= 1
    expected["renamed"] += 1
    assert renamed.summary() == expected
    (change,) = [c for c in renamed.changes if c.id in (old, NEW_ID)]
    assert (change.kind, change.id, change.replaces) == ("renamed", NEW_ID, [old])
    assert changes_json(renamed, {old, NEW_ID}) == changes_json(plain, {old, NEW_ID})
    # a rename changes no burden: the townships that held old in basic/cooperative no longer
    # count it lost and the new id gained
    carried = {uid for uid, t in base_spec.townships.items() if t.local.get(old) in BURDEN}
    assert ledger(renamed) == {
        t: (g - 1, lost - 1) if t in carried else (g, lost) for t, (g, lost) in ledger(plain).items()
    }


@SETTINGS
@given(pairs())
def test_every_difference_is_reported(pair: tuple[VersionSpec, VersionSpec]) -> None:
    a, b = pair
    with compiled(a, b) as (base, head):
        result = diff(base, head)
        differ = content(base) != content(head)
    assert bool(result.changes) == differ
    named = set().union(*(c.units() for c in result.changes))
    moved = {u.unit for u in result.units if u.gained or u.lost}
    assert moved <= named, f"burden moved in {sorted(moved - named)} and no change names them"
