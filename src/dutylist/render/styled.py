"""Styled lines for people: rich on a terminal, plain text anywhere else.

Renderers build lines of ``(text, style)`` segments. Plain output (a pipe, a file, CI
logs) needs no styling, so rich is imported only when the output is a terminal.
"""

from __future__ import annotations

import os
from typing import Any, TextIO

Segment = tuple[str, str]
Line = list[Segment]


def wants_color(out: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def write_lines(lines: list[Line], out: TextIO) -> None:
    if not wants_color(out):
        out.write("".join("".join(text for text, _ in line) + "\n" for line in lines))
        return
    console = rich_console(out)
    from rich.text import Text

    for line in lines:
        text = Text()
        for chunk, style in line:
            text.append(chunk, style=style or None)
        console.print(text)


def rich_console(out: TextIO) -> Any:
    from rich.console import Console

    return Console(file=out, highlight=False, soft_wrap=True, emoji=False)
