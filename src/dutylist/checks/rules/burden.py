"""DL204 burden-growth: a township's burden grows by more than ``max_burden_growth`` items.

A township's burden is the items it does itself or helps with: its basic and cooperative
entries (DESIGN §5). The check compares the number of distinct items (renames counted as
the same item) a township holds in those lists in base and in head; a net growth above
the threshold (default 0: any growth) is reported at the township's unit file. The diff's
burden ledger (``dutylist diff``) shows what it gained and lost.

Needs a base. Raise the threshold in dutylist.toml, or review what the township gains.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import Field

from ...diagnostics import Code, Diagnostic, Severity
from ..context import CheckContext
from ..registry import Rule, RuleOptions


class Options(RuleOptions):
    max_burden_growth: int = Field(
        0,
        ge=0,
        description="Net growth (items) a township may take without a finding.",
        json_schema_extra={"description_zh": "乡镇履职事项净增多少项以内不报告"},
    )


def run(ctx: CheckContext, options: Options) -> Iterator[Diagnostic]:
    assert ctx.diff is not None
    for row in ctx.diff.units:
        if row.net <= options.max_burden_growth:
            continue
        params: dict[str, Any] = {
            "name": ctx.unit_name(row.unit),
            "gained": row.gained,
            "lost": row.lost,
            "net": row.net,
            "limit": options.max_burden_growth,
            "units": [row.unit],
        }
        if row.unit in ctx.unit_files:
            rel = ctx.unit_files[row.unit][0]
            yield ctx.diag(RULE.code, rel, ("unit",), "unit", mode="key", **params)
        else:
            rel, loc, path = ctx.unit_at(row.unit)
            yield ctx.diag(RULE.code, rel, loc, path, **params)


RULE = Rule(
    code="DL204",
    name="burden-growth",
    title_zh="乡镇负担增加",
    title_en="township burden grows",
    severity=Severity.WARNING,
    message=Code(
        "DL204",
        Severity.WARNING,
        "{name}的履职负担净增 {net} 项（新增 {gained}，减少 {lost}），超过允许的 {limit} 项",
        "{name}'s burden grows by {net} items (gained {gained}, lost {lost}), above the limit of {limit}",
        "请核实新增职责是否经过准入；阈值见 dutylist.toml [check.rules.DL204] max_burden_growth",
        "review the duties it gains; the limit is dutylist.toml [check.rules.DL204] max_burden_growth",
    ),
    options=Options,
    needs_diff=True,
    run=run,
    doc=__doc__ or "",
)
