"""Pointing at the line of a problem: ruamel.yaml round-trip parsing, only for files with one.

A location is asked for by a *loc*: the keys and list indexes from the document root
(as pydantic reports them), and whether the key itself, its value, or the enclosing
node is meant.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

Mode = Literal["key", "value", "node"]
Loc = Sequence[str | int]


class TreeLocator:
    """Line and column (1-based) of a loc in one YAML text; the text is parsed at most once.

    It walks the composed node graph, which holds every node's mark and constructs
    nothing: no date, number or tag is interpreted, so no value can stop it.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Any = None
        self._parsed = False

    def _tree(self) -> Any:
        if not self._parsed:
            self._parsed = True
            from ruamel.yaml import YAML

            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self._root = YAML(typ="rt").compose(self._text)
            except Exception:
                self._root = None
        return self._root

    def locate(self, loc: Loc, mode: Mode = "value") -> tuple[int, int]:
        node = self._tree()
        if node is None:
            return (1, 1) if not loc else (0, 0)
        mark = node.start_mark
        last = len(loc) - 1
        for i, seg in enumerate(loc):
            child = None
            if node.id == "mapping":
                for key_node, value_node in node.value:
                    if getattr(key_node, "id", "") == "scalar" and key_node.value == seg:
                        child = value_node
                        mark = key_node.start_mark if (mode == "key" and i == last) else value_node.start_mark
                        break
            elif node.id == "sequence" and isinstance(seg, int) and 0 <= seg < len(node.value):
                child = node.value[seg]
                mark = child.start_mark
            if child is None:
                break
            node = child
        if mode == "node":
            mark = node.start_mark
        return mark.line + 1, mark.column + 1


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
