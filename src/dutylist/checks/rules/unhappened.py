"""DL203 unhappened-record: an adjustment record whose change did not happen.

The other direction of DL202: a record that counts (in head's ``adjustments.yaml``, not in
base's) declares a change of some items — or, for ``unit_renamed``, some units — that the
diff from base to head does not show. Often the record's ``kind`` is wrong (the item was
transferred, not withdrawn), its ``to`` names another department, or the edit it declares
was left out of the pull request; the message says what happened to the item instead.

Needs a base. Fix: correct the record, make the change, or remove the record.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...diagnostics import Code, Diagnostic, Severity
from ...model.vocab import CHANGE_LABELS_ZH
from ..context import CheckContext
from ..reconcile import reconciled
from ..registry import Rule, RuleOptions


class Options(RuleOptions):
    pass


def run(ctx: CheckContext, options: Options) -> Iterator[Diagnostic]:
    for idx, record, missing, actual in reconciled(ctx).unhappened:
        kind = record["kind"]
        instead_zh = "；".join(f"{i} 实际为{'、'.join(CHANGE_LABELS_ZH[k] for k in ks)}" for i, ks in actual.items())
        instead_en = "; ".join(f"{i} was {', '.join(ks)}" for i, ks in actual.items())
        yield ctx.at_record(
            RULE.code,
            idx,
            record,
            change=kind,
            change_zh=CHANGE_LABELS_ZH[kind],
            missing=", ".join(missing),
            instead_zh=f"（{instead_zh}）" if instead_zh else "",
            instead_en=f" ({instead_en})" if instead_en else "",
            items=missing,
        )


RULE = Rule(
    code="DL203",
    name="unhappened-record",
    title_zh="调整记录与实际不符",
    title_en="adjustment record without its change",
    severity=Severity.ERROR,
    message=Code(
        "DL203",
        Severity.ERROR,
        "调整记录 {record} 声明{change_zh}（{change}）{missing}，但两版之间没有这项变化{instead_zh}",
        "record {record} declares {change} of {missing}, which did not happen between the versions{instead_en}",
        "核对记录的 kind、items、units、to，或补上所声明的调整",
        "check the record's kind, items, units and to, or make the change it declares",
    ),
    options=Options,
    needs_diff=True,
    run=run,
    doc=__doc__ or "",
)
