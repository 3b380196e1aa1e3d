"""``dutylist check`` output: text, json and github here; markdown, junit and sarif in
their own modules, imported when chosen. :data:`CHECK_RENDERERS` is the source of the
``--format`` choices."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any, TextIO

from ..check import CheckResult
from ..diagnostics import Severity
from .diff_out import summary_sentence
from .github import annotation
from .json_out import dumps
from .styled import Line, write_lines
from .text import diagnostic_lines

CheckRenderer = Callable[[CheckResult, str, TextIO], None]

SKIPPED_ZH = {"not selected": "未启用", "off": "已关闭", "no base": "无比较基准", "head invalid": "清单校验未通过"}


def verdict(result: CheckResult, lang: str) -> str:
    """One line: what was checked against what, and the outcome."""
    e, w = result.count(Severity.ERROR), result.count(Severity.WARNING)
    head = result.head["spec"]
    base = result.base["spec"] if result.base else None
    waived = len(result.waived)
    if lang == "zh":
        what = f"{head}（对比 {base}）" if base else f"{head}（无比较基准）"
        tail = f"，{waived} 项已豁免" if waived else ""
        if not e and not w:
            return f"检查通过：{what}，未发现问题{tail}"
        return f"{'检查未通过' if result.failed else '检查完成'}：{what}，{e} 个错误，{w} 个警告{tail}"
    what = f"{head} against {base}" if base else f"{head} (no base)"
    tail = f", {waived} waived" if waived else ""
    if not e and not w:
        return f"Check passed: {what}, no findings{tail}"
    return f"Check {'failed' if result.failed else 'done'}: {what}, {e} errors, {w} warnings{tail}"


def skipped_note(result: CheckResult, lang: str) -> str:
    skipped = [r for r in result.rules if not r.ran and r.skipped not in ("not selected", "off")]
    if not skipped:
        return ""
    by_reason: dict[str, list[str]] = {}
    for r in skipped:
        by_reason.setdefault(r.skipped, []).append(r.code)
    if lang == "zh":
        parts = [f"{'、'.join(codes)}（{SKIPPED_ZH.get(why, why)}）" for why, codes in by_reason.items()]
        return "未运行的规则：" + "；".join(parts)
    return "rules not run: " + "; ".join(f"{', '.join(codes)} ({why})" for why, codes in by_reason.items())


def render_text(result: CheckResult, lang: str, out: TextIO) -> None:
    lines: list[Line] = []
    for d in result.diagnostics:
        lines.extend(diagnostic_lines(d, lang))
    if result.diagnostics:
        lines.append([])
    if result.diff is not None:
        lines.append([("变化：" if lang == "zh" else "changes: ", "bold"), (summary_sentence(result.diff, lang), "")])
    note = skipped_note(result, lang)
    if note:
        lines.append([(note, "yellow")])
    for d, w in result.waived:
        label = "已豁免" if lang == "zh" else "waived"
        lines.append(
            [(f"{label} {d.code} {d.params.get('item') or d.params.get('record') or ''}: ", "dim"), (w.reason, "dim")]
        )
    style = "bold red" if result.failed else "bold green" if result.ok else "bold yellow"
    lines.append([("✗ " if result.failed else "✓ ", style), (verdict(result, lang), "bold")])
    write_lines(lines, out)


def to_json(result: CheckResult, lang: str) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "failed": result.failed,
        "fail_on": result.fail_on,
        "head": result.head,
        "base": result.base,
        "counts": {s.value: result.count(s) for s in Severity},
        "diagnostics": [d.to_json(lang) for d in result.diagnostics],
        "waived": [{**d.to_json(lang), "reason": w.reason} for d, w in result.waived],
        "rules": [
            {"code": r.code, "name": r.name, "severity": r.severity, "ran": r.ran, "skipped": r.skipped or None}
            for r in result.rules
        ],
        "diff": None
        if result.diff is None
        else {"summary": result.diff.summary(), "units": [u.to_json() for u in result.diff.units]},
    }


def render_json(result: CheckResult, lang: str, out: TextIO) -> None:
    out.write(dumps(to_json(result, lang)))


def render_github(result: CheckResult, lang: str, out: TextIO) -> None:
    for d in result.diagnostics:
        out.write(annotation(d, lang) + "\n")
    out.write(f"dutylist check: {verdict(result, lang)}\n")


def _lazy(module: str, name: str) -> CheckRenderer:
    def render(result: CheckResult, lang: str, out: TextIO) -> None:
        getattr(import_module(module, __package__), name)(result, lang, out)

    return render


CHECK_RENDERERS: dict[str, CheckRenderer] = {
    "text": render_text,
    "json": render_json,
    "markdown": _lazy(".check_markdown", "render_markdown"),
    "github": render_github,
    "junit": _lazy(".check_junit", "render_junit"),
    "sarif": _lazy(".check_sarif", "render_sarif"),
}
