"""DL207 negative-list: an item of a negative list is assigned to a township or village duty list.

A negative list (负面清单) names what must not be pushed down: a village's ``negative``
list, and ``negative.yaml`` at the catalogue root (county-wide, every version; its shape
is ``schemas/negative.schema.json``). An item of either that a township holds in its basic
or cooperative list, or a village in its autonomy or assist list, is reported at that item.
Items match by id, or by name after normalisation (traditional/simplified, full/half
width, punctuation and spaces folded).

Option ``targets`` limits which unit kinds are checked (default both). Fix: take the item
off the duty list (recalled by a department instead), or off the negative list.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from ...diagnostics import Code, Diagnostic, Severity
from ...model.vocab import TOWNSHIP_KINDS
from ..context import CheckContext
from ..registry import Rule, RuleOptions
from ._common import list_zh

NEGATIVE_FILE = "negative.yaml"
DUTY_LISTS = {"township": ("basic", "cooperative"), "village": ("autonomy", "assist")}


class Options(RuleOptions):
    targets: list[Literal["township", "village"]] = Field(
        ["township", "village"],
        description="Which units' duty lists are checked.",
        json_schema_extra={"description_zh": "检查哪些单位的履职清单：township（乡镇）、village（村）"},
    )


def load_root_negative(ctx: CheckContext) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """Items of ``negative.yaml`` at the catalogue root, and its problems (DL1xx), if any."""
    root = ctx.ref.root
    if root is None or not (root / NEGATIVE_FILE).is_file():
        return [], []
    from ...source.files import process_bytes
    from ...source.read import read_bytes

    path = Path(root) / NEGATIVE_FILE
    res = process_bytes(
        NEGATIVE_FILE, "negative", read_bytes(path, ctx.loaded.limits), ctx.loaded.limits, keep_data=True
    )
    shown = path.as_posix()
    diags = [Diagnostic(d.code, shown, d.line, d.column, d.path, d.params, d.severity, shown) for d in res.diagnostics]
    items = list(res.data["negative"]) if res.data is not None else []
    return items, diags


def run(ctx: CheckContext, options: Options) -> Iterator[Diagnostic]:
    from functools import lru_cache

    from ...diff.names import normalise as fold

    normalise = lru_cache(maxsize=None)(fold)  # template items repeat one name in every township
    root_items, problems = load_root_negative(ctx)
    yield from problems
    by_id: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for item in root_items:
        by_id.setdefault(item["id"], NEGATIVE_FILE)
        by_name.setdefault(normalise(item["name"]), NEGATIVE_FILE)
    for at in ctx.source_items():
        if at.list == "negative":
            where = ctx.unit_name(at.unit) if at.unit else at.rel
            by_id.setdefault(at.item["id"], where)
            by_name.setdefault(normalise(at.item["name"]), where)
    if not by_id:
        return
    wanted = {lst for target in options.targets for lst in DUTY_LISTS[target]}
    for unit in ctx.units:
        kind = ctx.kind_of(unit)
        target = "township" if kind in TOWNSHIP_KINDS else "village" if kind == "village" else None
        if target is None or target not in options.targets:
            continue
        for at in ctx.items_of(unit):
            if at.list not in wanted:
                continue
            source = by_id.get(at.item["id"]) or by_name.get(normalise(at.item["name"]))
            if source is not None:
                yield ctx.at_item(
                    RULE.code,
                    at,
                    name=at.item["name"],
                    unit=ctx.unit_name(unit),
                    list=at.list,
                    list_zh=list_zh(at.list),
                    source=source,
                    units=[unit],
                )


RULE = Rule(
    code="DL207",
    name="negative-list",
    title_zh="负面清单事项被列入履职清单",
    title_en="negative-list item on a duty list",
    severity=Severity.ERROR,
    message=Code(
        "DL207",
        Severity.ERROR,
        "“{name}”属于负面清单（{source}），不得列入{unit}的{list_zh}",
        "{name!r} is on a negative list ({source}) and may not be on {unit}'s {list} list",
        "从履职清单中移除该事项，或核实负面清单",
        "take the item off the duty list, or correct the negative list",
    ),
    options=Options,
    needs_diff=False,
    run=run,
    doc=__doc__ or "",
)
