"""``dutylist fmt`` output: one line per file changed, the files that could not be
formatted (as ``validate`` prints problems), and a summary line."""

from __future__ import annotations

from typing import TextIO

from ..fmt import FmtResult
from .styled import Line, write_lines
from .text import diagnostic_lines


def render_fmt(result: FmtResult, lang: str, out: TextIO) -> None:
    zh = lang == "zh"
    lines: list[Line] = []
    for path in result.changed:
        if result.check:
            lines.append([("需要格式化：" if zh else "would reformat ", "yellow"), (path.as_posix(), "bold")])
        else:
            lines.append([("已格式化 " if zh else "reformatted ", "green"), (path.as_posix(), "bold")])
    for d in result.diagnostics:
        lines.extend(diagnostic_lines(d, lang))
    if result.diagnostics:
        lines.append([])
    lines.append([(_summary(result, zh), "bold")])
    write_lines(lines, out)


def _summary(result: FmtResult, zh: bool) -> str:
    n, m, k = len(result.changed), result.unchanged, result.failed
    if zh:
        done = "需要格式化" if result.check else "已格式化"
        text = f"{n} 个文件{done}，{m} 个无需改动"
        return text + (f"，{k} 个无法格式化" if k else "")
    done = "would be reformatted" if result.check else "reformatted"
    text = f"{n} {'file' if n == 1 else 'files'} {done}, {m} unchanged"
    return text + (f", {k} could not be formatted" if k else "")
