"""Pointing at the line of a problem: ruamel.yaml round-trip parsing, only for files with one.

A location is asked for by a *loc*: the keys and list indexes from the document root
(as pydantic reports them), and whether the key itself, its value, or the enclosing
node is meant.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, Literal

Mode = Literal["key", "value", "node"]
Loc = Sequence[str | int]


class TreeLocator:
    """Line and column (1-based) of a loc in one YAML text; the text is parsed at most once."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Any = None
        self._parsed = False

    def _tree(self) -> Any:
        if not self._parsed:
            self._parsed = True
            from ruamel.yaml import YAML

            try:
                self._root = YAML(typ="rt").load(self._text)
            except Exception:
                self._root = None
        return self._root

    def locate(self, loc: Loc, mode: Mode = "value") -> tuple[int, int]:
        node = self._tree()
        if node is None:
            return (1, 1) if not loc else (0, 0)
        pos = _start(node) or (0, 0)
        last = len(loc) - 1
        for i, seg in enumerate(loc):
            lc = getattr(node, "lc", None)
            if isinstance(node, dict) and isinstance(seg, str) and seg in node and lc is not None:
                want_key = mode == "key" and i == last
                try:
                    pos = lc.key(seg) if want_key else lc.value(seg)
                except (KeyError, TypeError):
                    pos = _start(node) or pos
                node = node[seg]
            elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node) and lc is not None:
                with contextlib.suppress(KeyError, TypeError, IndexError):
                    pos = lc.item(seg)
                node = node[seg]
            else:
                break
        if mode == "node":
            pos = _start(node) or pos
        return pos[0] + 1, pos[1] + 1


def _start(node: Any) -> tuple[int, int] | None:
    lc = getattr(node, "lc", None)
    if lc is None or getattr(lc, "line", None) is None:
        return None
    return lc.line, lc.col


def format_path(loc: Loc, data: Any) -> str:
    """``basic[id=FG-B-101].lead``: list items named by their id where they have one."""
    parts: list[str] = []
    node = data
    for seg in loc:
        if isinstance(seg, int):
            item = node[seg] if isinstance(node, list) and 0 <= seg < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[id={ident}]" if isinstance(ident, str) and ident else f"[{seg}]")
            node = item
        else:
            parts.append(f".{seg}" if parts else str(seg))
            node = node.get(seg) if isinstance(node, dict) else None
    return "".join(parts)
