"""Small helpers the rule modules share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...diagnostics import Diagnostic
from ...model.vocab import LIST_LABELS_ZH
from ..context import CheckContext


def unit_names(ctx: CheckContext, units: Iterable[str], limit: int = 5) -> dict[str, str]:
    """``units_zh`` / ``units_en`` params: the first few names, and how many more."""
    ids = sorted(set(units))
    names = [ctx.unit_name(u) for u in ids]
    more = len(ids) - limit
    zh = "、".join(names[:limit]) + (f" 等 {len(ids)} 个单位" if more > 0 else "")
    en = ", ".join(ids[:limit]) + (f" and {more} more" if more > 0 else "")
    return {"units_zh": zh, "units_en": en}


def list_zh(key: str) -> str:
    return LIST_LABELS_ZH.get(key, key)


def missing_fields(ctx: CheckContext, code: str, list_key: str, fields: dict[str, str]) -> Iterator[Diagnostic]:
    """Items of ``list_key`` lacking any of ``fields`` (key -> Chinese label), once where written."""
    for at in ctx.source_items():
        if at.list != list_key:
            continue
        missing = [f for f in fields if not at.item.get(f)]
        if missing:
            units = [at.unit] if at.unit else ctx.users_of_template(at.rel, at.item["id"])
            yield ctx.at_item(
                code,
                at,
                name=at.item["name"],
                missing=", ".join(missing),
                missing_zh="、".join(fields[f] for f in missing),
                units=units,
            )
