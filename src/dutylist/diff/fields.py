"""Field-level differences of one entry, from deepdiff's tree view (never its printed text).

Only the item's own fields are compared: where it stands (unit, list, number, template) and
names resolved from ids (unit, lead, receiver names) are not the item, and ``lead`` and
``receiver`` changes are moves (transferred), reported as such.
"""

from __future__ import annotations

from typing import Any

import orjson

FIELDS = ("category", "tasks", "basis", "approval", "lead_duty", "township_duty", "method", "power_type")
#: fields that come and go with the list an entry is in
LIST_FIELDS = ("lead_duty", "township_duty", "method", "power_type")


def field_changes(old: dict[str, Any], new: dict[str, Any], *, same_list: bool = True) -> list[dict[str, Any]]:
    keys = FIELDS if same_list else tuple(k for k in FIELDS if k not in LIST_FIELDS)
    a = {k: old.get(k) for k in keys}
    b = {k: new.get(k) for k in keys}
    if a == b:
        return []
    # a template item changed alike in every township that includes it: compare it once
    memo_key = orjson.dumps([a, b])
    found = _MEMO.get(memo_key)
    if found is None:
        found = _MEMO[memo_key] = _compare(a, b)
        if len(_MEMO) > 10_000:
            _MEMO.clear()
    return [dict(f) for f in found]


_MEMO: dict[bytes, list[dict[str, Any]]] = {}


def _compare(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    from deepdiff import DeepDiff

    tree = DeepDiff(a, b, view="tree", verbose_level=2)
    out = []
    for report in tree.values():
        for level in report:
            path = _path(level.path(output_format="list"))
            out.append({"path": path, "old": _value(level.t1), "new": _value(level.t2)})
    return sorted(out, key=lambda f: f["path"])


def _path(parts: list[Any]) -> str:
    text = ""
    for p in parts:
        text += f"[{p}]" if isinstance(p, int) else (f".{p}" if text else str(p))
    return text


def _value(v: Any) -> Any:
    # deepdiff marks a side that is absent with a sentinel object
    return v if v is None or isinstance(v, (str, int, float, bool, list, dict)) else None
