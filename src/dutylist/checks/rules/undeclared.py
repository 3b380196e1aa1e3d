"""DL202 undeclared-change: a change between base and head that no adjustment record accounts for.

Every change dutylist computes from base to head — added, revoked, withdrawn, delegated,
transferred, role changes, renames, field changes, renamed units — must be declared by a
record in head's ``adjustments.yaml`` of the same ``kind`` naming the item (DESIGN §6).
Only the records that head has and base has not (by ``id``) count: against the previous
version that is all of them; on a pull request against the same version, the ones it adds.
A record with ``units`` covers only those units; ``to`` must be where the item goes.

Needs a base. Fix: add a record (id, kind, items, basis, reason, date), or undo the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...diagnostics import Code, Diagnostic, Severity
from ...model.vocab import CHANGE_LABELS_ZH
from ..context import CheckContext
from ..reconcile import reconciled
from ..registry import Rule, RuleOptions
from ._common import unit_names


class Options(RuleOptions):
    pass


def run(ctx: CheckContext, options: Options) -> Iterator[Diagnostic]:
    for change, units in reconciled(ctx).undeclared:
        params: dict[str, Any] = {
            "name": change.name,
            "change": change.kind,
            "change_zh": CHANGE_LABELS_ZH[change.kind],
            "id": change.id,
            "units": units,
            **unit_names(ctx, units),
        }
        if change.kind == "unit_renamed":
            rel, loc, path = ctx.unit_at(change.id)
            yield ctx.diag(RULE.code, rel, loc, path, item=change.id, **params)
            continue
        holders = [h.unit for h in change.after if ctx.item(h.unit, change.id) is not None]
        at = ctx.item(holders[0], change.id) if holders else None
        if at is not None:
            yield ctx.at_item(RULE.code, at, **params)
        else:  # gone from head (revoked, narrowed away): the fix goes in adjustments.yaml
            yield ctx.diag(RULE.code, "adjustments.yaml", (), "", item=change.id, **params)


RULE = Rule(
    code="DL202",
    name="undeclared-change",
    title_zh="调整未经记录",
    title_en="change without an adjustment record",
    severity=Severity.ERROR,
    message=Code(
        "DL202",
        Severity.ERROR,
        "{change_zh}“{name}”（{id}，涉及{units_zh}）在 adjustments.yaml 中没有对应的调整记录",
        "{name!r} ({id}, {units_en}): a change of kind {change} that no record in adjustments.yaml declares",
        "在 adjustments.yaml 中添加 kind: {change}、items 含 {id} 的记录（写明 basis 文号）",
        "add a record with kind: {change} and {id} in items to adjustments.yaml (with its basis)",
    ),
    options=Options,
    needs_diff=True,
    run=run,
    doc=__doc__ or "",
)
