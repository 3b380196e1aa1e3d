"""The compiled list (``list.json``, DESIGN §4): its shape, writing and reading.

Layout, chosen so a reader can take the manifest without parsing the entries, and so two
compiles diff line by line::

    {"manifest": {...one line...},
    "entries": [
    {...entry...},
    {...entry...}
    ]}

One entry is one (unit, item) pair with every field of the item, the unit's name and
kind, and its number (序号) within the unit's list. Entries are in canonical order: by
unit id, then list (basic, cooperative, recalled, powers, autonomy, assist, negative),
then number. ``manifest.hash`` is the SHA-256 of the entry lines joined by newlines.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

LIST_FORMAT = "dutylist-list"

#: Every entry carries these keys, in this order (absent values are null or []).
ENTRY_FIELDS = (
    "unit",
    "unit_name",
    "unit_kind",
    "list",
    "seq",
    "id",
    "name",
    "category",
    "tasks",
    "basis",
    "approval",
    "replaces",
    "lead",
    "lead_name",
    "lead_duty",
    "township_duty",
    "receiver",
    "receiver_name",
    "method",
    "power_type",
    "template",
)

_HEAD = b'{"manifest": '
_ENTRIES = b'"entries": ['


@dataclass
class CompiledList:
    """A versioned list: the manifest and the entries, each entry kept as its JSON line."""

    manifest: dict[str, Any]
    lines: list[bytes] = field(default_factory=list)
    _entries: list[dict[str, Any]] | None = None

    @property
    def label(self) -> str:
        return str(self.manifest["version"])

    @property
    def units(self) -> list[dict[str, Any]]:
        """Units in the order of units.yaml: id, name, kind (and township, replaces)."""
        units: list[dict[str, Any]] = self.manifest["units"]
        return units

    def entries(self) -> list[dict[str, Any]]:
        """Every entry as a dict, in canonical order (parsed once, on first use)."""
        if self._entries is None:
            self._entries = orjson.loads(b"[" + b",".join(self.lines) + b"]") if self.lines else []
        return self._entries

    def entries_by_unit(self) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """(unit, its entries) in the order of units.yaml, units without entries included."""
        grouped: dict[str, list[dict[str, Any]]] = {}
        for entry in self.entries():
            grouped.setdefault(entry["unit"], []).append(entry)
        for unit in self.units:
            yield unit, grouped.get(unit["id"], [])

    def to_bytes(self) -> bytes:
        return b"".join(self.chunks())

    def chunks(self) -> Iterator[bytes]:
        """The bytes of list.json in pieces, for writing without one large copy."""
        yield _HEAD + orjson.dumps(self.manifest) + b",\n" + _ENTRIES
        if not self.lines:
            yield b"]}\n"
            return
        yield b"\n"
        last = len(self.lines) - 1
        for i, line in enumerate(self.lines):
            yield line
            yield b",\n" if i < last else b"\n]}\n"

    def write(self, path: Path) -> None:
        with open(path, "wb", buffering=1 << 20) as fh:
            fh.writelines(self.chunks())


class CompiledListError(Exception):
    """A file that is not a compiled list this version of dutylist can read."""


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest alone, from the first line, without parsing the entries."""
    with open(path, "rb") as fh:
        first = fh.readline()
    if first.startswith(_HEAD) and first.rstrip().endswith(b","):
        try:
            manifest = orjson.loads(first[len(_HEAD) :].rstrip()[:-1])
        except orjson.JSONDecodeError:
            manifest = None
        if isinstance(manifest, dict):
            return _check_manifest(manifest, path)
    return load_compiled(path).manifest  # reformatted by hand or by a tool: read it all


def load_compiled(path: Path) -> CompiledList:
    data = path.read_bytes()
    if data.startswith(_HEAD):
        nl = data.find(b"\n")
        start = data.find(_ENTRIES, nl)
        if nl > 0 and start == nl + 1:
            try:
                manifest = orjson.loads(data[len(_HEAD) : nl].rstrip()[:-1])
                body = data[start + len(_ENTRIES) :].strip()
                if body.endswith(b"]}"):
                    inner = body[:-2].strip()
                    lines = inner.split(b",\n") if inner else []
                    return CompiledList(_check_manifest(manifest, path), lines)
            except orjson.JSONDecodeError:
                pass
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise CompiledListError(f"{path}: not JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("manifest"), dict):
        raise CompiledListError(f"{path}: no manifest")
    entries = doc.get("entries")
    if not isinstance(entries, list):
        raise CompiledListError(f"{path}: no entries")
    listing = CompiledList(_check_manifest(doc["manifest"], path), [orjson.dumps(e) for e in entries])
    listing._entries = entries
    return listing


def _check_manifest(manifest: dict[str, Any], path: Path) -> dict[str, Any]:
    if manifest.get("format") != LIST_FORMAT or manifest.get("schema") != 1:
        raise CompiledListError(f"{path}: not a dutylist compiled list of schema 1")
    for key in ("version", "units", "counts", "hash"):
        if key not in manifest:
            raise CompiledListError(f"{path}: the manifest has no {key!r}")
    return manifest
