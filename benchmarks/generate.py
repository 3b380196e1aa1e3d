"""Generate synthetic schema-1 catalogues of any size, for benchmarks.

    python benchmarks/generate.py OUT_ROOT --entries 100000 [--mode flat|province]
                                  [--label 2025] [--seed 1] [--verify]

writes ``OUT_ROOT/<label>/`` (catalogue.yaml, units.yaml, units/<id>.yaml and, in province
mode, templates/township-common.yaml).

Two steps, both importable: ``build_flat`` / ``build_province`` make an in-memory
``Version`` (units holding lists of ``Item`` objects; an item held by several units or
templates is one object), and ``write_version`` turns it into YAML by plain string building
(no YAML library, ~1 s per 100k items). A later "evolve" step only has to copy a
``Version``, change it, and call ``write_version`` again; ``version_data`` gives the
parsed form every file must load to, which ``generate_verify.verify_version`` checks.

Modes:

- ``flat``: every entry written out in a township file, about 500 entries a file, no
  templates. Ids and names are unique across the catalogue (names carry a numeric suffix).
- ``province``: about ``entries / 333`` townships that all include one template
  ``township-common`` of ~330 items (basic, cooperative, recalled), each with 2-5 local
  items and, in one township in ten, 1-3 template items excluded; ~40 departments with
  small power lists.

Output is a pure function of the arguments: same seed, same bytes.
"""

from __future__ import annotations

import argparse
import copy
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


def render_units(version: Version) -> str:
    out = ["departments:\n"]
    out += [f"  - {{id: {d.id}, name: {d.name}}}\n" for d in version.departments]
    out.append("townships:\n")
    out += [
        f"  - {{id: {t.id}, name: {t.name}, kind: {t.kind}, code: {_q(t.code or '')}}}\n" for t in version.townships
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
            "departments": [{"id": d.id, "name": d.name} for d in version.departments],
            "townships": [{"id": t.id, "name": t.name, "kind": t.kind, "code": t.code} for t in version.townships],
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_root", type=Path, help="catalogue root; writes OUT_ROOT/<label>/")
    parser.add_argument("--entries", type=int, default=100_000, help="item entries in total")
    parser.add_argument("--mode", choices=("flat", "province"), default="flat")
    parser.add_argument("--label", default="2025", help="version label (directory name)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verify", action="store_true", help="load every file back and check it")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    version = generate(args.out_root, args.entries, args.mode, args.label, args.seed)
    elapsed = time.perf_counter() - t0
    vdir = args.out_root / args.label
    files = sorted(vdir.rglob("*.yaml"))
    size = sum(p.stat().st_size for p in files)
    print(
        f"{vdir}: {version.entry_count()} entries, {len(version.townships)} townships, "
        f"{len(version.departments)} departments, {len(files)} files, "
        f"{size / 1e6:.1f} MB, {elapsed:.1f} s"
    )
    if args.verify:
        from generate_verify import verify_version

        problems = verify_version(vdir, version_data(version))
        for problem in problems[:50]:
            print(f"problem: {problem}", file=sys.stderr)
        print("verify: ok" if not problems else f"verify: {len(problems)} problems")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
