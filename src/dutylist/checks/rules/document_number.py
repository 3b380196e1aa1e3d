"""DL209 document-number: a document number (文号) not in the form 代字〔YYYY〕N号.

Official document numbers (GB/T 9704) are written 发文机关代字, the year in 六角括号 〔〕,
then the serial number without leading zeros and with 号: ``府办发〔2025〕12号``. The rule
reads item ``approval``, catalogue ``approval`` and adjustment record ``basis``, and
recognises the usual slips — ``[2025]``, ``(2025)``, ``（2025）``, ``【2025】``, no brackets,
``2025年``, ``第12号``, full-width digits, leading zeros — giving the canonical form.
Laws and regulations in an item's ``basis`` list are not document numbers and are not read.

A warning by default. Fix: write the number as the message shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ...diagnostics import Code, Diagnostic, Severity
from ..context import CheckContext
from ..registry import Rule, RuleOptions

CANONICAL = re.compile(r"^[\u3400-\u9fff]+〔(?:19|20)\d{2}〕[1-9]\d*号$")
_LOOSE = re.compile(
    r"^(?P<prefix>[\u3400-\u9fff]+?)\s*[〔\[(（【［{｛〖]?\s*(?P<year>(?:19|20)\d{2})\s*[〕\])）】］}｝〗]?\s*年?\s*"
    r"第?\s*(?P<n>\d+)\s*号$"
)


def canonical(text: str) -> str | None:
    """The canonical form of a document number, or None when ``text`` is not one."""
    folded = unicodedata.normalize("NFKC", text.strip())
    m = _LOOSE.match(folded)
    if m is None or int(m["n"]) == 0:
        return None
    return f"{m['prefix']}〔{m['year']}〕{int(m['n'])}号"


class Options(RuleOptions):
    pass


def run(ctx: CheckContext, options: Options) -> Iterator[Diagnostic]:
    def finding(value: str, rel: str, loc: tuple[str | int, ...], path: str, **extra: object) -> Diagnostic | None:
        if CANONICAL.match(value):
            return None
        fixed = canonical(value)
        params: dict[str, Any] = {
            "value": value,
            "fixed": fixed or "",
            "hint_zh": f"应写作 {fixed}" if fixed else "文号格式为 发文机关代字〔年份〕序号号，如 府办发〔2025〕12号",
            "hint_en": f"write {fixed}"
            if fixed
            else "a document number reads 代字〔YYYY〕N号, e.g. 府办发〔2025〕12号",
            **extra,
        }
        return ctx.diag(RULE.code, rel, loc, path, **params)

    found: list[Diagnostic | None] = []
    cat = ctx.loaded.results.get("catalogue.yaml")
    if cat is not None and cat.data is not None and cat.data.get("approval"):
        found.append(finding(cat.data["approval"], "catalogue.yaml", ("approval",), "approval", field="approval"))
    for at in ctx.source_items():
        value = at.item.get("approval")
        if value:
            units = [at.unit] if at.unit else ctx.users_of_template(at.rel, at.item["id"])
            found.append(
                finding(value, at.rel, (*at.loc, "approval"), f"{at.path}.approval", item=at.item["id"], units=units)
            )
    adj = ctx.loaded.results.get("adjustments.yaml")
    if adj is not None and adj.data is not None:
        for idx, record in enumerate(adj.data):
            if record.get("basis"):
                found.append(
                    finding(
                        record["basis"],
                        "adjustments.yaml",
                        (idx, "basis"),
                        f"[id={record['id']}].basis",
                        record=record["id"],
                        items=list(record["items"]),
                        units=list(record["units"]),
                    )
                )
    yield from (d for d in found if d is not None)


RULE = Rule(
    code="DL209",
    name="document-number",
    title_zh="文号格式不规范",
    title_en="document number not canonical",
    severity=Severity.WARNING,
    message=Code(
        "DL209",
        Severity.WARNING,
        "文号 {value!r} 不规范",
        "document number {value!r} is not in the form 代字〔YYYY〕N号",
        "{hint_zh}",
        "{hint_en}",
    ),
    options=Options,
    needs_diff=False,
    run=run,
    doc=__doc__ or "",
)
