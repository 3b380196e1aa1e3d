"""Matching item names across versions, for items whose ids were renumbered.

Names are compared after normalisation — NFKC, traditional to simplified characters
(OpenCC), punctuation and spaces folded — and scored with rapidfuzz's ratio (0–1). The
text itself is never changed: normalisation is for matching only.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from .engine import Change, Holding

#: Below this score no suggestion is made.
SUGGEST_MIN = 0.6
#: ``--match-names`` accepts suggestions at or above this score as renames.
MATCH_DEFAULT = 0.9

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = _t2s().convert(text)
    return _PUNCT.sub("", text).lower()


def suggest(changes: list[Change], accept: float | None = None) -> tuple[list[Change], list[tuple[Change, Change]]]:
    """Mark added/revoked pairs sharing a unit and a similar name; with ``accept``, turn pairs
    scoring at least that into ``renamed`` changes (the added item continuing the revoked)."""
    from rapidfuzz import fuzz, process

    added = [c for c in changes if c.kind == "added"]
    revoked = [c for c in changes if c.kind == "revoked"]
    if not added or not revoked:
        return changes, []
    rnames = [normalise(c.name) for c in revoked]
    runits = [{h.unit for h in c.before} for c in revoked]
    taken: set[int] = set()
    merged: list[Change] = []
    pairs: list[tuple[Change, Change]] = []
    for a in added:
        units = {h.unit for h in a.after}
        candidates = [i for i in range(len(revoked)) if i not in taken and units & runits[i]]
        if not candidates:
            continue
        best = process.extractOne(
            normalise(a.name), [rnames[i] for i in candidates], scorer=fuzz.ratio, score_cutoff=SUGGEST_MIN * 100
        )
        if best is None:
            continue
        i = candidates[best[2]]
        r = revoked[i]
        score = round(best[1] / 100, 3)
        if accept is not None and score >= accept:
            taken.add(i)
            merged.append(
                Change(
                    "renamed",
                    a.id,
                    a.name,
                    before=list(r.before),
                    after=list(a.after),
                    fields=[{"path": "name", "old": r.name, "new": a.name}] if r.name != a.name else [],
                    replaces=[r.id],
                )
            )
            pairs.append((r, a))
            a.kind = r.kind = "_merged"
            continue
        line = f"replaces: [{r.id}]"
        a.suggestion = {"id": r.id, "name": r.name, "score": score, "target": a.id, "replaces_line": line}
        if r.suggestion is None or r.suggestion["score"] < score:
            r.suggestion = {"id": a.id, "name": a.name, "score": score, "target": a.id, "replaces_line": line}
    return [c for c in changes if c.kind != "_merged"] + merged, pairs


__all__ = ["MATCH_DEFAULT", "SUGGEST_MIN", "Holding", "normalise", "suggest"]
