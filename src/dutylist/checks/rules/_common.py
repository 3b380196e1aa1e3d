"""Small helpers the rule modules share."""

from __future__ import annotations

from collections.abc import Iterable

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
