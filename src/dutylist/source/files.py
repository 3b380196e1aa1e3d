"""One file of a version: read, decode, parse, validate, and reduce to the facts the
version-level checks need. A pure function of (kind, bytes, limits), hence cacheable.

Facts come in two parts. ``facts`` holds small aggregates (digests of the item ids, see
:mod:`.idhash`, and counts of the departments, categories and power types referred to)
that the checks across files work on with set operations; ``items`` holds one row per
item (id, name, list, place…), loaded only when a check needs the file's real ids or a
problem in the file needs its place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic
from ..model.vocab import ALL_LISTS, ID_RE
from .idhash import digest_ids
from .limits import Limits
from .read import ReadProblem, decode_text
from .yamlload import load_yaml

# item row columns
I_LIST, I_IDX, I_ID, I_NAME, I_CATEGORY, I_POWER, I_LEAD, I_RECEIVER, I_REPLACES = range(9)


@dataclass(slots=True)
class FileResult:
    """What one file contributes: its own diagnostics (``file`` relative to the version
    directory), its facts, and its item rows (None until needed, when from the cache)."""

    rel: str
    kind: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    facts: dict[str, Any] | None = None
    valid: bool = False
    items: list[list[Any]] | None = None
    data: Any = None  # the validated data with defaults filled in, when asked for and valid


def process_bytes(
    rel: str, kind: str, raw: bytes | ReadProblem, limits: Limits, *, keep_data: bool = False
) -> FileResult:
    result = FileResult(rel, kind)
    if isinstance(raw, ReadProblem):
        result.diagnostics.append(Diagnostic(raw.code, rel, raw.line, raw.column, params=raw.params))
        return result
    text = decode_text(raw)
    if isinstance(text, ReadProblem):
        result.diagnostics.append(Diagnostic(text.code, rel, text.line, text.column, params=text.params))
        return result
    loaded = load_yaml(text, limits, raw)
    for prob in loaded.problems:
        result.diagnostics.append(Diagnostic(prob.code, rel, prob.line, prob.column, params=prob.params))
    if not loaded.ok:
        return result
    data = loaded.data
    from .locate import TreeLocator, format_path
    from .schema_check import validate_data

    model, problems = validate_data(kind, data)
    locator = TreeLocator(text)
    for prob, loc, mode in problems:
        line, column = locator.locate(loc, mode)
        result.diagnostics.append(Diagnostic(prob.code, rel, line, column, format_path(loc, data), prob.params))
    result.facts, result.items = extract_facts(kind, data)
    if result.items:
        result.diagnostics.extend(_duplicate_ids(rel, result.items, locator))
    result.valid = model is not None and not result.diagnostics
    if keep_data and result.valid:
        result.data = model
    return result


def _duplicate_ids(rel: str, items: list[list[Any]], locator: Any) -> list[Diagnostic]:
    """DL126 within one file: an id used twice (the second use is the problem)."""
    first: dict[str, list[Any]] = {}
    out = []
    for it in items:
        seen = first.setdefault(it[I_ID], it)
        if seen is not it:
            line, column = locator.locate((it[I_LIST], it[I_IDX], "id"), "value")
            out.append(
                Diagnostic("DL126", rel, line, column, item_path(it, "id"), {"id": it[I_ID], "other": item_path(seen)})
            )
    return out


def item_path(item: list[Any], field: str | None = None) -> str:
    base = f"{item[I_LIST]}[id={item[I_ID]}]"
    return f"{base}.{field}" if field else base


def _s(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _ids(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str)]


def extract_facts(kind: str, data: Any) -> tuple[dict[str, Any], list[list[Any]] | None]:
    """Facts of a file, tolerant of invalid data: whatever has the right type is kept,
    so one bad item does not hide the others from the checks across files."""
    if kind in ("unit", "template"):
        return _unit_facts(kind, data)
    if kind == "units":
        return _units_facts(data), None
    if kind == "catalogue":
        d = data if isinstance(data, dict) else {}
        cats = d.get("categories")
        region_raw = d.get("region")
        region: dict[str, Any] = region_raw if isinstance(region_raw, dict) else {}
        return {
            "version": _s(d.get("version")),
            "title": _s(d.get("title")),
            "previous": _s(d.get("previous")),
            "effective": _s(d.get("effective")),
            "approval": _s(d.get("approval")),
            "region": {"code": _s(region.get("code")), "name": _s(region.get("name"))},
            "categories": _ids(cats) if isinstance(cats, list) else None,
            "power_types": _ids(d.get("power_types")),
        }, None
    if kind == "adjustments":
        records = []
        for idx, rec in enumerate(data if isinstance(data, list) else []):
            if isinstance(rec, dict):
                records.append(
                    [
                        idx,
                        _s(rec.get("id")),
                        _s(rec.get("kind")),
                        _ids(rec.get("items")),
                        _ids(rec.get("units")),
                        _s(rec.get("to")),
                        _s(rec.get("basis")),
                    ]
                )
        return {"records": records}, None
    if kind == "negative":
        return {}, None
    raise ValueError(kind)


def _unit_facts(kind: str, data: Any) -> tuple[dict[str, Any], list[list[Any]]]:
    d = data if isinstance(data, dict) else {}
    items: list[list[Any]] = []
    lists: dict[str, int] = {}
    for key in ALL_LISTS:
        if key not in d:
            continue
        entries = d[key]
        lists[key] = 0
        if not isinstance(entries, list):
            continue
        for idx, it in enumerate(entries):
            if not isinstance(it, dict):
                continue
            ident = it.get("id")
            if not isinstance(ident, str) or not ID_RE.match(ident):
                continue
            lists[key] += 1
            items.append(
                [
                    key,
                    idx,
                    ident,
                    _s(it.get("name")),
                    _s(it.get("category")),
                    _s(it.get("power_type")),
                    _s(it.get("lead")),
                    _s(it.get("receiver")),
                    _ids(it.get("replaces")),
                ]
            )
    refs: Counter[str] = Counter()
    refs.update(it[I_LEAD] for it in items if it[I_LEAD] is not None)
    refs.update(it[I_RECEIVER] for it in items if it[I_RECEIVER] is not None)
    facts: dict[str, Any] = {
        "name": _s(d.get("unit" if kind == "unit" else "template")),
        "include": _ids(d.get("include")),
        "exclude": _ids(d.get("exclude")),
        "lists": lists,
        "idh": digest_ids(it[I_ID] for it in items),
        "refs": dict(refs),
        "categories": dict(Counter(it[I_CATEGORY] for it in items if it[I_CATEGORY] is not None)),
        "power_types": dict(Counter(it[I_POWER] for it in items if it[I_POWER] is not None)),
        "replaces": sorted({old for it in items for old in it[I_REPLACES]}),
    }
    if kind == "template":  # templates are few and small: their ids are kept at hand
        facts["ids"] = [it[I_ID] for it in items]
        facts["names"] = [it[I_NAME] for it in items]
        facts["id_lists"] = [it[I_LIST] for it in items]
    return facts, items


def _units_facts(data: Any) -> dict[str, Any]:
    d = data if isinstance(data, dict) else {}
    rows = []
    for section, kind in (("departments", "department"), ("townships", None), ("villages", "village")):
        entries = d.get(section)
        for idx, u in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(u, dict) or not isinstance(u.get("id"), str):
                continue
            k = kind or _s(u.get("kind"))
            rows.append([section, idx, u["id"], _s(u.get("name")), k, _s(u.get("township")), _ids(u.get("replaces"))])
    return {"units": rows}
