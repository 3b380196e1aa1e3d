"""Value rules shared by the pydantic models and the precompiled validators.

Light on purpose (no pydantic import): the validators of :mod:`.coreschema` call these
functions on plain data, the models on their instances.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from pydantic_core import PydanticCustomError


def check_date(value: str) -> str:
    """A calendar date written YYYY-MM-DD (the pattern is checked before)."""
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("calendar_date", "{value} is not a calendar date", {"value": value}) from None
    return value


def check_record(record: Any) -> Any:
    """An adjustment record names items, or, for ``unit_renamed``, units."""
    get = record.get if isinstance(record, dict) else lambda key: getattr(record, key)
    kind = get("kind")
    if kind == "unit_renamed":
        if not get("units"):
            raise PydanticCustomError(
                "record_units", "a unit_renamed record names the renamed units in `units`", {"kind": kind}
            )
    elif not get("items"):
        raise PydanticCustomError("record_items", "a {kind} record names its items in `items`", {"kind": kind})
    return record
