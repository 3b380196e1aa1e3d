"""DL208 revocation-without-basis: a revoked or withdrawn item's adjustment record has no ``basis``.

Taking a duty away from a township (取消, 上收) needs the approving document: a record of
kind ``revoked`` or ``withdrawn`` that counts for this check must name it in ``basis``
(文号, e.g. 府办发〔2025〕12号). Points at the record in ``adjustments.yaml``.

Fix: add ``basis:`` to the record.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...diagnostics import Code, Diagnostic, Severity
from ...model.vocab import CHANGE_LABELS_ZH
from ..context import CheckContext
from ..registry import Rule, RuleOptions


class Options(RuleOptions):
    pass


def run(ctx: CheckContext, options: Options) -> Iterator[Diagnostic]:
    for idx, record in ctx.records:
        if record["kind"] in ("revoked", "withdrawn") and not record.get("basis"):
            yield ctx.at_record(
                RULE.code,
                idx,
                record,
                change=record["kind"],
                change_zh=CHANGE_LABELS_ZH[record["kind"]],
                ids=", ".join(record["items"]),
                items=list(record["items"]),
            )


RULE = Rule(
    code="DL208",
    name="revocation-without-basis",
    title_zh="取消、上收无依据",
    title_en="revoked or withdrawn without basis",
    severity=Severity.ERROR,
    message=Code(
        "DL208",
        Severity.ERROR,
        "调整记录 {record}（{change_zh} {ids}）没有写明依据 basis",
        "record {record} ({change} of {ids}) has no basis",
        "写明批准文件：basis: 代字〔年份〕序号号",
        "name the approving document: basis: 代字〔YYYY〕N号",
    ),
    options=Options,
    needs_diff=False,
    run=run,
    doc=__doc__ or "",
)
