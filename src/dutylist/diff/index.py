"""Reading two versions' entries for a diff without turning unchanged ones into objects.

A first pass over each side keeps, per (unit, item id), only the entry's list and a hash
of its line with the number (序号) cut out: numbering shifts when an item is inserted
above, which changes nothing about the item. Keys whose hash differs, or that exist on one
side only, name the changed items; a second pass parses every entry of those items, on
both sides, for classification.
"""

from __future__ import annotations

import re
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


_SEQ = re.compile(rb',"seq":\d+')
_ID = re.compile(rb',"id":"([^"]*)"')
BLOCK = 32 << 20  # bytes of entry lines handled at once


def blocks(side: Side) -> Iterator[list[bytes]]:
    """The side's entry lines in blocks, each line without its number (序号) or trailing comma.

    All per-line work happens in C (regex, split, hash): a million unchanged entries cost
    no Python bytecode each. ``,"seq":`` and ``,"id":"`` cannot occur inside a JSON string
    (its quotes would be escaped), so cutting on them is exact.
    """
    pending: list[bytes] = []
    size = 0
    for line in side.lines():
        pending.append(line)
        size += len(line)
        if size >= BLOCK:
            yield _normalise(pending)
            pending, size = [], 0
    if pending:
        yield _normalise(pending)


def _normalise(lines: list[bytes]) -> list[bytes]:
    return _SEQ.sub(b"", b"\n".join(lines)).split(b"\n")


def changed_ids(base: Side, head: Side) -> set[str]:
    """Ids of the items with an entry that is not the same on both sides (number aside).

    Lines are compared by hash (64 bits): a changed line would be taken for an unchanged one
    only if its hash equalled another line's, about one chance in 10^13 for a million lines.
    """
    base_hashes: set[int] = set()
    for lines in blocks(base):
        base_hashes.update(map(hash, lines))
    head_hashes: set[int] = set()
    changed: list[bytes] = []
    for lines in blocks(head):
        hashes = list(map(hash, lines))
        head_hashes.update(hashes)
        changed.extend(line for line, h in zip(lines, hashes, strict=True) if h not in base_hashes)
    del base_hashes
    for lines in blocks(base):
        changed.extend(line for line, h in zip(lines, map(hash, lines), strict=True) if h not in head_hashes)
    return {m.decode() for m in _ID.findall(b"\n".join(changed))}


def entries_of(side: Side, ids: set[str]) -> list[dict[str, Any]]:
    """Every entry of the side whose item id is in ``ids``, parsed (without its number)."""
    if not ids:
        return []
    wanted = {i.encode() for i in ids}
    out: list[dict[str, Any]] = []
    for lines in blocks(side):
        found = _ID.findall(b"\n".join(lines))
        picked = [line for line, ident in zip(lines, found, strict=True) if ident in wanted]
        if picked:
            out.extend(orjson.loads(b"[" + b",".join(picked) + b"]"))
    return out
