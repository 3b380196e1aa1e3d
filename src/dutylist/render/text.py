"""Text for people: one line per problem (``file:line:col``), then a summary per version."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.markup import escape

from ..diagnostics import Diagnostic, Severity
from ..model.vocab import LIST_LABELS_ZH
from ..validate import ValidateResult, VersionSummary

_SEV = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"},
}
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_LIST_EN = {
    "basic": "basic",
    "cooperative": "cooperative",
    "recalled": "recalled",
    "powers": "powers",
    "autonomy": "autonomy",
    "assist": "assist",
    "negative": "negative",
}


def console_for(out: TextIO) -> Console:
    return Console(file=out, highlight=False, soft_wrap=True, emoji=False)


def location(d: Diagnostic) -> str:
    loc = d.file
    if d.line:
        loc += f":{d.line}"
        if d.column:
            loc += f":{d.column}"
    return loc


def render_diagnostic(console: Console, d: Diagnostic, lang: str) -> None:
    sev = d.level
    path = f"  [dim]{escape(d.path)}[/dim]" if d.path else ""
    console.print(
        f"[bold]{escape(location(d))}[/bold]  [{_STYLE[sev]}]{_SEV[lang][sev]}[/] "
        f"[dim]{d.code}[/dim]  {escape(d.message(lang))}{path}"
    )
    hint = d.hint(lang)
    if hint:
        label = "提示" if lang == "zh" else "hint"
        console.print(
            f"    [cyan]{label}[/cyan]：{escape(hint)}" if lang == "zh" else f"    [cyan]{label}[/cyan]: {escape(hint)}"
        )


def summary_line(v: VersionSummary, lang: str) -> str:
    if v.skipped:
        return (
            f"{v.spec}：已编译的清单，不需要校验" if lang == "zh" else f"{v.spec}: a compiled list, nothing to validate"
        )
    total = sum(v.entries.values())
    order = [k for k in LIST_LABELS_ZH if v.entries.get(k)]
    if lang == "zh":
        lists = "、".join(f"{LIST_LABELS_ZH[k]} {v.entries[k]:,}" for k in order)
        u = v.units
        d, t, vil = u.get("department", 0), u.get("township", 0), u.get("village", 0)
        units = f"{d} 个部门、{t} 个乡镇（街道）、{vil} 个村（社区）"
        line = f"{v.label}：{v.files} 个文件；{units}；事项 {total:,} 条（{lists}）"
        if v.units.get("township"):
            line += f"；平均每个乡镇（街道）{v.township_average:.0f} 项"
        return line
    lists = ", ".join(f"{_LIST_EN[k]} {v.entries[k]:,}" for k in order)
    u = v.units
    units = f"{u.get('department', 0)} departments, {u.get('township', 0)} townships, {u.get('village', 0)} villages"
    line = f"{v.label}: {v.files} files; {units}; {total:,} entries ({lists})"
    if v.units.get("township"):
        line += f"; {v.township_average:.0f} per township on average"
    return line


def render_validate(result: ValidateResult, lang: str, out: TextIO) -> None:
    console = console_for(out)
    for d in result.diagnostics:
        render_diagnostic(console, d, lang)
    if result.diagnostics:
        console.print()
    for v in result.versions:
        mark = "[green]✓[/green]" if not v.errors else "[red]✗[/red]"
        console.print(f"{mark} {escape(summary_line(v, lang))}")
    errors = sum(d.level is Severity.ERROR for d in result.diagnostics)
    warnings = sum(d.level is Severity.WARNING for d in result.diagnostics)
    files = len({d.file for d in result.diagnostics})
    if lang == "zh":
        if errors or warnings:
            console.print(f"[bold]共 {errors} 个错误，{warnings} 个警告，涉及 {files} 个文件[/bold]")
        else:
            console.print("[bold green]校验通过，未发现问题[/bold green]")
    elif errors or warnings:
        console.print(f"[bold]{errors} errors, {warnings} warnings in {files} files[/bold]")
    else:
        console.print("[bold green]All valid: no problems found[/bold green]")
