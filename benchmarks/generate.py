"""Generate synthetic schema-1 catalogues of any size, for benchmarks.

    python benchmarks/generate.py OUT_ROOT --entries 100000 [--mode flat|province|evolve]
                                  [--label 2025] [--seed 1] [--next-label 2026]
                                  [--fraction 0.05] [--verify]

writes ``OUT_ROOT/<label>/`` (catalogue.yaml, units.yaml, units/<id>.yaml and, in province
and evolve modes, templates/township-common.yaml); evolve mode also writes the next version
``OUT_ROOT/<next-label>/`` and ``OUT_ROOT/expected-<next-label>.json``.

Two steps, both importable: ``build_flat`` / ``build_province`` make an in-memory
``Version`` (units holding lists of ``Item`` objects; an item held by several units or
templates is one object), and ``write_version`` turns it into YAML by plain string building
(no YAML library, ~1 s per 100k items). ``evolve`` copies a ``Version`` and changes it;
``version_data`` gives the parsed form every file must load to, which
``generate_verify.verify_version`` checks.

Modes:

- ``flat``: every entry written out in a township file, about 500 entries a file, no
  templates. Ids and names are unique across the catalogue (names carry a numeric suffix).
- ``province``: about ``entries / 333`` townships that all include one template
  ``township-common`` of ~330 items (basic, cooperative, recalled), each with 2-5 local
  items and, in one township in ten, 1-3 template items excluded; ~40 departments with
  small power lists.
- ``evolve``: a province version ``<label>`` and its next version ``<next-label>``
  (``previous: <label>``) in which ``--fraction`` of the distinct items changed, the same
  number of each kind of ``EVOLVE_KINDS`` (added, revoked, withdrawn, delegated,
  transferred, role_changed, extended, narrowed, renamed, modified; a few of each on
  template items, the rest on local items and departments' powers), plus one department
  renamed (``unit_renamed``). ``expected-<next-label>.json`` is the summary that
  ``dutylist diff <label> <next-label>`` must give, every kind of DESIGN §5 included.

Output is a pure function of the arguments: same seed, same bytes.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import random
import shutil
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generate_vocab import (
    APPROVAL_ORGS,
    CATEGORIES,
    EXTRA_DEPARTMENTS,
    LAWS,
    LEAD_DUTIES,
    METHODS,
    TASK_SENTENCES,
    TOWN_FIRST,
    TOWN_SECOND,
    TOWNSHIP_DUTIES,
    UNITS_TSV,
    NameRow,
    cn_number,
    load_names,
    read_tsv,
)

from dutylist.model.vocab import POWER_TYPES

TEMPLATE_NAME = "township-common"

# Key order of an item in the written YAML; list-specific keys come last, as people write them.
ITEM_KEYS = (
    "id",
    "name",
    "category",
    "power_type",
    "tasks",
    "basis",
    "approval",
    "lead",
    "lead_duty",
    "township_duty",
    "receiver",
    "method",
    "replaces",
)
UNIT_LIST_KEYS = ("basic", "cooperative", "recalled", "powers")

# --- the in-memory model ----------------------------------------------------------------


@dataclass(slots=True)
class Item:
    """One item. ``tasks_folded`` only chooses how ``tasks`` is written (``>-``, one
    sentence a line, split at spaces) versus one plain line; the value is the same."""

    id: str
    name: str
    category: str | None = None
    tasks: str | None = None
    tasks_folded: bool = False
    basis: list[str] = field(default_factory=list)
    approval: str | None = None
    power_type: str | None = None
    lead: str | None = None
    lead_duty: str | None = None
    township_duty: str | None = None
    receiver: str | None = None
    method: str | None = None
    replaces: list[str] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        """The mapping this item loads to (keys in ``ITEM_KEYS`` order)."""
        out: dict[str, Any] = {}
        for key in ITEM_KEYS:
            value = getattr(self, key)
            if value is not None and value != []:
                out[key] = list(value) if isinstance(value, list) else value
        return out


def _lists() -> dict[str, list[Item]]:
    return {key: [] for key in UNIT_LIST_KEYS}


@dataclass(slots=True)
class Unit:
    """A department or township; ``lists`` maps list key -> items (unit file content)."""

    id: str
    name: str
    kind: str  # "department", "town", "township" or "street"
    code: str | None = None
    lists: dict[str, list[Item]] = field(default_factory=_lists)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)  # predecessor unit ids (机构调整)

    @property
    def is_department(self) -> bool:
        return self.kind == "department"

    def has_file(self) -> bool:
        return bool(self.include or self.exclude or any(self.lists.values()))


@dataclass(slots=True)
class Template:
    name: str
    title: str | None = None
    lists: dict[str, list[Item]] = field(default_factory=_lists)


@dataclass(slots=True)
class Version:
    label: str
    title: str
    region_code: str
    region_name: str
    effective: str
    approval: str | None = None
    previous: str | None = None
    categories: list[str] = field(default_factory=lambda: list(CATEGORIES))
    departments: list[Unit] = field(default_factory=list)
    townships: list[Unit] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)

    def units(self) -> list[Unit]:
        return [*self.departments, *self.townships]

    def entry_count(self) -> int:
        """Entries after template expansion: one per (unit, item) pair."""
        templates = {t.name: t for t in self.templates}
        total = 0
        for unit in self.units():
            total += sum(len(items) for items in unit.lists.values())
            excluded = set(unit.exclude)
            for name in unit.include:
                for items in templates[name].lists.values():
                    total += sum(1 for item in items if item.id not in excluded)
        return total

    def clone(self) -> Version:
        """A deep copy (items shared between units stay shared): the start of an evolve."""
        return copy.deepcopy(self)


# --- building items ---------------------------------------------------------------------


class ItemFactory:
    """Makes realistic items (~650 bytes of YAML each) from one random stream."""

    def __init__(self, rng: random.Random, department_ids: list[str], year: str) -> None:
        self.rng = rng
        self.names = load_names()
        self.department_ids = department_ids
        self.year = year
        self.serial: dict[str, int] = {}

    def _next(self, kind: str) -> int:
        self.serial[kind] = n = self.serial.get(kind, 0) + 1
        return n

    def _department(self, row: NameRow) -> str:
        if row.lead and row.lead in self.department_ids:
            return row.lead
        return self.rng.choice(self.department_ids)

    def _common(self, item_id: str, row: NameRow, n: int, sentences: int) -> Item:
        rng = self.rng
        tasks = rng.sample(TASK_SENTENCES, rng.randint(sentences - 1, sentences + 1))
        folded = rng.random() < 0.5
        basis = [f"《{law}》第{cn_number(rng.randint(2, 80))}条" for law in rng.sample(LAWS, 2)]
        return Item(
            id=item_id,
            name=f"{row.name}（{n}）",
            category=row.category if row.category in CATEGORIES else rng.choice(CATEGORIES),
            tasks=(" " if folded else "").join(tasks),
            tasks_folded=folded,
            basis=basis,
            approval=f"{rng.choice(APPROVAL_ORGS)}〔{self.year}〕{rng.randint(1, 99)}号",
        )

    def make(self, list_key: str, id_prefix: str) -> Item:
        """A new item for ``list_key`` with id ``<id_prefix>-<B|C|R|P>-<serial>``."""
        letter = {"basic": "B", "cooperative": "C", "recalled": "R", "powers": "P"}[list_key]
        n = self._next(f"{id_prefix}-{letter}")
        row = self.rng.choice(self.names["power" if list_key == "powers" else list_key])
        # Cooperative items carry two duty texts, so their tasks are a sentence shorter.
        sentences = 3 if list_key == "cooperative" else 4
        item = self._common(f"{id_prefix}-{letter}-{n:06d}", row, n, sentences)
        if list_key == "cooperative":
            item.lead = self._department(row)
            item.lead_duty = self.rng.choice(LEAD_DUTIES)
            item.township_duty = self.rng.choice(TOWNSHIP_DUTIES)
        elif list_key == "recalled":
            item.receiver = self._department(row)
            item.method = self.rng.choice(METHODS)
        elif list_key == "powers":
            item.power_type = row.power_type if row.power_type in POWER_TYPES else "其他行政权力"
        return item


def _split(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` by weights into integers that add up to ``total`` (largest remainder)."""
    keys = list(weights)
    raw = [total * weights[k] / sum(weights.values()) for k in keys]
    counts = [int(r) for r in raw]
    order = sorted(range(len(keys)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return dict(zip(keys, counts, strict=True))


def make_departments(count: int) -> list[Unit]:
    """The 28 departments of units.tsv, then synthetic ones."""
    rows = [r for r in read_tsv(UNITS_TSV) if r["kind"] == "department"]
    pairs = [(r["id"], r["name"]) for r in rows] + list(EXTRA_DEPARTMENTS)
    while len(pairs) < count:
        n = len(pairs) + 1
        pairs.append((f"dept{n:03d}", f"县直部门{n}"))
    return [Unit(id=i, name=name, kind="department") for i, name in pairs[:count]]


def make_townships(count: int, rng: random.Random, region_code: str) -> list[Unit]:
    """The townships of units.tsv, then synthetic ones with unique names and codes."""
    units = [
        Unit(id=r["id"], name=r["name"], kind=r["kind"]) for r in read_tsv(UNITS_TSV) if r["kind"] != "department"
    ][:count]
    used = {u.name for u in units}
    bases = [a + b for a in TOWN_FIRST for b in TOWN_SECOND]
    rng.shuffle(bases)
    i = 0
    while len(units) < count:
        base = bases[i % len(bases)] + ("" if i < len(bases) else str(i // len(bases) + 1))
        i += 1
        roll = rng.random()
        name, kind = (
            (base + "镇", "town")
            if roll < 0.6
            else ((base + "乡", "township") if roll < 0.9 else (base + "街道", "street"))
        )
        if name in used:
            continue
        used.add(name)
        units.append(Unit(id=f"tz{len(units) + 1:04d}", name=name, kind=kind))
    for n, unit in enumerate(units, start=1):
        unit.code = f"{region_code}{n + 100:06d}"
    return units


def _version(label: str, region_code: str, region_name: str, seed: int) -> Version:
    year = label if label.isdigit() else "2025"
    return Version(
        label=label,
        title=f"{region_name}乡镇（街道）履行职责事项清单（{label}年版）",
        region_code=region_code,
        region_name=region_name,
        effective=f"{year}-03-01",
        approval=f"安政办发〔{year}〕{seed % 90 + 10}号",
    )


FLAT_WEIGHTS = {"basic": 0.40, "cooperative": 0.30, "recalled": 0.22, "powers": 0.08}
TEMPLATE_WEIGHTS = {"basic": 135, "cooperative": 105, "recalled": 90}


def build_flat(entries: int, label: str = "2025", seed: int = 1, per_file: int = 500) -> Version:
    """Every entry written out in a township file; ~``per_file`` entries a file."""
    rng = random.Random(seed)
    version = _version(label, "339901", "安澜县", seed)
    version.departments = make_departments(28)
    factory = ItemFactory(rng, [d.id for d in version.departments], version.effective[:4])
    n_townships = max(1, math.ceil(entries / per_file))
    version.townships = make_townships(n_townships, rng, version.region_code)
    base, extra = divmod(entries, n_townships)
    for i, township in enumerate(version.townships):
        counts = _split(base + (1 if i < extra else 0), FLAT_WEIGHTS)
        for key, count in counts.items():
            township.lists[key] = [factory.make(key, "AL") for _ in range(count)]
    return version


def build_province(
    entries: int,
    label: str = "2025",
    seed: int = 1,
    template_items: int = 330,
    departments: int = 40,
) -> Version:
    """~``entries / 333`` townships sharing one template; ~40 departments with powers."""
    rng = random.Random(seed)
    version = _version(label, "339900", "安澜省", seed)
    version.departments = make_departments(departments)
    factory = ItemFactory(rng, [d.id for d in version.departments], version.effective[:4])

    template = Template(TEMPLATE_NAME, title="乡镇（街道）通用履职事项")
    for key, count in _split(template_items, TEMPLATE_WEIGHTS).items():
        template.lists[key] = [factory.make(key, "TC") for _ in range(count)]
    version.templates = [template]
    template_ids = [item.id for items in template.lists.values() for item in items]

    for dept in version.departments:
        dept.lists["powers"] = [factory.make("powers", dept.id) for _ in range(rng.randint(3, 12))]
    dept_entries = sum(len(d.lists["powers"]) for d in version.departments)

    n_townships = max(1, round((entries - dept_entries) / (template_items + 3)))
    version.townships = make_townships(n_townships, rng, version.region_code)
    for township in version.townships:
        township.include = [TEMPLATE_NAME]
        if rng.random() < 0.1:
            township.exclude = sorted(rng.sample(template_ids, rng.randint(1, 3)))
        for _ in range(rng.randint(2, 5)):
            key = rng.choices(("basic", "cooperative", "recalled"), weights=(6, 3, 1))[0]
            township.lists[key].append(factory.make(key, "LC"))
    return version


def build(mode: str, entries: int, label: str = "2025", seed: int = 1) -> Version:
    if mode == "flat":
        return build_flat(entries, label, seed)
    if mode == "province":
        return build_province(entries, label, seed)
    raise ValueError(f"unknown mode {mode!r}")


# --- evolve: the next version, with a known number of changes of each kind ----------------

#: The kinds ``evolve`` makes, each on its own items (an item changes in one way only).
EVOLVE_KINDS = (
    "added",
    "revoked",
    "withdrawn",
    "delegated",
    "transferred",
    "role_changed",
    "extended",
    "narrowed",
    "renamed",
    "modified",
)


class _Evolver:
    """Applies changes to a cloned version and counts them as `dutylist diff` must (DESIGN §5).

    Every change takes items no other change has touched, so each yields exactly one change
    of its kind: template items (one change for every township that includes the template),
    townships' local items, departments' powers. Exclusions follow a template item whose id
    changes or goes."""

    def __init__(self, version: Version, rng: random.Random) -> None:
        self.v = version
        self.rng = rng
        self.template = version.templates[0] if version.templates else None
        self.used: set[str] = set()
        self.counts: dict[str, int] = {}
        year = version.effective[:4]
        self.factory = ItemFactory(rng, [d.id for d in version.departments], year)
        # local items by list, in a random order, popped as they are used
        self.local: dict[str, list[tuple[Unit, Item]]] = {}
        for key in ("basic", "cooperative", "recalled"):
            pool = [(t, item) for t in version.townships for item in t.lists[key]]
            rng.shuffle(pool)
            self.local[key] = pool
        self.powers = [(d, item) for d in version.departments for item in d.lists["powers"]]
        rng.shuffle(self.powers)

    def count(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    # picking untouched items

    def pick_local(self, key: str) -> tuple[Unit, Item] | None:
        pool = self.local[key]
        while pool:
            unit, item = pool.pop()
            if item.id not in self.used:
                self.used.add(item.id)
                return unit, item
        return None

    def pick_template(self, key: str) -> Item | None:
        """An untouched template item of ``key``."""
        if self.template is None:
            return None
        candidates = [item for item in self.template.lists[key] if item.id not in self.used]
        if not candidates:
            return None
        item = self.rng.choice(candidates)
        self.used.add(item.id)
        return item

    def pick(self, key: str, on_template: bool) -> tuple[list[Item], Item] | None:
        """An untouched item of ``key`` and the list holding it: the template's, or a township's."""
        if on_template:
            item = self.pick_template(key)
            return (self.template.lists[key], item) if item is not None and self.template else None
        picked = self.pick_local(key)
        return (picked[0].lists[key], picked[1]) if picked else None

    def pick_power(self) -> tuple[Unit, Item] | None:
        while self.powers:
            dept, item = self.powers.pop()
            if item.id not in self.used:
                self.used.add(item.id)
                return dept, item
        return None

    def exclusions_follow(self, old: str, new: str | None) -> None:
        """Townships' exclusions of template item ``old`` now name ``new`` (or nothing)."""
        for t in self.v.townships:
            if old in t.exclude:
                t.exclude = sorted({*(i for i in t.exclude if i != old), *([new] if new else [])})

    def other_department(self, than: str | None) -> str:
        ids = [d.id for d in self.v.departments if d.id != than]
        return self.rng.choice(ids)

    # moving an item between lists, with the fields of its new list

    def to_list(self, item: Item, key: str) -> None:
        rng = self.rng
        item.lead = item.lead_duty = item.township_duty = item.receiver = item.method = None
        if key == "cooperative":
            item.lead = self.other_department(None)
            item.lead_duty = rng.choice(LEAD_DUTIES)
            item.township_duty = rng.choice(TOWNSHIP_DUTIES)
        elif key == "recalled":
            item.receiver = self.other_department(None)
            item.method = rng.choice(METHODS)

    def move_local(self, key: str, to: str) -> bool:
        picked = self.pick_local(key)
        if picked is None:
            return False
        unit, item = picked
        unit.lists[key].remove(item)
        self.to_list(item, to)
        unit.lists[to].append(item)
        return True

    def move_template(self, key: str, to: str) -> bool:
        item = self.pick_template(key)
        if item is None or self.template is None:
            return False
        self.template.lists[key].remove(item)
        self.to_list(item, to)
        self.template.lists[to].append(item)
        return True

    # one change of each kind; False when no item is left to change that way

    def added(self, on_template: bool) -> bool:
        key = self.rng.choices(("basic", "cooperative", "recalled"), weights=(6, 3, 1))[0]
        if on_template and self.template is None:
            return False
        item = self.factory.make(key, "EVT" if on_template else "EV")
        self.used.add(item.id)  # new items are not changed again
        lists = self.template.lists if on_template and self.template else self.rng.choice(self.v.townships).lists
        lists[key].append(item)
        return True

    def revoked(self, on_template: bool) -> bool:
        key = self.rng.choice(("basic", "cooperative", "recalled"))
        if on_template:
            item = self.pick_template(key)
            if item is None or self.template is None:
                return False
            self.template.lists[key].remove(item)
            self.exclusions_follow(item.id, None)
            return True
        picked = self.pick_local(key)
        if picked is None:
            return False
        picked[0].lists[key].remove(picked[1])
        return True

    def withdrawn(self, on_template: bool) -> bool:
        key = self.rng.choice(("basic", "cooperative"))
        return self.move_template(key, "recalled") if on_template else self.move_local(key, "recalled")

    def delegated(self, on_template: bool) -> bool:
        to = self.rng.choice(("basic", "cooperative"))
        return self.move_template("recalled", to) if on_template else self.move_local("recalled", to)

    def role_changed(self, on_template: bool) -> bool:
        key, to = self.rng.choice((("basic", "cooperative"), ("cooperative", "basic")))
        return self.move_template(key, to) if on_template else self.move_local(key, to)

    def transferred(self, on_template: bool) -> bool:
        """The lead of a cooperative item, the receiver of a recalled one, or a department's
        power moving to another department."""
        roll = self.rng.random()
        if not on_template and roll < 1 / 3:
            picked = self.pick_power()
            if picked is None:
                return False
            dept, item = picked
            dept.lists["powers"].remove(item)
            target = self.other_department(dept.id)
            next(d for d in self.v.departments if d.id == target).lists["powers"].append(item)
            return True
        key = "cooperative" if roll < 2 / 3 else "recalled"
        found = self.pick(key, on_template)
        if found is None:
            return False
        item = found[1]
        if key == "cooperative":
            item.lead = self.other_department(item.lead)
        else:
            item.receiver = self.other_department(item.receiver)
        return True

    def extended(self, on_template: bool) -> bool:
        """A township's local item taken up, in the same list, by another township."""
        key = self.rng.choice(("basic", "cooperative"))
        picked = self.pick_local(key)
        if picked is None or len(self.v.townships) < 2:
            return False
        unit, item = picked
        other = self.rng.choice([t for t in self.v.townships if t is not unit])
        other.lists[key].append(item)
        return True

    def narrowed(self, on_template: bool) -> bool:
        """A template item newly excluded by one to three of the townships that include it."""
        key = self.rng.choice(("basic", "cooperative", "recalled"))
        item = self.pick_template(key)
        if item is None or self.template is None:
            return False
        name = self.template.name
        holders = [t for t in self.v.townships if name in t.include and item.id not in t.exclude]
        if len(holders) < 2:
            return False
        for t in self.rng.sample(holders, min(len(holders) - 1, self.rng.randint(1, 3))):
            t.exclude = sorted({*t.exclude, item.id})
        return True

    def renamed(self, on_template: bool) -> bool:
        """A new name under the same id, or (every other time) a new id that ``replaces`` the old."""
        key = self.rng.choice(("basic", "cooperative", "recalled"))
        via_replaces = self.rng.random() < 0.5
        found = self.pick(key, on_template)
        if found is None:
            return False
        items, item = found
        if not via_replaces:
            item.name = f"{item.name}（修订）"
            return True
        new = copy.copy(item)
        new.id = f"{item.id}-R"
        new.replaces = [item.id]
        if self.rng.random() < 0.5:
            new.name = f"{item.name}（修订）"
        items[items.index(item)] = new
        if on_template:
            self.exclusions_follow(item.id, new.id)
        return True

    def modified(self, on_template: bool) -> bool:
        """Tasks gaining a sentence, or a basis replaced."""
        found = self.pick(self.rng.choice(("basic", "cooperative", "recalled")), on_template)
        if found is None:
            return False
        item = found[1]
        if item.basis and self.rng.random() < 0.5:
            current = set(item.basis)
            law = self.rng.choice([law for law in LAWS if f"《{law}》第二条" not in current])
            item.basis = [*item.basis[:-1], f"《{law}》第二条"]
        else:
            extra = self.rng.choice([s for s in TASK_SENTENCES if s not in (item.tasks or "")])
            item.tasks = f"{item.tasks}{' ' if item.tasks_folded else ''}{extra}" if item.tasks else extra
        return True

    def rename_department(self, label: str) -> bool:
        """A department renamed (机构调整): a new id replacing the old; every lead and receiver
        that named it follows."""
        candidates = [d for d in self.v.departments if not d.replaces]
        if not candidates:
            return False
        dept = self.rng.choice(candidates)
        old = dept.id
        dept.id, dept.name, dept.replaces = f"{old}{label}", f"{dept.name}（重组）", [old]
        items = [i for t in self.v.templates for items in t.lists.values() for i in items]
        items += [i for u in self.v.units() for items in u.lists.values() for i in items]
        for item in items:
            if item.lead == old:
                item.lead = dept.id
            if item.receiver == old:
                item.receiver = dept.id
        self.factory.department_ids = [d.id for d in self.v.departments]
        return True


def evolve(
    base: Version,
    label: str | None = None,
    seed: int = 1,
    fraction: float = 0.05,
    template_changes: int = 2,
    unit_renames: int = 1,
) -> tuple[Version, dict[str, int]]:
    """The next version of ``base`` (label ``label``, default the next year; ``previous`` is
    base's label) and the summary ``dutylist diff base next`` must give: every kind of DESIGN
    §5, zeros included.

    About ``fraction`` of base's distinct items change, spread evenly over ``EVOLVE_KINDS``;
    of each kind, ``template_changes`` are made on template items (changing the entries of
    every township that includes the template) and the rest on townships' local items and
    departments' powers. ``unit_renames`` departments are renamed (``unit_renamed``). The
    same base and seed give the same version."""
    from dutylist.model.vocab import CHANGE_KINDS

    label = label or (str(int(base.label) + 1) if base.label.isdigit() else f"{base.label}-next")
    rng = random.Random(f"evolve {seed}")
    version = base.clone()
    version.label, version.previous = label, base.label
    year = label if label.isdigit() else version.effective[:4]
    version.title = version.title.replace(f"（{base.label}年版）", f"（{label}年版）")
    version.effective = f"{year}-03-01"
    version.approval = f"安政办发〔{year}〕{seed % 90 + 10}号"

    ev = _Evolver(version, rng)
    items = {i.id for t in version.templates for items in t.lists.values() for i in items}
    items.update(i.id for u in version.units() for items in u.lists.values() for i in items)
    per_kind = max(1, round(len(items) * fraction / len(EVOLVE_KINDS)))
    renames = sum(ev.rename_department(label) for _ in range(unit_renames))
    for kind in EVOLVE_KINDS:
        make = getattr(ev, kind)
        on_template = min(template_changes, per_kind) if kind not in ("extended", "narrowed") else 0
        if kind == "narrowed":
            on_template = per_kind  # narrowing is excluding template items
        for n in range(per_kind):
            if make(n < on_template):
                ev.count(kind)
    expected = dict.fromkeys(CHANGE_KINDS, 0)
    expected.update(ev.counts)
    expected["unit_renamed"] = renames
    return version, expected


# --- writing ----------------------------------------------------------------------------


def _q(value: str) -> str:
    """A double-quoted scalar (for strings that would otherwise load as numbers or dates)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_item(out: list[str], item: Item) -> None:
    a = out.append
    a(f"  - id: {item.id}\n    name: {item.name}\n")
    if item.category is not None:
        a(f"    category: {item.category}\n")
    if item.power_type is not None:
        a(f"    power_type: {item.power_type}\n")
    if item.tasks is not None:
        if item.tasks_folded:
            a("    tasks: >-\n      " + item.tasks.replace(" ", "\n      ") + "\n")
        else:
            a(f"    tasks: {item.tasks}\n")
    if item.basis:
        a("    basis:\n" + "".join(f"      - {b}\n" for b in item.basis))
    if item.approval is not None:
        a(f"    approval: {item.approval}\n")
    if item.lead is not None:
        a(f"    lead: {item.lead}\n")
    if item.lead_duty is not None:
        a(f"    lead_duty: {item.lead_duty}\n")
    if item.township_duty is not None:
        a(f"    township_duty: {item.township_duty}\n")
    if item.receiver is not None:
        a(f"    receiver: {item.receiver}\n")
    if item.method is not None:
        a(f"    method: {item.method}\n")
    if item.replaces:
        a(f"    replaces: [{', '.join(item.replaces)}]\n")


def _write_lists(out: list[str], lists: dict[str, list[Item]]) -> None:
    for key in UNIT_LIST_KEYS:
        items = lists.get(key)
        if items:
            out.append(f"{key}:\n")
            for item in items:
                _write_item(out, item)


def render_unit(unit: Unit) -> str:
    out = [f"unit: {unit.id}\n"]
    if unit.include:
        out.append(f"include: [{', '.join(unit.include)}]\n")
    if unit.exclude:
        out.append(f"exclude: [{', '.join(unit.exclude)}]\n")
    _write_lists(out, unit.lists)
    return "".join(out)


def render_template(template: Template) -> str:
    out = [f"template: {template.name}\n"]
    if template.title:
        out.append(f"title: {template.title}\n")
    _write_lists(out, template.lists)
    return "".join(out)


def render_catalogue(version: Version) -> str:
    lines = [
        "schema: 1\n",
        f"title: {version.title}\n",
        f"region: {{code: {_q(version.region_code)}, name: {version.region_name}}}\n",
        f"effective: {_q(version.effective)}\n",
    ]
    if version.approval:
        lines.append(f"approval: {version.approval}\n")
    if version.previous:
        lines.append(f"previous: {_q(version.previous)}\n")
    lines.append(f"categories: [{', '.join(version.categories)}]\n")
    return "".join(lines)


def _replaces(unit: Unit) -> str:
    return f", replaces: [{', '.join(unit.replaces)}]" if unit.replaces else ""


def render_units(version: Version) -> str:
    out = ["departments:\n"]
    out += [f"  - {{id: {d.id}, name: {d.name}{_replaces(d)}}}\n" for d in version.departments]
    out.append("townships:\n")
    out += [
        f"  - {{id: {t.id}, name: {t.name}, kind: {t.kind}, code: {_q(t.code or '')}{_replaces(t)}}}\n"
        for t in version.townships
    ]
    return "".join(out)


def version_files(version: Version) -> dict[str, str]:
    """Relative path (under the version directory) -> file text, in a stable order."""
    files = {"catalogue.yaml": render_catalogue(version), "units.yaml": render_units(version)}
    for template in version.templates:
        files[f"templates/{template.name}.yaml"] = render_template(template)
    for unit in version.units():
        if unit.has_file():
            files[f"units/{unit.id}.yaml"] = render_unit(unit)
    return files


def write_version(version: Version, out_root: Path) -> Path:
    """Write ``out_root/<label>/``, replacing a previous directory of that label."""
    vdir = Path(out_root) / version.label
    if vdir.exists():
        shutil.rmtree(vdir)
    (vdir / "units").mkdir(parents=True)
    if version.templates:
        (vdir / "templates").mkdir()
    for rel, text in version_files(version).items():
        (vdir / rel).write_bytes(text.encode("utf-8"))
    return vdir


# --- what the files must load to, and checks --------------------------------------------


def _lists_data(lists: dict[str, list[Item]]) -> dict[str, Any]:
    return {key: [i.data() for i in items] for key, items in lists.items() if items}


def version_data(version: Version) -> dict[str, Any]:
    """Relative path -> the data its file must load to (YAML 1.1/1.2 core alike)."""
    cat: dict[str, Any] = {
        "schema": 1,
        "title": version.title,
        "region": {"code": version.region_code, "name": version.region_name},
        "effective": version.effective,
    }
    if version.approval:
        cat["approval"] = version.approval
    if version.previous:
        cat["previous"] = version.previous
    cat["categories"] = list(version.categories)
    data: dict[str, Any] = {
        "catalogue.yaml": cat,
        "units.yaml": {
            "departments": [
                {"id": d.id, "name": d.name} | ({"replaces": list(d.replaces)} if d.replaces else {})
                for d in version.departments
            ],
            "townships": [
                {"id": t.id, "name": t.name, "kind": t.kind, "code": t.code}
                | ({"replaces": list(t.replaces)} if t.replaces else {})
                for t in version.townships
            ],
        },
    }
    for t in version.templates:
        tdata: dict[str, Any] = {"template": t.name} | ({"title": t.title} if t.title else {})
        data[f"templates/{t.name}.yaml"] = tdata | _lists_data(t.lists)
    for u in version.units():
        if u.has_file():
            head: dict[str, Any] = {"unit": u.id}
            if u.include:
                head["include"] = list(u.include)
            if u.exclude:
                head["exclude"] = list(u.exclude)
            data[f"units/{u.id}.yaml"] = head | _lists_data(u.lists)
    return data


# --- CLI --------------------------------------------------------------------------------


def generate(out_root: Path, entries: int, mode: str = "flat", label: str = "2025", seed: int = 1) -> Version:
    """Build and write one version; returns the in-memory version."""
    version = build(mode, entries, label, seed)
    write_version(version, out_root)
    return version


def expected_path(out_root: Path, label: str) -> Path:
    """Where evolve mode writes the summary that `dutylist diff` must give for ``label``."""
    return Path(out_root) / f"expected-{label}.json"


def generate_evolved(
    out_root: Path,
    entries: int,
    label: str = "2025",
    seed: int = 1,
    next_label: str | None = None,
    fraction: float = 0.05,
) -> tuple[Version, Version, dict[str, int]]:
    """A province version ``label`` and its evolved next version, both written under
    ``out_root``, with the expected diff summary in ``expected_path(out_root, next_label)``."""
    base = generate(out_root, entries, "province", label, seed)
    head, expected = evolve(base, next_label, seed, fraction)
    write_version(head, out_root)
    expected_path(out_root, head.label).write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    return base, head, expected


def _describe(version: Version, out_root: Path, elapsed: float) -> Path:
    vdir = Path(out_root) / version.label
    files = sorted(vdir.rglob("*.yaml"))
    size = sum(p.stat().st_size for p in files)
    print(
        f"{vdir}: {version.entry_count()} entries, {len(version.townships)} townships, "
        f"{len(version.departments)} departments, {len(files)} files, "
        f"{size / 1e6:.1f} MB, {elapsed:.1f} s"
    )
    return vdir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_root", type=Path, help="catalogue root; writes OUT_ROOT/<label>/")
    parser.add_argument("--entries", type=int, default=100_000, help="item entries in total")
    parser.add_argument("--mode", choices=("flat", "province", "evolve"), default="flat")
    parser.add_argument("--label", default="2025", help="version label (directory name); in evolve mode the base's")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--next-label", help="evolve mode: the label of the evolved version (default: the next year)")
    parser.add_argument("--fraction", type=float, default=0.05, help="evolve mode: share of the items changed")
    parser.add_argument("--verify", action="store_true", help="load every file back and check it")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    if args.mode == "evolve":
        base, head, expected = generate_evolved(
            args.out_root, args.entries, args.label, args.seed, args.next_label, args.fraction
        )
        versions = [base, head]
    else:
        versions = [generate(args.out_root, args.entries, args.mode, args.label, args.seed)]
    elapsed = time.perf_counter() - t0
    vdirs = [_describe(version, args.out_root, elapsed) for version in versions]
    if args.mode == "evolve":
        changes = ", ".join(f"{kind} {n}" for kind, n in expected.items() if n)
        print(f"{head.label} against {base.label}: {changes} ({expected_path(args.out_root, head.label)})")
    if args.verify:
        from generate_verify import verify_version

        problems = [p for v, vdir in zip(versions, vdirs, strict=True) for p in verify_version(vdir, version_data(v))]
        for problem in problems[:50]:
            print(f"problem: {problem}", file=sys.stderr)
        print("verify: ok" if not problems else f"verify: {len(problems)} problems")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
