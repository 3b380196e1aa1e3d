"""Item ids as 64-bit digests: what the checks across files compare first.

A unit file's facts carry the digests of its distinct item ids (hex, 16 digits each)
instead of the ids themselves, so a version of a hundred thousand items is checked across
its files without loading a hundred thousand strings. A digest is only ever used to rule
things out: ids whose digests differ are different ids. Where digests meet (the same id in
two files, or two ids whose digests collide, about one chance in 10^19 per pair), the
files' real ids are loaded and compared, so no result rests on a digest.
"""

from __future__ import annotations

import hashlib
import operator
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from itertools import islice

WIDTH = 8  # bytes per digest


def digest_ids(ids: Iterable[str]) -> str:
    """The digests of the distinct ids, in order of first appearance, as hex."""
    blake = hashlib.blake2b
    seen = dict.fromkeys(ids)
    return b"".join(blake(i.encode(), digest_size=WIDTH).digest() for i in seen).hex()


def digest_set(hexed: str) -> set[int]:
    """The digests of a facts' ``idh`` as a set of integers."""
    return set(memoryview(bytes.fromhex(hexed)).cast("Q"))


def digests_of(ids: Iterable[str]) -> set[int]:
    return digest_set(digest_ids(ids))


# --- is any id in two files? --------------------------------------------------------------
#
# Asked of every version at every run. The whole answer costs a set of all the version's
# digests (tens of milliseconds per hundred thousand items); after a small change it is
# worked out from a *base*: the sorted digests of the version as it was at an earlier run
# when no id was in two files, with the content keys its files had then. Only the files
# changed since then need looking at: an id of theirs repeats if another changed file has
# it, or if the base has it and none of the changed files had it then.

#: a base is rebuilt when more files than this have changed since it was made
REBASE_FILES = 32


def repeats_in(hexes: list[str]) -> tuple[bool, str | None]:
    """Whether a digest is in two of the files (each file's digests being distinct), and,
    when none is, the base to keep: every digest, sorted, as hex."""
    ordered = sorted(memoryview(bytes.fromhex("".join(hexes))).cast("Q"))
    if any(map(operator.eq, ordered, islice(ordered, 1, None))):
        return True, None
    return False, array("Q", ordered).tobytes().hex()


def repeats_since(base: str, before: set[int], changed: list[set[int]]) -> bool:
    """Whether a digest repeats now, given a base without repeats, the digests the changed
    files had when it was made (``before``) and the digests they have now (``changed``)."""
    now: set[int] = set()
    for ds in changed:
        if not now.isdisjoint(ds):
            return True
        now |= ds
    fresh = now - before
    if not fresh:
        return False
    ordered = memoryview(bytes.fromhex(base)).cast("Q")
    for d in fresh:
        i = bisect_left(ordered, d)
        if i < len(ordered) and ordered[i] == d:
            return True
    return False
