"""One file of a version: read, decode, parse, validate, and reduce to the facts
the version-level checks need. Pure function of (kind, bytes, limits), hence cacheable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic
from ..model.catalogue import ID_RE
from ..model.vocab import ALL_LISTS
from .limits import Limits
from .locate import TreeLocator, format_path
from .read import ReadProblem, decode_text
from .schema_check import validate_data
from .yamlload import load_yaml


@dataclass(slots=True)
class FileResult:
    """What one file contributes: its own diagnostics (``file`` relative to the version
    directory) and its facts (plain JSON-able data, see :func:`extract_facts`)."""

    rel: str
    kind: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    facts: dict[str, Any] | None = None
    valid: bool = False


def process_bytes(rel: str, kind: str, raw: bytes | ReadProblem, limits: Limits) -> FileResult:
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
    model, problems = validate_data(kind, data)
    if problems:
        locator = TreeLocator(text)
        for prob, loc, mode in problems:
            line, column = locator.locate(loc, mode)
            path = format_path(loc, data)
            result.diagnostics.append(Diagnostic(prob.code, rel, line, column, path, prob.params))
    result.valid = model is not None and not result.diagnostics
    result.facts = extract_facts(kind, data)
    return result


def _s(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _ids(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str)]


def extract_facts(kind: str, data: Any) -> dict[str, Any]:
    """The parts of a file that checks across files need, tolerant of invalid data:
    whatever has the right type is kept, so one bad item does not hide the others."""
    if kind in ("unit", "template"):
        return _unit_facts(kind, data)
    if kind == "units":
        return _units_facts(data)
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
        }
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
        return {"records": records}
    raise ValueError(kind)


# item fact columns
I_LIST, I_IDX, I_ID, I_NAME, I_CATEGORY, I_POWER, I_LEAD, I_RECEIVER, I_REPLACES = range(9)


def _unit_facts(kind: str, data: Any) -> dict[str, Any]:
    d = data if isinstance(data, dict) else {}
    items: list[list[Any]] = []
    lists: dict[str, int] = {}
    for key in ALL_LISTS:
        if key not in d:
            continue
        entries = d[key]
        lists[key] = len(entries) if isinstance(entries, list) else 0
        if not isinstance(entries, list):
            continue
        for idx, it in enumerate(entries):
            if not isinstance(it, dict):
                continue
            ident = it.get("id")
            if not isinstance(ident, str) or not ID_RE.match(ident):
                continue
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
    return {
        "name": _s(d.get("unit" if kind == "unit" else "template")),
        "include": _ids(d.get("include")),
        "exclude": _ids(d.get("exclude")),
        "lists": lists,
        "items": items,
    }


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
