"""``dutylist compile``: a validated source version -> a versioned list (DESIGN §4).

Templates are expanded and exclusions applied, unit references resolved to names, every
entry numbered (序号, per unit and list, in source order: included templates first, in
``include`` order, then the unit's own items), sorted canonically and stamped with the
SHA-256 of its entries. Entries are built as JSON lines directly: an item of a template
is serialised once, and each unit that includes it adds only its own few fields, which
keeps a province (a million entries) to seconds and to little memory.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from . import __version__
from .compiled import LIST_FORMAT, CompiledList, load_compiled
from .diagnostics import Diagnostic, has_errors
from .model.vocab import ALL_LISTS, TOWNSHIP_KINDS
from .source.limits import Limits
from .source.read import ReadProblem
from .source.spec import VersionRef
from .source.version import LoadedVersion
from .validate import ValidateOptions, check_loaded

Progress = Callable[[int, int], None]

_ITEM_FIELDS = (
    "id", "name", "category", "tasks", "basis", "approval", "replaces", "lead", "lead_name",
    "lead_duty", "township_duty", "receiver", "receiver_name", "method", "power_type", "template",
)  # fmt: skip


@dataclass(frozen=True)
class CompileOptions:
    root: Path = Path("catalogues")
    limits: Limits = field(default_factory=Limits)
    use_cache: bool = True
    jobs: int | None = None


@dataclass
class CompileResult:
    listing: CompiledList | None
    diagnostics: list[Diagnostic]


def compile_ref(ref: VersionRef, options: CompileOptions, progress: Progress | None = None) -> CompileResult:
    """Compile a version; a compiled list is read as it is. Invalid versions give diagnostics."""
    if ref.kind == "compiled":
        assert ref.path is not None
        return CompileResult(load_compiled(ref.path), [])
    vopts = ValidateOptions((ref.spec,), options.root, options.limits, options.use_cache, options.jobs)
    diags, _summary, loaded = check_loaded(ref, vopts, need_data=True)
    if has_errors(diags):
        return CompileResult(None, diags)
    return CompileResult(build_list(loaded, progress), diags)


def build_list(loaded: LoadedVersion, progress: Progress | None = None) -> CompiledList:
    results = loaded.results
    catalogue = results["catalogue.yaml"].data
    units_data = results["units.yaml"].data
    units: list[dict[str, Any]] = []
    for section, kind in (("departments", "department"), ("townships", None), ("villages", "village")):
        for u in units_data[section]:
            row = {"id": u["id"], "name": u["name"], "kind": kind or u["kind"]}
            if section == "villages":
                row["township"] = u["township"]
            row["replaces"] = u["replaces"]
            units.append(row)
    names = {u["id"]: u["name"] for u in units}
    templates = {
        rel.rsplit("/", 1)[-1].removesuffix(".yaml"): r.data for rel, r in results.items() if r.kind == "template"
    }
    unit_files = {r.data["unit"]: r.data for r in results.values() if r.kind == "unit"}

    tails: dict[tuple[str, str, int], bytes] = {}

    def tail(item: dict[str, Any], template: str | None) -> bytes:
        lead, receiver = item.get("lead"), item.get("receiver")
        fields = {
            "id": item["id"],
            "name": item["name"],
            "category": item.get("category"),
            "tasks": item.get("tasks"),
            "basis": item.get("basis") or [],
            "approval": item.get("approval"),
            "replaces": item.get("replaces") or [],
            "lead": lead,
            "lead_name": names.get(lead) if lead else None,
            "lead_duty": item.get("lead_duty"),
            "township_duty": item.get("township_duty"),
            "receiver": receiver,
            "receiver_name": names.get(receiver) if receiver else None,
            "method": item.get("method"),
            "power_type": item.get("power_type"),
            "template": template,
        }
        return orjson.dumps(fields)[1:]  # without the opening brace

    lines: list[bytes] = []
    counts: dict[str, dict[str, int]] = {}
    categories: dict[str, Counter[str]] = {}
    power_types: dict[str, Counter[str]] = {}
    by_id = {u["id"]: u for u in units}
    order = sorted(unit_files)
    for done, unit_id in enumerate(order, 1):
        data = unit_files[unit_id]
        unit = by_id[unit_id]
        kind = unit["kind"]
        group = "township" if kind in TOWNSHIP_KINDS else kind
        head = b'{"unit":' + orjson.dumps(unit_id) + b',"unit_name":' + orjson.dumps(unit["name"])
        head += b',"unit_kind":' + orjson.dumps(kind) + b',"list":'
        excluded = set(data["exclude"])
        unit_counts: dict[str, int] = {}
        for list_key in ALL_LISTS:
            sources: list[tuple[str | None, int, dict[str, Any]]] = []
            for name in data["include"]:
                for idx, item in enumerate(templates[name][list_key]):
                    if item["id"] not in excluded:
                        sources.append((name, idx, item))
            sources.extend((None, idx, item) for idx, item in enumerate(data[list_key]))
            if not sources:
                continue
            prefix = head + orjson.dumps(list_key) + b',"seq":'
            for seq, (template, idx, item) in enumerate(sources, 1):
                if template is None:
                    body = tail(item, None)
                else:
                    key = (template, list_key, idx)
                    body = tails.get(key) or tails.setdefault(key, tail(item, template))
                lines.append(prefix + str(seq).encode() + b"," + body)
                category = item.get("category")
                if category:
                    categories.setdefault(category, Counter())[list_key] += 1
                power_type = item.get("power_type")
                if power_type:
                    power_types.setdefault(power_type, Counter())[group] += 1
            unit_counts[list_key] = len(sources)
        counts[unit_id] = unit_counts
        if progress is not None:
            progress(done, len(order))

    totals: Counter[str] = Counter()
    for unit_counts in counts.values():
        totals.update(unit_counts)
    manifest = {
        "format": LIST_FORMAT,
        "schema": 1,
        "version": loaded.ref.label,
        "title": catalogue["title"],
        "region": catalogue["region"],
        "effective": catalogue["effective"],
        "approval": catalogue.get("approval"),
        "previous": catalogue.get("previous"),
        "dutylist": __version__,
        "hash": entries_hash(lines),
        "entries": len(lines),
        "units": units,
        "counts": counts,
        "totals": {k: totals[k] for k in ALL_LISTS if totals[k]},
        "categories": {c: {k: n[k] for k in ALL_LISTS if n[k]} for c, n in sorted(categories.items())},
        "power_types": {p: dict(sorted(n.items())) for p, n in sorted(power_types.items())},
        "sources": _sources(loaded),
    }
    return CompiledList(manifest, lines)


def entries_hash(lines: list[bytes]) -> str:
    """SHA-256 of the entry lines joined by newlines, without building the joined bytes."""
    h = hashlib.sha256()
    update = h.update
    for i, line in enumerate(lines):
        if i:
            update(b"\n")
        update(line)
    return "sha256:" + h.hexdigest()


def _sources(loaded: LoadedVersion) -> list[dict[str, str]]:
    out = []
    for rel in loaded.results:
        raw = loaded.ref.read(rel, loaded.limits)
        if not isinstance(raw, ReadProblem):
            out.append({"path": rel, "sha256": hashlib.sha256(raw).hexdigest()})
    return out
