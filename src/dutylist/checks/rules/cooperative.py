"""DL205 cooperative-incomplete: a cooperative item without ``lead``, ``lead_duty`` or ``township_duty``.

A cooperative duty (配合履职事项) is shared: the county department that leads it, what the
department does, and what the township does must all be written down, or the township
ends up doing the whole of it. Checked on every cooperative item of head, once where it
is written (a template item once, naming the townships it reaches).

Fix: fill in the missing fields.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...diagnostics import Code, Diagnostic, Severity
from ..context import CheckContext
from ..registry import Rule, RuleOptions
from ._common import missing_fields

FIELDS = {"lead": "牵头部门 lead", "lead_duty": "部门职责 lead_duty", "township_duty": "乡镇配合职责 township_duty"}


class Options(RuleOptions):
    pass


def run(ctx: CheckContext, options: Options) -> Iterator[Diagnostic]:
    return missing_fields(ctx, RULE.code, "cooperative", FIELDS)


RULE = Rule(
    code="DL205",
    name="cooperative-incomplete",
    title_zh="配合事项要素不全",
    title_en="cooperative item incomplete",
    severity=Severity.ERROR,
    message=Code(
        "DL205",
        Severity.ERROR,
        "配合履职事项“{name}”缺少{missing_zh}",
        "cooperative item {name!r} has no {missing}",
        "配合事项须写明牵头部门及部门、乡镇各自的职责",
        "a cooperative item names its lead department and both sides' duties",
    ),
    options=Options,
    needs_diff=False,
    run=run,
    doc=__doc__ or "",
)
