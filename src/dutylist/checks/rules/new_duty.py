"""DL201 duty-without-approval: a duty newly put on a township has no ``approval``.

The duty access firewall (职责准入): an item that a township newly holds in its basic or
cooperative list — added to it, delegated to it (recalled items turned back into its
duties included), extended to it, or turned from cooperative into basic (the township
now carries it itself; basic into cooperative lightens the load and is not reported) —
must name the document that admitted it, in the item's ``approval`` field. The finding
points at the item in head (its unit file, or the template it comes from, naming the
townships it reaches).

Needs a base to diff against. Fix: add ``approval: 代字〔年份〕序号号`` to the item, or
take the duty off the township.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...diagnostics import Code, Diagnostic, Severity
from ...diff.engine import BURDEN
from ...model.vocab import CHANGE_LABELS_ZH
from ..context import CheckContext, ItemAt
from ..registry import Rule, RuleOptions
from ._common import list_zh, unit_names


class Options(RuleOptions):
    pass


def run(ctx: CheckContext, options: Options) -> Iterator[Diagnostic]:
    assert ctx.diff is not None
    found: dict[tuple[str, int], tuple[ItemAt, str, list[str]]] = {}
    for change in ctx.diff.changes:
        before = {(h.unit, h.list) for h in change.before}
        for h in change.after:
            if h.list not in BURDEN or not ctx.is_township(h.unit) or (h.unit, h.list) in before:
                continue
            if change.kind == "role_changed" and h.list == "cooperative":
                continue
            at = ctx.item(h.unit, change.id)
            if at is None or at.item.get("approval"):
                continue
            found.setdefault((at.rel, at.idx), (at, change.kind, []))[2].append(h.unit)
    for at, kind, units in found.values():
        params: dict[str, Any] = {
            "name": at.item["name"],
            "list": at.list,
            "list_zh": list_zh(at.list),
            "change": kind,
            "change_zh": CHANGE_LABELS_ZH[kind],
            "units": sorted(set(units)),
            **unit_names(ctx, units),
        }
        yield ctx.at_item(RULE.code, at, **params)


RULE = Rule(
    code="DL201",
    name="duty-without-approval",
    title_zh="新增乡镇职责无准入依据",
    title_en="new township duty without approval",
    severity=Severity.ERROR,
    message=Code(
        "DL201",
        Severity.ERROR,
        "“{name}”新列入{units_zh}的{list_zh}（{change_zh}），但没有准入依据 approval（职责准入）",
        "{name!r} is newly put on {units_en} ({list}, {change}) without an approval (duty access)",
        "在该事项中写明批准文件：approval: 代字〔年份〕序号号",
        "name the approving document in the item: approval: 代字〔YYYY〕N号",
    ),
    options=Options,
    needs_diff=True,
    run=run,
    doc=__doc__ or "",
)
