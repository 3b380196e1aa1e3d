"""``dutylist diff``: load both sides (source versions are compiled in memory), diff, filter."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..compile import CompileOptions, compile_ref
from ..diagnostics import Diagnostic
from ..source.limits import Limits
from ..source.spec import SpecError, resolve
from .engine import BURDEN, DiffResult, diff_sides, order_changes
from .index import Side, side_of
from .names import suggest


@dataclass(frozen=True)
class DiffOptions:
    base: str
    head: str
    root: Path = Path("catalogues")
    limits: Limits = field(default_factory=Limits)
    use_cache: bool = True
    jobs: int | None = None
    units: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    match_names: float | None = None  # accept name matches at or above this score as renames


@dataclass
class DiffOutcome:
    result: DiffResult | None
    diagnostics: list[Diagnostic]


def load_side(spec: str, options: DiffOptions) -> tuple[Side | None, list[Diagnostic]]:
    ref = resolve(spec, options.root)
    if ref.kind == "compiled":
        return side_of(ref, None), []
    compiled = compile_ref(ref, CompileOptions(options.root, options.limits, options.use_cache, options.jobs))
    if compiled.listing is None:
        return None, compiled.diagnostics
    return side_of(ref, compiled.listing), []


def run_diff(options: DiffOptions) -> DiffOutcome:
    base, bdiags = load_side(options.base, options)
    head, hdiags = load_side(options.head, options)
    if base is None or head is None:
        return DiffOutcome(None, bdiags + hdiags)
    known = {u["id"] for side in (base, head) for u in side.manifest["units"]}
    unknown = [u for u in options.units if u not in known]
    if unknown:
        raise SpecError(
            f"没有单位 {'、'.join(unknown)}（两个版本中都没有）", f"no unit {', '.join(unknown)} in either version"
        )
    result = diff_sides(base, head)
    changes, renamed = suggest(result.changes, options.match_names)
    result.changes = order_changes(changes)
    for old, new in renamed:  # a rename changes no township's burden
        held_before = {h.unit for h in old.before if h.list in BURDEN}
        held_after = {h.unit for h in new.after if h.list in BURDEN}
        for row in result.units:
            if row.unit in held_before and row.unit in held_after:
                row.gained -= 1
                row.lost -= 1
    return DiffOutcome(filter_result(result, options.units, options.kinds), [])


def filter_result(result: DiffResult, units: tuple[str, ...], kinds: tuple[str, ...]) -> DiffResult:
    """Narrow changes (and so the summary) to some units and kinds, and the burden rows to the units."""
    if units:
        wanted = set(units)
        result.changes = [c for c in result.changes if c.units() & wanted]
        result.units = [u for u in result.units if u.unit in wanted]
    if kinds:
        result.changes = [c for c in result.changes if c.kind in kinds]
    return result
