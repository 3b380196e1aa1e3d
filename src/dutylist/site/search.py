"""The search index embedded in a version's index page.

One record per distinct item and list (an item of a template held by 15 townships is one
record naming 15 units): its id, name, list, the anchor of its row on a unit's page, the
units that hold it, and for cooperative and recalled items the departments that lead or
receive them. Units are given once, as [id, name, page] triples, and referred to by index,
which keeps the index small. The search script matches ids and names after NFKC and
lower-casing.
"""

from __future__ import annotations

from typing import Any

from ..model.vocab import ALL_LISTS, LIST_LABELS_ZH
from ..render.list_tables import iter_entries
from .markup import safe_name
from .versions import SiteVersion

#: The department an item names, per list, and what to call it.
BY_FIELD = {"cooperative": "lead", "recalled": "receiver"}
BY_LABEL = {"cooperative": "牵头部门", "recalled": "承接部门"}


def row_anchor(list_key: str, item_id: str) -> str:
    """The id of an item's row on a unit's page: ``basic-AL-B-001``."""
    return f"{list_key}-{safe_name(item_id)}"


def search_data(version: SiteVersion) -> dict[str, Any]:
    units = version.listing.units
    index = {u["id"]: i for i, u in enumerate(units)}
    records: dict[tuple[str, str], dict[str, Any]] = {}
    holders: dict[tuple[str, str], set[int]] = {}
    deps: dict[tuple[str, str], set[int]] = {}
    for entry in iter_entries(version.listing):
        key = (str(entry["id"]), str(entry["list"]))
        if key not in records:
            records[key] = {
                "id": key[0],
                "name": str(entry["name"]),
                "list": key[1],
                "anchor": row_anchor(key[1], key[0]),
            }
            holders[key], deps[key] = set(), set()
        if entry["unit"] in index:
            holders[key].add(index[entry["unit"]])
        dep = entry.get(BY_FIELD.get(key[1], ""), None)
        if dep in index:
            deps[key].add(index[dep])
    order = {k: i for i, k in enumerate(ALL_LISTS)}
    items = []
    for key in sorted(records, key=lambda k: (k[0], order.get(k[1], len(order)), k[1])):
        record = records[key]
        record["units"] = sorted(holders[key])
        if deps[key]:
            record["by"] = sorted(deps[key])
        items.append(record)
    return {
        "version": version.label,
        "lists": dict(LIST_LABELS_ZH),
        "by": dict(BY_LABEL),
        "units": [[u["id"], version.display_name(u), version.unit_href(u["id"])] for u in units],
        "items": items,
    }
