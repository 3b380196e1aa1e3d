"""Reading two versions' entries for a diff without turning unchanged ones into objects.

A first pass over each side keeps, per (unit, item id), only the entry's list and a hash
of its line with the number (序号) cut out: numbering shifts when an item is inserted
above, which changes nothing about the item. Keys whose hash differs, or that exist on one
side only, name the changed items; a second pass parses every entry of those items, on
both sides, for classification.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from ..compiled import CompiledList, load_compiled
from ..source.spec import VersionRef


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
        return itertools.chain.from_iterable(self.blocks())

    def blocks(self) -> Iterator[list[bytes]]:
        """The entry lines in lists of some thousands, split in C from large reads."""
        if self._listing is not None:
            yield self._listing.lines
            return
        assert self._path is not None
        with open(self._path, "rb") as fh:
            fh.readline()  # the manifest
            if fh.readline() != b'"entries": [\n':
                self._listing = load_compiled(self._path)  # another layout: read it whole
                yield self._listing.lines
                return
            while True:
                raw = fh.readlines(BLOCK)
                if not raw:
                    break
                end = raw[-1].startswith(b"]}")
                if end:
                    raw.pop()
                # every entry line ends with ",\n" but the last, which ends with "\n"
                yield [line[:-2] if line.endswith(b",\n") else line.rstrip(b"\r\n") for line in raw]
                if end:
                    break


BLOCK = 16 << 20


def side_of(ref: VersionRef, listing: CompiledList | None) -> Side:
    if listing is None:
        assert ref.kind == "compiled" and ref.path is not None
        from ..compiled import read_manifest

        return Side(read_manifest(ref.path), ref.spec, ref.path, None)
    return Side(listing.manifest, ref.spec, None, listing)


def _fingerprint(line: bytes) -> tuple[bytes, bytes, int]:
    """(unit, id, hash of list + fields) of an entry line as compile writes it, its number cut
    out: numbering shifts when an item is inserted above, which changes nothing of the item.
    Unit and item ids need no JSON escapes, and ``,"seq":`` or ``,"id":"`` cannot occur
    inside a JSON string (its quotes would be escaped), so slicing on them is exact."""
    unit_end = line.index(b'"', 9)
    seq = line.index(b',"seq":', unit_end)
    after = line.index(b",", seq + 7)
    ipos = after + 7  # past ,"id":"
    return line[9:unit_end], line[ipos : line.index(b'"', ipos)], hash(line[:seq] + line[after:])


def changed_ids(base: Side, head: Side) -> set[str]:
    """Ids of the items with an entry that is not the same on both sides (number aside).

    Entries are compared by hash (64 bits): a changed entry would pass for unchanged only if
    its hash equalled the old one's, about one chance in 10^19.
    """
    seen: dict[tuple[bytes, bytes], int] = {}
    for line in base.lines():
        unit, ident, h = _fingerprint(line)
        seen[(unit, ident)] = h
    changed: set[bytes] = set()
    for line in head.lines():
        unit, ident, h = _fingerprint(line)
        if seen.pop((unit, ident), None) != h:
            changed.add(ident)
    changed.update(ident for _unit, ident in seen)  # in base only
    return {i.decode() for i in changed}


def entries_of(side: Side, ids: set[str]) -> list[dict[str, Any]]:
    """Every entry of the side whose item id is in ``ids``, parsed."""
    if not ids:
        return []
    wanted = {i.encode() for i in ids}
    out: list[dict[str, Any]] = []
    for lines in side.blocks():
        picked = []
        for line in lines:
            ipos = line.index(b',"id":"', 40) + 7
            if line[ipos : line.index(b'"', ipos)] in wanted:
                picked.append(line)
        if picked:
            out.extend(orjson.loads(b"[" + b",".join(picked) + b"]"))
    return out
