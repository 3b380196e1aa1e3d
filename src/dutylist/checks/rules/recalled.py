"""DL206 recalled-incomplete: a recalled item without ``receiver`` or ``method``.

An item recalled from townships (上级部门收回事项) must say which county department takes
it over (``receiver``) and how the work is done from now on (``method``, e.g. 部门执法，
乡镇提供线索), so that nobody hands it back to the township informally.
Checked on every recalled item of head, once where it is written.

Fix: fill in the missing fields.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...diagnostics import Code, Diagnostic, Severity
from ..context import CheckContext
from ..registry import Rule, RuleOptions
from ._common import missing_fields

FIELDS = {"receiver": "承接部门 receiver", "method": "工作方式 method"}


class Options(RuleOptions):
    pass


def run(ctx: CheckContext, options: Options) -> Iterator[Diagnostic]:
    return missing_fields(ctx, RULE.code, "recalled", FIELDS)


RULE = Rule(
    code="DL206",
    name="recalled-incomplete",
    title_zh="收回事项要素不全",
    title_en="recalled item incomplete",
    severity=Severity.ERROR,
    message=Code(
        "DL206",
        Severity.ERROR,
        "上级部门收回事项“{name}”缺少{missing_zh}",
        "recalled item {name!r} has no {missing}",
        "收回事项须写明承接部门和工作方式",
        "a recalled item names the department that receives it and how the work is done",
    ),
    options=Options,
    needs_diff=False,
    run=run,
    doc=__doc__ or "",
)
