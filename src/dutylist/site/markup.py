"""HTML building blocks of the site: escaping, safe file names, the page shell, tables.

Every piece of catalogue text goes through :func:`esc` (``html.escape`` with quotes), in
element text and attribute values alike; markup is only ever put together here and in the
page modules from escaped parts. File names made from unit ids and version labels keep
``[A-Za-z0-9._-]`` only, and a name that had to be changed gets a short hash of the
original, so two ids never share a page.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..render.list_tables import Cell
from .assets import CONTENT_SECURITY_POLICY

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
MAX_NAME = 80


def esc(value: object) -> str:
    """Text for HTML, in element content or a quoted attribute value."""
    return html.escape(str(value), quote=True)


def safe_name(text: str) -> str:
    """A file or anchor name for ``text``: itself when it is already safe, else cleaned and hashed."""
    cleaned = _UNSAFE.sub("_", text).lstrip(".-_")[:MAX_NAME]
    if cleaned == text and text:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned}-{digest}" if cleaned else f"x-{digest}"


def unique_names(texts: Iterable[str], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Safe names for ``texts``, distinct even on case-insensitive file systems; first come, first kept."""
    taken = {r.casefold() for r in reserved}
    out: dict[str, str] = {}
    for text in texts:
        if text in out:
            continue
        base = name = safe_name(text)
        n = 2
        while name.casefold() in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name.casefold())
        out[text] = name
    return out


def cell(value: Cell) -> str:
    """One table cell: lists one per line, line breaks kept, everything escaped."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    parts = value if isinstance(value, list) else [value]
    return "<br>".join(esc(p).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>") for p in parts)


def link(href: str, text: str) -> str:
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def json_script(element_id: str, data: Any) -> str:
    """Data for the page's script, as JSON in a script element that is never run.

    ``<`` (and ``>``, ``&``) are written as ``\\u003c`` …: catalogue text holding
    ``</script>`` or ``<!--`` cannot end the element early; ``JSON.parse`` reads them back.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


@dataclass(frozen=True)
class Table:
    """A table of ready HTML cells: ``numeric`` columns align right."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: frozenset[int] = frozenset()
    row_ids: Sequence[str] | None = None
    classes: Sequence[str] | None = None  # per column, e.g. "seq"
    narrow: bool = False  # as wide as its content, not the page

    def render(self) -> str:
        def cls(i: int) -> str:
            names = []
            if i in self.numeric:
                names.append("num")
            if self.classes and self.classes[i]:
                names.append(self.classes[i])
            return f' class="{" ".join(names)}"' if names else ""

        head = "".join(f'<th scope="col"{cls(i)}>{esc(h)}</th>' for i, h in enumerate(self.headers))
        body = []
        for r, row in enumerate(self.rows):
            rid = f' id="{esc(self.row_ids[r])}"' if self.row_ids and self.row_ids[r] else ""
            body.append(f"<tr{rid}>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>")
        return (
            '<div class="table-wrap"><table'
            + (' class="narrow"' if self.narrow else "")
            + ">\n<thead><tr>"
            + head
            + "</tr></thead>\n<tbody>\n"
            + "\n".join(body)
            + ("\n" if body else "")
            + "</tbody></table></div>\n"
        )


def page(title: str, root: str, crumbs: Sequence[tuple[str | None, str]], body: str, script: str = "") -> str:
    """A whole page. ``root`` is the relative path to the site's top (``""``, ``"../"``, …);
    ``crumbs`` are (href or None, text) pairs for the navigation line; ``script`` is inline."""
    nav = '<span class="sep">›</span>'.join(
        link(href, text) if href is not None else f"<span>{esc(text)}</span>" for href, text in crumbs
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CONTENT_SECURITY_POLICY)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="generator" content="dutylist {esc(__version__)}">\n'
        f"<title>{esc(title)}</title>\n"
        '<link rel="icon" href="data:,">\n'  # no favicon request to the server
        f'<link rel="stylesheet" href="{esc(root)}style.css">\n'
        "</head>\n<body>\n"
        f'<header class="top"><nav>{nav}</nav></header>\n'
        f"<main>\n{body}</main>\n"
        f"<footer>由 dutylist {esc(__version__)} 生成 · 离线可用，不引用任何网络资源</footer>\n"
        + (f"<script>{script}</script>\n" if script else "")
        + "</body>\n</html>\n"
    )


def facts(rows: Iterable[tuple[str, str]]) -> str:
    """A definition list of (label, HTML value) pairs; empty values are left out."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows if v)
    return f'<dl class="facts">{items}</dl>\n' if items else ""
