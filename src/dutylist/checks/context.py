"""What a policy rule sees: the head version (its source, with every item's place), the
diff from the base, and the adjustment records that must account for it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..diagnostics import Diagnostic
from ..diff.engine import DiffResult
from ..model.vocab import TOWNSHIP_KINDS
from ..source.locate import Loc, Mode
from ..source.spec import VersionRef
from ..source.version import LoadedVersion
from .locator import VersionLocator

UNIT_LISTS = ("basic", "cooperative", "recalled", "powers", "autonomy", "assist", "negative")


@dataclass(frozen=True)
class ItemAt:
    """One item of a unit, where it is written: its unit file, or the template it comes from."""

    unit: str
    list: str
    item: dict[str, Any]
    rel: str  # file relative to the version directory
    idx: int  # index in that file's list

    @property
    def loc(self) -> tuple[str, int]:
        return (self.list, self.idx)

    @property
    def path(self) -> str:
        return f"{self.list}[id={self.item['id']}]"

    @property
    def template(self) -> str | None:
        if self.rel.startswith("templates/"):
            return self.rel.removeprefix("templates/").removesuffix(".yaml")
        return None


@dataclass
class CheckContext:
    ref: VersionRef
    loaded: LoadedVersion
    locator: VersionLocator
    diff: DiffResult | None = None
    base_label: str | None = None
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (index, record) that count
    base_kinds: dict[str, str] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)  # results rules share, e.g. the reconciliation

    # --- the head version --------------------------------------------------------
    @cached_property
    def units(self) -> dict[str, dict[str, Any]]:
        """Every unit of head by id, with its ``kind`` (department, town, …, village)."""
        data = self.loaded.results["units.yaml"].data
        out: dict[str, dict[str, Any]] = {}
        for section, kind in (("departments", "department"), ("townships", None), ("villages", "village")):
            for u in data[section]:
                out[u["id"]] = {**u, "kind": kind or u["kind"]}
        return out

    def unit_at(self, unit: str) -> tuple[str, Loc, str]:
        """Where a unit is declared: (file, loc, key path) in units.yaml."""
        data = self.loaded.results["units.yaml"].data
        for section in ("departments", "townships", "villages"):
            for idx, u in enumerate(data[section]):
                if u["id"] == unit:
                    return "units.yaml", (section, idx), f"{section}[id={unit}]"
        return "units.yaml", (), ""

    def kind_of(self, unit: str) -> str | None:
        u = self.units.get(unit)
        return u["kind"] if u is not None else self.base_kinds.get(unit)

    def is_township(self, unit: str) -> bool:
        return self.kind_of(unit) in TOWNSHIP_KINDS

    def unit_name(self, unit: str) -> str:
        u = self.units.get(unit)
        return str(u["name"]) if u is not None else unit

    @cached_property
    def _templates(self) -> dict[str, tuple[str, dict[str, Any]]]:
        out = {}
        for rel, res in self.loaded.results.items():
            if res.kind == "template" and res.data is not None:
                out[res.data["template"]] = (rel, res.data)
        return out

    @cached_property
    def unit_files(self) -> dict[str, tuple[str, dict[str, Any]]]:
        out = {}
        for rel, res in self.loaded.results.items():
            if res.kind == "unit" and res.data is not None:
                out[res.data["unit"]] = (rel, res.data)
        return out

    def items_of(self, unit: str) -> Iterator[ItemAt]:
        """A unit's items as compile expands them: its templates (less exclusions), then its own."""
        found = self.unit_files.get(unit)
        if found is None:
            return
        rel, data = found
        excluded = set(data.get("exclude") or ())
        for name in data.get("include") or ():
            tpl = self._templates.get(name)
            if tpl is None:
                continue
            trel, tdata = tpl
            for key in UNIT_LISTS:
                for idx, item in enumerate(tdata.get(key) or ()):
                    if item["id"] not in excluded:
                        yield ItemAt(unit, key, item, trel, idx)
        for key in UNIT_LISTS:
            for idx, item in enumerate(data.get(key) or ()):
                yield ItemAt(unit, key, item, rel, idx)

    @cached_property
    def _by_unit(self) -> dict[str, dict[str, ItemAt]]:
        return {}

    def item(self, unit: str, ident: str) -> ItemAt | None:
        """Where ``unit``'s item ``ident`` is written in head, if it holds it."""
        index = self._by_unit.get(unit)
        if index is None:
            index = {}
            for at in self.items_of(unit):
                index.setdefault(at.item["id"], at)
            self._by_unit[unit] = index
        return index.get(ident)

    def source_items(self) -> Iterator[ItemAt]:
        """Every item as written, once (a template item once, not once per township); for
        template items ``unit`` is ''."""
        for rel, res in sorted(self.loaded.results.items()):
            if res.kind not in ("unit", "template") or res.data is None:
                continue
            unit = res.data.get("unit", "") if res.kind == "unit" else ""
            for key in UNIT_LISTS:
                for idx, item in enumerate(res.data.get(key) or ()):
                    yield ItemAt(unit, key, item, rel, idx)

    def users_of_template(self, rel: str, ident: str) -> list[str]:
        """The units that apply template ``rel``'s item ``ident`` (include it, do not exclude it)."""
        name = rel.removeprefix("templates/").removesuffix(".yaml")
        return sorted(
            unit
            for unit, (_r, data) in self.unit_files.items()
            if name in (data.get("include") or ()) and ident not in (data.get("exclude") or ())
        )

    # --- findings ------------------------------------------------------------------
    def diag(self, code: str, rel: str, loc: Loc, path: str, *, mode: Mode = "value", **params: Any) -> Diagnostic:
        """A finding at ``loc`` of head's file ``rel``, shown with the version's prefix."""
        if rel in self.loaded.results:
            line, column = self.locator.locate(rel, loc, mode)
        else:
            line, column = 0, 0
        return Diagnostic(
            code,
            f"{self.ref.display}/{rel}",
            line,
            column,
            path,
            params,
            fs_path=self.ref.fs_path(rel),
        )

    def at_item(self, code: str, at: ItemAt, **params: Any) -> Diagnostic:
        return self.diag(code, at.rel, at.loc, at.path, mode="node", item=at.item["id"], **params)

    def at_record(self, code: str, idx: int, record: dict[str, Any], **params: Any) -> Diagnostic:
        params.setdefault("units", list(record.get("units") or ()))
        return self.diag(
            code, "adjustments.yaml", (idx,), f"[id={record['id']}]", mode="node", record=record["id"], **params
        )
