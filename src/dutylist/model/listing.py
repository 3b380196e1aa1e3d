"""The shape of a compiled list (``list.json``), as models: the source of its JSON Schema.

dutylist writes list.json itself (see :mod:`dutylist.compiled`); these models document
and check the shape for other tools, and generate ``schemas/list.schema.json``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ListUnit(_Closed):
    id: str
    name: str
    kind: Literal["department", "town", "township", "street", "village"]
    township: str | None = Field(None, description="For villages: the township they belong to.")
    replaces: list[str] = []


class ListRegion(_Closed):
    code: str
    name: str


class ListSource(_Closed):
    path: str = Field(description="A file of the source version, relative to its directory.")
    sha256: str


class Manifest(_Closed):
    format: Literal["dutylist-list"]
    schema_: Literal[1] = Field(alias="schema")
    version: str
    title: str
    region: ListRegion
    effective: str
    approval: str | None
    previous: str | None
    dutylist: str = Field(description="The dutylist version that compiled it.")
    hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description="SHA-256 of the entry lines joined by newlines.")
    entries: int = Field(ge=0, description="Number of entries.")
    units: list[ListUnit] = Field(description="Every unit, in the order of units.yaml.")
    counts: dict[str, dict[str, int]] = Field(description="Entries per unit (with a unit file) and list.")
    totals: dict[str, int] = Field(description="Entries per list.")
    categories: dict[str, dict[str, int]] = Field(description="Entries per category and list.")
    power_types: dict[str, dict[str, int]] = Field(description="Power entries per power type and unit kind.")
    sources: list[ListSource]


class Entry(_Closed):
    """One (unit, item) pair."""

    unit: str
    unit_name: str
    unit_kind: str
    list_: Literal["basic", "cooperative", "recalled", "powers", "autonomy", "assist", "negative"] = Field(alias="list")
    seq: int = Field(ge=1, description="序号 within the unit's list.")
    id: str
    name: str
    category: str | None
    tasks: str | None
    basis: list[str]
    approval: str | None
    replaces: list[str]
    lead: str | None
    lead_name: str | None
    lead_duty: str | None
    township_duty: str | None
    receiver: str | None
    receiver_name: str | None
    method: str | None
    power_type: str | None
    template: str | None = Field(description="The template the entry comes from, or null for the unit's own items.")


class CompiledListFile(_Closed):
    """``list.json``: a versioned list compiled by ``dutylist compile``."""

    model_config = ConfigDict(title="dutylist compiled list (schema 1)")

    manifest: Manifest
    entries: list[Entry]
