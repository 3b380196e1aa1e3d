"""DL12x–DL13x: what must hold across the files of one version (DESIGN §2)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any, TypedDict

from ..diagnostics import Diagnostic
from ..model.vocab import KIND_LABELS_ZH, LIST_LABELS_ZH, LISTS_BY_KIND, POWER_TYPES, TOWNSHIP_KINDS
from ..source.files import (
    I_CATEGORY,
    I_ID,
    I_IDX,
    I_LEAD,
    I_LIST,
    I_NAME,
    I_POWER,
    I_RECEIVER,
    I_REPLACES,
)
from ..source.version import LoadedVersion
from .locator import VersionLocator


def _suggest(value: str, options: Iterable[str]) -> tuple[str, str]:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    if close:
        return f"是否想写 {close[0]!r}？", f"did you mean {close[0]!r}?"
    return "", ""


def _item_path(item: list[Any], field: str | None = None) -> str:
    base = f"{item[I_LIST]}[id={item[I_ID]}]"
    return f"{base}.{field}" if field else base


def previous_ids(prev: LoadedVersion) -> tuple[set[str], set[str]]:
    """Item ids and unit ids of a version, from its facts."""
    items: set[str] = set()
    units: set[str] = set()
    for res in prev.results.values():
        if res.facts is None:
            continue
        if res.kind in ("unit", "template"):
            items.update(it[I_ID] for it in res.facts["items"])
        elif res.kind == "units":
            units.update(row[2] for row in res.facts["units"])
    return items, units


def check_version(
    version: LoadedVersion,
    locator: VersionLocator,
    previous: LoadedVersion | None,
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    label = version.ref.label
    results = version.results
    facts_of = {rel: r.facts for rel, r in results.items() if r.facts is not None}

    # --- catalogue.yaml -------------------------------------------------------------
    cat = facts_of.get("catalogue.yaml")
    for required in ("catalogue.yaml", "units.yaml"):
        if required not in results:
            out.append(
                Diagnostic(
                    "DL134",
                    required,
                    params={
                        "name": required,
                        "hint_zh": "每个版本目录都要有 catalogue.yaml 和 units.yaml",
                        "hint_en": "every version directory holds catalogue.yaml and units.yaml",
                    },
                )
            )
    categories: set[str] | None = None
    power_types = set(POWER_TYPES)
    prev_label = None
    if cat is not None:
        if cat["version"] is not None and cat["version"] != label:
            out.append(
                locator.diag("DL131", "catalogue.yaml", ("version",), "version", version=cat["version"], label=label)
            )
        if cat["categories"] is not None:
            categories = set(cat["categories"])
        power_types.update(cat["power_types"])
        prev_label = cat["previous"]
    prev_items: set[str] | None = None
    prev_units: set[str] | None = None
    if prev_label is not None:
        if previous is None:
            out.append(locator.diag("DL136", "catalogue.yaml", ("previous",), "previous", previous=prev_label))
        else:
            prev_items, prev_units = previous_ids(previous)

    # --- units.yaml -----------------------------------------------------------------
    unit_kind: dict[str, str | None] = {}
    unit_rows = facts_of.get("units.yaml", {"units": []})["units"]
    for section, idx, uid, _name, kind, _township, replaces in unit_rows:
        path = f"{section}[id={uid}]"
        if uid in unit_kind:
            out.append(locator.diag("DL133", "units.yaml", (section, idx, "id"), f"{path}.id", id=uid))
            continue
        unit_kind[uid] = kind
        if prev_units is not None:
            for j, old in enumerate(replaces):
                if old not in prev_units:
                    out.append(
                        locator.diag(
                            "DL132",
                            "units.yaml",
                            (section, idx, "replaces", j),
                            f"{path}.replaces",
                            ref=old,
                            previous=prev_label,
                            **_hint_pair(_suggest(old, prev_units)),
                        )
                    )
    townships = {u for u, k in unit_kind.items() if k in TOWNSHIP_KINDS}
    departments = sorted(u for u, k in unit_kind.items() if k == "department")
    dept_set = set(departments)
    for section, idx, uid, _name, _kind, township, _r in unit_rows:
        if section == "villages" and township is not None and township not in townships:
            out.append(
                locator.diag(
                    "DL130",
                    "units.yaml",
                    (section, idx, "township"),
                    f"villages[id={uid}].township",
                    village=uid,
                    township=township,
                )
            )

    # --- templates ------------------------------------------------------------------
    templates: dict[str, dict[str, Any]] = {}
    for rel, res in results.items():
        if res.kind != "template" or res.facts is None:
            continue
        stem = rel.rsplit("/", 1)[-1].removesuffix(".yaml")
        name = res.facts["name"]
        if name is not None and name != stem:
            out.append(locator.diag("DL135", rel, ("template",), "template", stem=stem, name=name))
        templates[stem] = res.facts

    # --- items: names, references, vocabularies -------------------------------------
    first_name: dict[str, tuple[str, str, list[Any]]] = {}  # id -> (name, rel, item facts)

    def check_items(rel: str, facts: dict[str, Any]) -> None:
        for it in facts["items"]:
            ident, name = it[I_ID], it[I_NAME]
            loc_base = (it[I_LIST], it[I_IDX])
            if name is not None:
                seen = first_name.get(ident)
                if seen is None:
                    first_name[ident] = (name, rel, it)
                elif seen[0] != name:
                    out.append(
                        locator.diag(
                            "DL127",
                            rel,
                            (*loc_base, "name"),
                            _item_path(it, "name"),
                            id=ident,
                            name=name,
                            other=f"{seen[1]} {_item_path(seen[2])}",
                            other_name=seen[0],
                        )
                    )
            for fld, col in (("lead", I_LEAD), ("receiver", I_RECEIVER)):
                ref = it[col]
                if ref is not None and ref not in dept_set and unit_kind:
                    kind_of = unit_kind.get(ref)
                    if kind_of is not None:
                        hz, he = (
                            f"{ref!r} 是{KIND_LABELS_ZH.get(kind_of, kind_of)}，不是部门",
                            f"{ref!r} is a {kind_of}",
                        )
                    else:
                        hz, he = _suggest(ref, departments)
                    out.append(
                        locator.diag(
                            "DL123",
                            rel,
                            (*loc_base, fld),
                            _item_path(it, fld),
                            field=fld,
                            ref=ref,
                            hint_zh=hz,
                            hint_en=he,
                        )
                    )
            cat_value = it[I_CATEGORY]
            if categories is not None and cat_value is not None and cat_value not in categories:
                out.append(
                    locator.diag(
                        "DL128",
                        rel,
                        (*loc_base, "category"),
                        _item_path(it, "category"),
                        value=cat_value,
                        **_hint_pair(_suggest(cat_value, categories)),
                    )
                )
            ptype = it[I_POWER]
            if ptype is not None and ptype not in power_types:
                hz, he = _suggest(ptype, power_types)
                if not hz:
                    hz, he = "可在 catalogue.yaml 的 power_types 中增加", "add it to catalogue.yaml power_types"
                out.append(
                    locator.diag(
                        "DL129",
                        rel,
                        (*loc_base, "power_type"),
                        _item_path(it, "power_type"),
                        value=ptype,
                        hint_zh=hz,
                        hint_en=he,
                    )
                )
            if prev_items is not None:
                for j, old in enumerate(it[I_REPLACES]):
                    if old not in prev_items:
                        out.append(
                            locator.diag(
                                "DL132",
                                rel,
                                (*loc_base, "replaces", j),
                                _item_path(it, "replaces"),
                                ref=old,
                                previous=prev_label,
                                hint_zh="",
                                hint_en="",
                            )
                        )

    for stem, facts in sorted(templates.items()):
        check_items(f"templates/{stem}.yaml", facts)

    # --- unit files -----------------------------------------------------------------
    for rel, res in results.items():
        if res.kind != "unit" or res.facts is None:
            continue
        facts = res.facts
        stem = rel.rsplit("/", 1)[-1].removesuffix(".yaml")
        unit = facts["name"]
        if unit is not None and unit != stem:
            out.append(locator.diag("DL120", rel, ("unit",), "unit", stem=stem, unit=unit))
        kind = unit_kind.get(unit) if unit is not None else None
        if unit is not None and unit not in unit_kind and "units.yaml" in facts_of:
            hz, he = _suggest(unit, unit_kind)
            if not hz:
                hz, he = "先在 units.yaml 中登记该单位", "add the unit to units.yaml first"
            out.append(locator.diag("DL121", rel, ("unit",), "unit", unit=unit, hint_zh=hz, hint_en=he))
        allowed = LISTS_BY_KIND.get(kind or "", ())
        if kind is not None:
            for key in facts["lists"]:
                if key not in allowed:
                    out.append(
                        locator.diag(
                            "DL122",
                            rel,
                            (key,),
                            key,
                            mode="key",
                            kind=kind,
                            kind_zh=KIND_LABELS_ZH[kind],
                            list=key,
                            list_zh=LIST_LABELS_ZH[key],
                            allowed=", ".join(allowed),
                        )
                    )
        # templates
        template_ids: dict[str, str] = {}
        for j, name in enumerate(facts["include"]):
            tpl = templates.get(name)
            if tpl is None:
                out.append(
                    locator.diag(
                        "DL124", rel, ("include", j), "include", template=name, **_hint_pair(_suggest(name, templates))
                    )
                )
                continue
            for it in tpl["items"]:
                template_ids.setdefault(it[I_ID], name)
            if kind is not None:
                for key in tpl["lists"]:
                    if key not in allowed and tpl["lists"][key]:
                        out.append(
                            locator.diag(
                                "DL139",
                                rel,
                                ("include", j),
                                "include",
                                template=name,
                                list=key,
                                kind=kind,
                                kind_zh=KIND_LABELS_ZH[kind],
                                unit=unit,
                            )
                        )
        excluded = set()
        for j, ident in enumerate(facts["exclude"]):
            excluded.add(ident)
            if (ident not in template_ids and facts["include"]) or not facts["include"]:
                out.append(locator.diag("DL125", rel, ("exclude", j), "exclude", id=ident))
        # ids unique in the unit (template items count, unless excluded here)
        local: dict[str, str] = {}
        for it in facts["items"]:
            ident = it[I_ID]
            if ident in local:
                out.append(
                    locator.diag(
                        "DL126", rel, (it[I_LIST], it[I_IDX], "id"), _item_path(it, "id"), id=ident, other=local[ident]
                    )
                )
            elif ident in template_ids and ident not in excluded:
                out.append(
                    locator.diag(
                        "DL126",
                        rel,
                        (it[I_LIST], it[I_IDX], "id"),
                        _item_path(it, "id"),
                        id=ident,
                        other=f"templates/{template_ids[ident]}.yaml",
                    )
                )
            local.setdefault(ident, _item_path(it))
        check_items(rel, facts)
    return out


class _Hint(TypedDict):
    hint_zh: str
    hint_en: str


def _hint_pair(pair: tuple[str, str]) -> _Hint:
    return {"hint_zh": pair[0], "hint_en": pair[1]}
