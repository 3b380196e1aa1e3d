"""``dutylist log ID``: the history of one item across every version under the root."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..source.spec import SpecError, list_versions
from .engine import Change, Holding, diff_sides
from .index import Side, entries_of
from .names import suggest
from .run import DiffOptions, load_side


@dataclass
class LogEntry:
    version: str
    change: Change

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, **self.change.to_json()}


@dataclass
class LogResult:
    id: str
    versions: list[str]
    history: list[LogEntry] = field(default_factory=list)
    unit_names: dict[str, str] = field(default_factory=dict)
    invalid: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "versions": self.versions,
            "history": [h.to_json() for h in self.history],
            "invalid": self.invalid,
        }


def item_log(item_id: str, options: DiffOptions) -> LogResult:
    """Every change of the item (and of the items that continue it through ``replaces``),
    oldest first; the oldest version where it appears counts as ``present``."""
    labels = list_versions(options.root)
    if not labels:
        raise SpecError(f"{options.root} 下没有版本目录", f"no versions under {options.root}")
    result = LogResult(item_id, labels)
    ids = {item_id}
    previous: Side | None = None
    for label in labels:
        side, _diags = load_side(label, options)
        if side is None:
            result.invalid.append(label)  # an invalid version breaks the chain: start again after it
            previous = None
            continue
        result.unit_names.update({u["id"]: u["name"] for u in side.manifest["units"]})
        if previous is None:
            entries = entries_of(side, ids)
            if entries and not result.history:
                holdings = [Holding(e["unit"], e["list"], e.get("lead"), e.get("receiver")) for e in entries]
                result.history.append(
                    LogEntry(label, Change("present", entries[0]["id"], entries[0]["name"], after=holdings))
                )
        else:
            changes, _ = suggest(diff_sides(previous, side).changes)
            for c in changes:
                if c.id in ids or ids & set(c.replaces):
                    result.history.append(LogEntry(label, c))
                    ids.add(c.id)
        previous = side
    return result
