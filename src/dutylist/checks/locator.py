"""Resolving (file, loc) to line and column for diagnostics found across files."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostic
from ..source.limits import Limits
from ..source.locate import Loc, Mode, TreeLocator
from ..source.read import decode_text
from ..source.spec import VersionRef


class VersionLocator:
    """Parses a file with the round-trip loader only when a diagnostic needs its lines."""

    def __init__(self, ref: VersionRef, limits: Limits) -> None:
        self.ref = ref
        self.limits = limits
        self._trees: dict[str, TreeLocator | None] = {}

    def locate(self, rel: str, loc: Loc, mode: Mode = "value") -> tuple[int, int]:
        if rel not in self._trees:
            raw = self.ref.read(rel, self.limits)
            text = decode_text(raw) if isinstance(raw, bytes) else None
            self._trees[rel] = TreeLocator(text) if isinstance(text, str) else None
        tree = self._trees[rel]
        return tree.locate(loc, mode) if tree is not None else (0, 0)

    def diag(self, code: str, rel: str, loc: Loc, path: str, *, mode: Mode = "value", **params: Any) -> Diagnostic:
        line, column = self.locate(rel, loc, mode)
        return Diagnostic(code, rel, line, column, path, params)
