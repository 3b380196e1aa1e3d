"""``dutylist stats``: how many items each unit holds, from a compiled list's manifest alone.

The manifest already carries every count (per unit and list, per category and list, per
power type and unit group), so stats on a province's million-entry ``list.json`` reads one
line (``read_manifest``) and never the entries.

The JSON form (DESIGN §7) always has ``version``, ``units``, ``averages`` and ``totals``;
``--by list|category|power_type`` adds ``rows``. Shapes:

- ``units[].counts`` has every list key (basic, cooperative, recalled, powers, autonomy,
  assist, negative) for every unit, zeros included: one rectangular shape whatever the
  unit's kind, so tools need no defaults. Units without a unit file count zeros.
- ``totals`` has every list key too, summed over ``units``.
- ``averages.township`` is over the units of kind town, township or street: basic,
  cooperative, recalled and total (= basic + cooperative + recalled), rounded half up to
  one decimal; 0.0 when there are no townships (``unit_counts.township`` says so).
- ``rows`` for ``list``: one per list key, in list order — entries, eligible (units whose
  kind may hold the list), holders (units with at least one entry), average per eligible
  unit, min and max over eligible units.
- ``rows`` for ``category``: one per category, by entries (descending, then name), each
  with ``counts`` per list key and ``total``; entries without a category last, as
  ``"category": null``.
- ``rows`` for ``power_type``: the eleven standard power types in their fixed order (zeros
  included), then any others the catalogue added (by name), each with ``counts`` per unit
  group (department, township, village) and ``total``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .compiled import CompiledListError
from .model.vocab import ALL_LISTS, LISTS_BY_KIND, POWER_TYPES, TOWNSHIP_KINDS

STATS_BY = ("unit", "list", "category", "power_type")

#: The lists a township's burden is counted in (§1: the three lists every county publishes).
DUTY_LISTS = ("basic", "cooperative", "recalled")

#: Unit groups, as the manifest's ``power_types`` counts them.
GROUPS = ("department", "township", "village")


def group_of(kind: str) -> str:
    return "township" if kind in TOWNSHIP_KINDS else kind


def round_half_up(num: int, den: int, digits: int = 1) -> float:
    """``num / den`` rounded the way people do (0.25 -> 0.3, not 0.2); 0.0 when ``den`` is 0."""
    if den == 0:
        return 0.0
    exp = Decimal(1).scaleb(-digits)
    return float((Decimal(num) / Decimal(den)).quantize(exp, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class UnitCounts:
    id: str
    name: str
    kind: str
    counts: dict[str, int]

    @property
    def group(self) -> str:
        return group_of(self.kind)

    @property
    def duty_total(self) -> int:
        """basic + cooperative + recalled: the size of a township's duty catalogue."""
        return sum(self.counts[k] for k in DUTY_LISTS)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "counts": dict(self.counts)}


@dataclass(frozen=True)
class ListRow:
    list: str
    entries: int
    eligible: int
    holders: int
    min: int
    max: int

    @property
    def average(self) -> float:
        return round_half_up(self.entries, self.eligible)

    def to_json(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "entries": self.entries,
            "eligible": self.eligible,
            "holders": self.holders,
            "average": self.average,
            "min": self.min,
            "max": self.max,
        }


@dataclass(frozen=True)
class CategoryRow:
    category: str | None
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_json(self) -> dict[str, Any]:
        return {"category": self.category, "counts": dict(self.counts), "total": self.total}


@dataclass(frozen=True)
class PowerTypeRow:
    power_type: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_json(self) -> dict[str, Any]:
        return {"power_type": self.power_type, "counts": dict(self.counts), "total": self.total}


Row = ListRow | CategoryRow | PowerTypeRow


@dataclass(frozen=True)
class StatsResult:
    version: str
    by: str
    units: list[UnitCounts]
    title: str | None = None
    region: dict[str, Any] | None = None
    effective: str | None = None
    rows: list[Row] = field(default_factory=list)

    @property
    def townships(self) -> list[UnitCounts]:
        return [u for u in self.units if u.kind in TOWNSHIP_KINDS]

    @property
    def totals(self) -> dict[str, int]:
        return _sum_counts(self.units)

    @property
    def unit_counts(self) -> dict[str, int]:
        counts = Counter(u.group for u in self.units)
        return {g: counts[g] for g in GROUPS}

    def township_sum(self, key: str) -> int:
        """Entries of ``key`` (a list, or ``total``) over all townships."""
        keys = DUTY_LISTS if key == "total" else (key,)
        return sum(u.counts[k] for u in self.townships for k in keys)

    def township_average(self, key: str, digits: int = 1) -> float:
        """The average per township of ``key`` (a list, or ``total``), rounded half up."""
        return round_half_up(self.township_sum(key), len(self.townships), digits)

    @property
    def averages(self) -> dict[str, dict[str, float]]:
        return {"township": {k: self.township_average(k) for k in (*DUTY_LISTS, "total")}}

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": self.version,
            "title": self.title,
            "region": self.region,
            "effective": self.effective,
            "by": self.by,
            "unit_counts": self.unit_counts,
            "units": [u.to_json() for u in self.units],
            "averages": self.averages,
            "totals": self.totals,
        }
        if self.by != "unit":
            data["rows"] = [r.to_json() for r in self.rows]
        return data


def compute_stats(manifest: Mapping[str, Any], by: str = "unit") -> StatsResult:
    """Stats of a compiled list from its manifest (``CompiledList.manifest`` or ``read_manifest``).

    Raises ``ValueError`` for an unknown ``by``, and ``CompiledListError`` for a manifest
    whose counts are not the shape ``compile`` writes (a list.json edited by hand).
    """
    if by not in STATS_BY:
        raise ValueError(f"by must be one of {', '.join(STATS_BY)}, not {by!r}")
    units = _units(manifest)
    rows: list[Row] = []
    if by == "list":
        rows = list(_list_rows(units))
    elif by == "category":
        rows = list(_category_rows(_mapping(manifest, "categories"), _sum_counts(units)))
    elif by == "power_type":
        rows = list(_power_type_rows(_mapping(manifest, "power_types")))
    region = manifest.get("region")
    return StatsResult(
        version=str(manifest["version"]),
        by=by,
        units=units,
        title=_text(manifest.get("title")),
        region=dict(region) if isinstance(region, Mapping) else None,
        effective=_text(manifest.get("effective")),
        rows=rows,
    )


def _sum_counts(units: list[UnitCounts]) -> dict[str, int]:
    totals = dict.fromkeys(ALL_LISTS, 0)
    for unit in units:
        for key, n in unit.counts.items():
            totals[key] += n
    return totals


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _mapping(manifest: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = manifest.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise CompiledListError(f"the manifest's {key!r} is not an object")
    return value


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CompiledListError(f"the manifest's {where} is not a count: {value!r}")
    return value


def _units(manifest: Mapping[str, Any]) -> list[UnitCounts]:
    raw_units = manifest["units"]
    counts = _mapping(manifest, "counts")
    if not isinstance(raw_units, list):
        raise CompiledListError("the manifest's 'units' is not a list")
    units = []
    for raw in raw_units:
        if not isinstance(raw, Mapping) or not all(isinstance(raw.get(k), str) for k in ("id", "name", "kind")):
            raise CompiledListError(f"the manifest has a unit without id, name and kind: {raw!r}")
        unit_id = raw["id"]
        held = counts.get(unit_id, {})
        if not isinstance(held, Mapping):
            raise CompiledListError(f"the manifest's counts of {unit_id!r} are not an object")
        row = dict.fromkeys(ALL_LISTS, 0)
        for key, n in held.items():
            if key not in row:
                raise CompiledListError(f"the manifest's counts of {unit_id!r} name an unknown list {key!r}")
            row[key] = _count(n, f"counts.{unit_id}.{key}")
        units.append(UnitCounts(unit_id, raw["name"], raw["kind"], row))
    return units


def _list_rows(units: list[UnitCounts]) -> list[ListRow]:
    rows = []
    for key in ALL_LISTS:
        eligible = [u.counts[key] for u in units if key in LISTS_BY_KIND.get(u.kind, ())]
        rows.append(
            ListRow(
                list=key,
                entries=sum(u.counts[key] for u in units),
                eligible=len(eligible),
                holders=sum(1 for u in units if u.counts[key]),
                min=min(eligible, default=0),
                max=max(eligible, default=0),
            )
        )
    return rows


def _category_rows(categories: Mapping[str, Any], totals: dict[str, int]) -> list[CategoryRow]:
    rows = []
    unfiled = dict(totals)
    for name, held in categories.items():
        if not isinstance(held, Mapping):
            raise CompiledListError(f"the manifest's categories.{name} is not an object")
        row = dict.fromkeys(ALL_LISTS, 0)
        for key, n in held.items():
            if key in row:
                row[key] = _count(n, f"categories.{name}.{key}")
                unfiled[key] -= row[key]
        rows.append(CategoryRow(str(name), row))
    rows.sort(key=lambda r: (-r.total, r.category or ""))
    if any(n > 0 for n in unfiled.values()):
        rows.append(CategoryRow(None, {k: max(n, 0) for k, n in unfiled.items()}))
    return rows


def _power_type_rows(power_types: Mapping[str, Any]) -> list[PowerTypeRow]:
    found: dict[str, dict[str, int]] = {}
    for name, held in power_types.items():
        if not isinstance(held, Mapping):
            raise CompiledListError(f"the manifest's power_types.{name} is not an object")
        row = dict.fromkeys(GROUPS, 0)
        for group, n in held.items():
            row[str(group)] = _count(n, f"power_types.{name}.{group}")
        found[str(name)] = row
    names = [*POWER_TYPES, *sorted(set(found) - set(POWER_TYPES))]
    return [PowerTypeRow(name, found.get(name) or dict.fromkeys(GROUPS, 0)) for name in names]
