"""Text for people: one line per problem (``file:line:col``), then a summary per version."""

from __future__ import annotations

from typing import TextIO

from ..diagnostics import Diagnostic, Severity
from ..model.vocab import LIST_LABELS_ZH
from ..validate import ValidateResult, VersionSummary
from .styled import Line, write_lines

_SEV = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"},
}
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def location(d: Diagnostic) -> str:
    loc = d.file
    if d.line:
        loc += f":{d.line}"
        if d.column:
            loc += f":{d.column}"
    return loc


def diagnostic_lines(d: Diagnostic, lang: str) -> list[Line]:
    sev = d.level
    line: Line = [
        (location(d), "bold"),
        ("  ", ""),
        (_SEV[lang][sev], _STYLE[sev]),
        (" ", ""),
        (d.code, "dim"),
        ("  ", ""),
        (d.message(lang), ""),
    ]
    if d.path:
        line += [("  ", ""), (d.path, "dim")]
    lines = [line]
    hint = d.hint(lang)
    if hint:
        lines.append([("    ", ""), ("提示：" if lang == "zh" else "hint: ", "cyan"), (hint, "")])
    return lines


def summary_line(v: VersionSummary, lang: str) -> str:
    if v.skipped:
        return (
            f"{v.spec}：已编译的清单，不需要校验" if lang == "zh" else f"{v.spec}: a compiled list, nothing to validate"
        )
    total = sum(v.entries.values())
    u = v.units
    dep, town, vil = u.get("department", 0), u.get("township", 0), u.get("village", 0)
    if lang == "zh":
        lists = "、".join(f"{LIST_LABELS_ZH[k]} {n:,}" for k, n in v.entries.items())
        units = f"{dep} 个部门、{town} 个乡镇（街道）、{vil} 个村（社区）"
        line = f"{v.label}：{v.files} 个文件；{units}；事项 {total:,} 条（{lists}）"
        if town:
            line += f"；平均每个乡镇（街道）{v.township_average:.0f} 项"
        return line
    lists = ", ".join(f"{k} {n:,}" for k, n in v.entries.items())
    line = (
        f"{v.label}: {v.files} files; {dep} departments, {town} townships, {vil} villages; {total:,} entries ({lists})"
    )
    if town:
        line += f"; {v.township_average:.0f} per township on average"
    return line


def render_diagnostics(diagnostics: list[Diagnostic], lang: str, out: TextIO) -> None:
    lines: list[Line] = []
    for d in diagnostics:
        lines.extend(diagnostic_lines(d, lang))
    write_lines(lines, out)


def render_validate(result: ValidateResult, lang: str, out: TextIO) -> None:
    lines: list[Line] = []
    for d in result.diagnostics:
        lines.extend(diagnostic_lines(d, lang))
    if result.diagnostics:
        lines.append([])
    for v in result.versions:
        mark = ("✓ ", "green") if not v.errors else ("✗ ", "red")
        lines.append([mark, (summary_line(v, lang), "")])
    errors = sum(d.level is Severity.ERROR for d in result.diagnostics)
    warnings = sum(d.level is Severity.WARNING for d in result.diagnostics)
    files = len({d.file for d in result.diagnostics})
    if lang == "zh":
        if errors or warnings:
            lines.append([(f"共 {errors} 个错误，{warnings} 个警告，涉及 {files} 个文件", "bold")])
        else:
            lines.append([("校验通过，未发现问题", "bold green")])
    elif errors or warnings:
        lines.append([(f"{errors} errors, {warnings} warnings in {files} files", "bold")])
    else:
        lines.append([("All valid: no problems found", "bold green")])
    write_lines(lines, out)
