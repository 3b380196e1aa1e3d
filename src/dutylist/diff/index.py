"""Reading two versions' entries for a diff without turning unchanged ones into objects.

A first pass over each side keeps, per (unit, item id), only the entry's list and a hash
of its line with the number (序号) cut out: numbering shifts when an item is inserted
above, which changes nothing about the item. Keys whose hash differs, or that exist on one
side only, name the changed items; a second pass parses every entry of those items, on
both sides, for classification.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from ..compiled import CompiledList, load_compiled
from ..source.spec import VersionRef

Key = tuple[str, str]  # (unit, item id)


class Side:
    """One version as the diff sees it: its manifest and a way to go over its entry lines."""

    def __init__(self, manifest: dict[str, Any], spec: str, path: Path | None, listing: CompiledList | None) -> None:
        self.manifest = manifest
        self.spec = spec
        self._path = path
        self._listing = listing

    @property
    def label(self) -> str:
        return str(self.manifest["version"])

    def lines(self) -> Iterator[bytes]:
        if self._listing is not None:
            yield from self._listing.lines
            return
        assert self._path is not None
        with open(self._path, "rb", buffering=1 << 20) as fh:
            fh.readline()  # the manifest
            if fh.readline() != b'"entries": [\n':
                self._listing = load_compiled(self._path)  # another layout: read it whole
                yield from self._listing.lines
                return
            for raw in fh:
                if raw.startswith(b"]}"):
                    break
                yield raw.rstrip(b"\n").removesuffix(b",")


def side_of(ref: VersionRef, listing: CompiledList | None) -> Side:
    if listing is None:
        assert ref.kind == "compiled" and ref.path is not None
        from ..compiled import read_manifest

        return Side(read_manifest(ref.path), ref.spec, ref.path, None)
    return Side(listing.manifest, ref.spec, None, listing)


def _key(line: bytes) -> tuple[str, str, str]:
    """(unit, list, id) of an entry line as compile writes it; ids and units need no escapes."""
    unit_end = line.index(b'"', 9)
    lpos = line.index(b',"list":"', unit_end) + 9
    ipos = line.index(b',"id":"', lpos) + 7
    return (
        line[9:unit_end].decode(),
        line[lpos : line.index(b'"', lpos)].decode(),
        line[ipos : line.index(b'"', ipos)].decode(),
    )


def _without_seq(line: bytes) -> bytes:
    i = line.index(b',"seq":', 40)
    return line[:i] + line[line.index(b",", i + 7) :]


def fingerprints(lines: Iterable[bytes]) -> dict[Key, tuple[str, int]]:
    """(unit, id) -> (list, hash of the line without its number)."""
    out: dict[Key, tuple[str, int]] = {}
    for line in lines:
        unit, list_key, ident = _key(line)
        out[(unit, ident)] = (list_key, hash(_without_seq(line)))
    return out


def entries_of(lines: Iterable[bytes], ids: set[str]) -> list[dict[str, Any]]:
    """Every entry whose item id is in ``ids``, parsed."""
    out = []
    for line in lines:
        ipos = line.index(b',"id":"', 40) + 7
        if line[ipos : line.index(b'"', ipos)].decode() in ids:
            out.append(orjson.loads(line))
    return out
