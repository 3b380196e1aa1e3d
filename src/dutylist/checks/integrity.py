"""DL12x–DL13x: what must hold across the files of one version (DESIGN §2).

The checks work on each file's aggregate facts with set operations, and on digests of the
item ids (:mod:`..source.idhash`), so a version of a hundred thousand items is checked in
milliseconds; a file's item rows are loaded only when digests meet and the real ids must
be compared, or when one of its items is at fault and the diagnostic needs its place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from ..diagnostics import Diagnostic
from ..model.vocab import KIND_LABELS_ZH, LIST_LABELS_ZH, LISTS_BY_KIND, POWER_TYPES
from ..source.files import I_CATEGORY, I_ID, I_IDX, I_LEAD, I_LIST, I_NAME, I_POWER, I_RECEIVER, I_REPLACES, item_path
from ..source.idhash import digests_of
from ..source.version import LoadedVersion
from .locator import VersionLocator

FIELD_ZH = {"lead": "牵头部门（lead）", "receiver": "承接部门（receiver）"}


class _Hint(TypedDict):
    hint_zh: str
    hint_en: str


def _suggest(value: str, options: Iterable[str]) -> _Hint:
    import difflib

    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    if close:
        return {"hint_zh": f"是否想写 {close[0]!r}？", "hint_en": f"did you mean {close[0]!r}?"}
    return {"hint_zh": "", "hint_en": ""}


def unit_ids(version: LoadedVersion) -> set[str]:
    """The unit ids of a version, from its units.yaml."""
    res = version.results.get("units.yaml")
    return {row[2] for row in res.facts["units"]} if res is not None and res.facts is not None else set()


def items_among(version: LoadedVersion, ids: set[str]) -> set[str]:
    """Those of ``ids`` that are items of the version: digests first, real ids where they meet."""
    wanted = digests_of(ids)
    found: set[str] = set()
    for rel, res in version.results.items():
        if res.kind in ("unit", "template") and res.facts is not None and not wanted.isdisjoint(version.digests(rel)):
            found.update(ids.intersection(version.ids_names(rel)[0]))
    return found


class _Checker:
    def __init__(self, version: LoadedVersion, locator: VersionLocator, previous: LoadedVersion | None) -> None:
        self.v = version
        self.loc = locator
        self.prev = previous
        self.out: list[Diagnostic] = []
        self.unit_kind: dict[str, str | None] = {}
        self.departments: list[str] = []
        self.categories: set[str] | None = None
        self.power_types = set(POWER_TYPES)
        self.prev_label: str | None = None
        self.prev_known: dict[str, bool] = {}  # item id -> whether the previous version has it
        self.prev_units: set[str] | None = None
        self.templates: dict[str, tuple[str, dict[str, Any]]] = {}
        self.broken_templates: set[str] = set()
        self.township_ids: set[str] = set()

    def diag(self, code: str, rel: str, loc: tuple[Any, ...], path: str, **params: Any) -> None:
        self.out.append(self.loc.diag(code, rel, loc, path, **params))

    def run(self) -> list[Diagnostic]:
        self.catalogue()
        self.units()
        self.collect_templates()
        files = [(rel, r.facts) for rel, r in self.v.results.items() if r.kind in ("unit", "template") and r.facts]
        for rel, facts in files:
            self.references(rel, facts)
        self.names(files)
        for rel, res in self.v.results.items():
            if res.kind == "unit" and res.facts is not None:
                self.unit_file(rel, res.facts)
        return self.out

    def catalogue(self) -> None:
        results = self.v.results
        for required in ("catalogue.yaml", "units.yaml"):
            if required not in results:
                self.out.append(
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
        cat_res = results.get("catalogue.yaml")
        cat = cat_res.facts if cat_res is not None else None
        if cat is None:
            return
        label = self.v.ref.label
        if cat["version"] is not None and cat["version"] != label:
            self.diag("DL131", "catalogue.yaml", ("version",), "version", version=cat["version"], label=label)
        if cat["categories"] is not None:
            self.categories = set(cat["categories"])
        self.power_types.update(cat["power_types"])
        self.prev_label = cat["previous"]
        if self.prev_label is not None:
            if self.prev is None:
                self.diag("DL136", "catalogue.yaml", ("previous",), "previous", previous=self.prev_label)
            else:
                self.prev_units = unit_ids(self.prev)

    def units(self) -> None:
        res = self.v.results.get("units.yaml")
        rows = res.facts["units"] if res is not None and res.facts is not None else []
        for section, idx, uid, _name, kind, _township, replaces in rows:
            path = f"{section}[id={uid}]"
            if uid in self.unit_kind:
                self.diag("DL133", "units.yaml", (section, idx, "id"), f"{path}.id", id=uid)
                continue
            # an invalid kind is a schema error already (DL112): treat the unit as of unknown kind
            self.unit_kind[uid] = kind if kind in KIND_LABELS_ZH else None
            if section == "townships":
                self.township_ids.add(uid)
            if self.prev_units is not None:
                for j, old in enumerate(replaces):
                    if old not in self.prev_units:
                        self.diag(
                            "DL132",
                            "units.yaml",
                            (section, idx, "replaces", j),
                            f"{path}.replaces",
                            ref=old,
                            previous=self.prev_label,
                            **_suggest(old, self.prev_units),
                        )
        townships = self.township_ids
        self.departments = sorted(u for u, k in self.unit_kind.items() if k == "department")
        for section, idx, uid, _name, _kind, township, _r in rows:
            if section == "villages" and township is not None and township not in townships:
                self.diag(
                    "DL130",
                    "units.yaml",
                    (section, idx, "township"),
                    f"villages[id={uid}].township",
                    village=uid,
                    township=township,
                )

    def collect_templates(self) -> None:
        for rel, res in self.v.results.items():
            if res.kind != "template":
                continue
            stem = rel.rsplit("/", 1)[-1].removesuffix(".yaml")
            if res.facts is None:
                self.broken_templates.add(stem)  # reported where it is broken, not where it is used
                continue
            name = res.facts["name"]
            if name is not None and name != stem:
                self.diag("DL135", rel, ("template",), "template", stem=stem, name=name)
            self.templates[stem] = (rel, res.facts)

    def absent_before(self, ids: set[str]) -> set[str]:
        """Those of ``ids`` the previous version has no item for (none when there is none)."""
        if self.prev is None or self.prev_units is None or not ids:
            return set()
        new = ids - self.prev_known.keys()
        if new:
            there = items_among(self.prev, new)
            self.prev_known.update((i, i in there) for i in new)
        return {i for i in ids if not self.prev_known[i]}

    def references(self, rel: str, facts: dict[str, Any]) -> None:
        """Departments, categories, power types and predecessors that items refer to."""
        dept_set = set(self.departments)
        bad_refs = set(facts["refs"]) - dept_set if self.unit_kind else set()
        bad_cats = set(facts["categories"]) - self.categories if self.categories is not None else set()
        bad_types = set(facts["power_types"]) - self.power_types
        bad_old = self.absent_before(set(facts["replaces"]))
        if not (bad_refs or bad_cats or bad_types or bad_old):
            return
        for it in self.v.items(rel):
            base = (it[I_LIST], it[I_IDX])
            for fld, col in (("lead", I_LEAD), ("receiver", I_RECEIVER)):
                ref = it[col]
                if ref in bad_refs:
                    kind_of = self.unit_kind.get(ref)
                    if kind_of is not None:
                        hint: _Hint = {
                            "hint_zh": f"{ref!r} 是{KIND_LABELS_ZH.get(kind_of, kind_of)}，不是部门",
                            "hint_en": f"{ref!r} is a {kind_of}",
                        }
                    else:
                        hint = _suggest(ref, self.departments)
                    self.diag(
                        "DL123",
                        rel,
                        (*base, fld),
                        item_path(it, fld),
                        field=fld,
                        field_zh=FIELD_ZH[fld],
                        ref=ref,
                        **hint,
                    )
            if it[I_CATEGORY] in bad_cats:
                assert self.categories is not None
                self.diag(
                    "DL128",
                    rel,
                    (*base, "category"),
                    item_path(it, "category"),
                    value=it[I_CATEGORY],
                    **_suggest(it[I_CATEGORY], self.categories),
                )
            if it[I_POWER] in bad_types:
                hint = _suggest(it[I_POWER], self.power_types)
                if not hint["hint_zh"]:
                    hint = {
                        "hint_zh": "可在 catalogue.yaml 的 power_types 中增加",
                        "hint_en": "add it to catalogue.yaml power_types",
                    }
                self.diag("DL129", rel, (*base, "power_type"), item_path(it, "power_type"), value=it[I_POWER], **hint)
            for j, old in enumerate(it[I_REPLACES]):
                if old in bad_old:
                    self.diag(
                        "DL132",
                        rel,
                        (*base, "replaces", j),
                        item_path(it, "replaces"),
                        ref=old,
                        previous=self.prev_label,
                        hint_zh="",
                        hint_en="",
                    )

    def names(self, files: list[tuple[str, dict[str, Any]]]) -> None:
        """DL127: one id names one item across the version (templates first, then units).

        Only files that share an id with another file can disagree on its name: digests
        find them without loading any file's ids, and only those files' ids are compared."""
        if not self.v.ids_may_repeat():
            return  # no id is in two files
        digests = [self.v.digests(rel) for rel, _facts in files]
        seen: set[int] = set()
        shared: set[int] = set()
        for ds in digests:
            if seen.isdisjoint(ds):
                seen |= ds
            else:
                shared |= seen & ds
                seen |= ds
        if not shared:
            return  # no id in two files
        involved = [rel for (rel, _facts), ds in zip(files, digests, strict=True) if not shared.isdisjoint(ds)]
        ordered = sorted(
            ((rel, *self.v.ids_names(rel)) for rel in involved),
            key=lambda f: (not f[0].startswith("templates/"), f[0]),
        )
        first: dict[str, str | None] = {}
        for _rel, ids, names in reversed(ordered):
            first.update(zip(ids, names, strict=True))
        if all(list(map(first.__getitem__, ids)) == names for _rel, ids, names in ordered):
            return  # every id has one name
        owner: dict[str, str] = {}
        for rel, ids, _names in ordered:
            for ident in ids:
                owner.setdefault(ident, rel)
        for rel, ids, names in ordered:
            wrong = {i for i, n in zip(ids, names, strict=True) if n is not None and n != first[i]}
            wrong = {i for i in wrong if first[i] is not None}
            if not wrong:
                continue
            for it in self.v.items(rel):
                ident = it[I_ID]
                if ident in wrong and it[I_NAME] != first[ident]:
                    other_rel = owner[ident]
                    other = next((o for o in self.v.items(other_rel) if o[I_ID] == ident), None)
                    where = f"{other_rel} {item_path(other)}" if other else other_rel
                    self.diag(
                        "DL127",
                        rel,
                        (it[I_LIST], it[I_IDX], "name"),
                        item_path(it, "name"),
                        id=ident,
                        name=it[I_NAME],
                        other=where,
                        other_name=first[ident],
                    )

    def unit_file(self, rel: str, facts: dict[str, Any]) -> None:
        stem = rel.rsplit("/", 1)[-1].removesuffix(".yaml")
        unit = facts["name"]
        if unit is not None and unit != stem:
            self.diag("DL120", rel, ("unit",), "unit", stem=stem, unit=unit)
        kind = self.unit_kind.get(unit) if unit is not None else None
        if unit is not None and unit not in self.unit_kind and "units.yaml" in self.v.results:
            hint = _suggest(unit, self.unit_kind)
            if not hint["hint_zh"]:
                hint = {"hint_zh": "先在 units.yaml 中登记该单位", "hint_en": "add the unit to units.yaml first"}
            self.diag("DL121", rel, ("unit",), "unit", unit=unit, **hint)
        allowed = LISTS_BY_KIND.get(kind or "", ())
        if kind is not None:
            for key in facts["lists"]:
                if key not in allowed:
                    self.out.append(
                        self.loc.diag(
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
        template_ids: dict[str, str] = {}
        if any(name in self.broken_templates for name in facts["include"]):
            return  # what the template holds is unknown: its own diagnostics say why
        for j, name in enumerate(facts["include"]):
            found = self.templates.get(name)
            if found is None:
                self.diag("DL124", rel, ("include", j), "include", template=name, **_suggest(name, self.templates))
                continue
            _trel, tpl = found
            twice = (template_ids.keys() & set(tpl["ids"])) - set(facts["exclude"])
            for ident in sorted(twice):
                if template_ids[ident] != name:
                    self.diag(
                        "DL126", rel, ("include", j), "include", id=ident, other=f"templates/{template_ids[ident]}.yaml"
                    )
            for ident in tpl["ids"]:
                template_ids.setdefault(ident, name)
            if kind is not None:
                for key, count in tpl["lists"].items():
                    if key not in allowed and count:
                        self.diag(
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
        excluded = set(facts["exclude"])
        for j, ident in enumerate(facts["exclude"]):
            if ident not in template_ids:
                self.diag("DL125", rel, ("exclude", j), "exclude", id=ident)
        included = [self.v.digests(self.templates[n][0]) for n in facts["include"] if n in self.templates]
        if not any(not self.v.digests(rel).isdisjoint(ds) for ds in included):
            return  # no id of the unit's own is also one of its templates'
        clash = (set(self.v.ids_names(rel)[0]) & template_ids.keys()) - excluded
        if clash:
            for it in self.v.items(rel):
                if it[I_ID] in clash:
                    self.diag(
                        "DL126",
                        rel,
                        (it[I_LIST], it[I_IDX], "id"),
                        item_path(it, "id"),
                        id=it[I_ID],
                        other=f"templates/{template_ids[it[I_ID]]}.yaml",
                    )


def check_version(version: LoadedVersion, locator: VersionLocator, previous: LoadedVersion | None) -> list[Diagnostic]:
    return _Checker(version, locator, previous).run()
