"""The shape of ``dutylist diff --format json`` (DESIGN §7): the source of its JSON Schema."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .catalogue import ChangeKind


class _Open(BaseModel):
    # keys may be added to the diff output, never renamed: readers must accept more
    model_config = ConfigDict(extra="allow")


class DiffSide(_Open):
    spec: str = Field(description="The version spec as given.")
    version: str
    hash: str | None = Field(description="sha256 of the compiled entries.")


class DiffHolding(_Open):
    unit: str
    list: str = Field(
        description="basic, cooperative, recalled, powers, autonomy, assist, negative; 'unit' for unit_renamed."
    )
    lead: str | None = None
    receiver: str | None = None


class DiffField(_Open):
    path: str = Field(description="The field, list items by index: tasks, basis[1], holders, list.")
    old: Any
    new: Any


class DiffChange(_Open):
    kind: ChangeKind
    id: str
    name: str
    before: list[DiffHolding]
    after: list[DiffHolding]
    fields: list[DiffField]
    replaces: list[str] = []
    suggestion: dict[str, Any] | None = Field(
        None, description="A 'probably the same item' match: id, name, score, target, replaces_line."
    )


class DiffBurden(_Open):
    unit: str
    gained: int
    lost: int
    net: int


class DiffReport(_Open):
    """``dutylist diff --format json``."""

    model_config = ConfigDict(title="dutylist diff (schema 1)", extra="allow")

    schema_: Literal[1] = Field(alias="schema")
    base: DiffSide
    head: DiffSide
    summary: dict[ChangeKind, int] = Field(description="Changes per kind, every kind present.")
    units: list[DiffBurden] = Field(description="One row per township of head: its burden gained, lost, net.")
    changes: list[DiffChange]
