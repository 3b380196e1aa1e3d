"""``dutylist check --format markdown``: a pull-request comment, also what the CLI appends
to ``$GITHUB_STEP_SUMMARY``.

A heading with the verdict (✅ passed, ❌ failed), a table of the findings, errors first and
then by location (severity, code, location ``file:line:col`` with the key path, message with
its hint), then — when there was
a base — the diff's summary sentence and the burden table of the townships whose burden
changed, the waived findings in a collapsed ``<details>``, and the rules that did not run.

Catalogue text (item names in messages, values, paths, waiver reasons) goes through
``md_cell``, which escapes Markdown and HTML and turns line breaks into ``<br>``; the
``<summary>`` line is HTML-escaped. The comment starts with an HTML comment that a bot can
look for to update its earlier comment instead of adding another one.
"""

from __future__ import annotations

import html
from typing import TextIO

from ..check import CheckResult
from ..diagnostics import SEVERITY_RANK, Diagnostic, Severity
from ..diff.engine import DiffResult
from .check_out import skipped_note, verdict
from .diff_markdown import _BURDEN_COLUMNS, _table
from .diff_out import summary_sentence
from .list_markdown import md_cell
from .text import location

MARKER = "<!-- dutylist-check -->"

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "columns": "严重程度|代码|位置|说明",
        "hint": "提示：",
        "changes": "变化",
        "burden": "乡镇（街道）负担变化",
        "no_burden": "各乡镇（街道）负担不变。",
        "waived": "已豁免 {n} 项",
        "waived_columns": "代码|位置|事项|豁免理由",
    },
    "en": {
        "columns": "severity|code|location|message",
        "hint": "hint: ",
        "changes": "Changes",
        "burden": "Burden per township",
        "no_burden": "No township's burden changed.",
        "waived": "{n} waived",
        "waived_columns": "code|location|item|reason",
    },
}
_SEV = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"},
}


def render_markdown(result: CheckResult, lang: str, out: TextIO) -> None:
    lang = "zh" if lang == "zh" else "en"
    t = _TEXT[lang]
    icon = "❌" if result.failed else "✅"
    parts = [MARKER, f"## {icon} {md_cell(verdict(result, lang))}\n"]
    if result.diagnostics:
        worst_first = sorted(result.diagnostics, key=lambda d: (SEVERITY_RANK[d.level], d.sort_key()))
        rows = [_finding_row(d, lang) for d in worst_first]
        parts.append(_table(t["columns"].split("|"), rows, right=set()))
    if result.diff is not None:
        parts.append(_diff_part(result.diff, lang))
    if result.waived:
        parts.append(_waived_part(result, lang))
    note = skipped_note(result, lang)
    if note:
        parts.append(f"> {md_cell(note)}\n")
    out.write("\n".join(parts))


def _finding_row(d: Diagnostic, lang: str) -> list[str]:
    where = md_cell(location(d))
    if d.path:
        where += f"<br>{md_cell(d.path)}"
    text = md_cell(d.message(lang))
    hint = d.hint(lang)
    if hint:
        text += f"<br>{_TEXT[lang]['hint']}{md_cell(hint)}"
    return [_SEV[lang][d.level], f"`{d.code}`", where, text]


def _diff_part(diff: DiffResult, lang: str) -> str:
    t = _TEXT[lang]
    colon = "：" if lang == "zh" else ": "  # outside the ** : CommonMark does not close "**变化：**新增"
    text = f"**{t['changes']}**{colon}{md_cell(summary_sentence(diff, lang))}\n"
    if not diff.units:
        return text
    moved = sorted((u for u in diff.units if u.gained or u.lost), key=lambda u: (u.net, u.name, u.unit))
    if not moved:
        return text + f"\n{t['no_burden']}\n"
    rows = [[md_cell(u.name), str(u.gained), str(u.lost), f"{u.net:+d}" if u.net else "0"] for u in moved]
    return text + f"\n### {t['burden']}\n\n" + _table(_BURDEN_COLUMNS[lang], rows, right={1, 2, 3})


def _waived_part(result: CheckResult, lang: str) -> str:
    t = _TEXT[lang]
    rows = [
        [
            f"`{d.code}`",
            md_cell(location(d)),
            md_cell(str(d.params.get("item") or d.params.get("record") or w.item)),
            md_cell(w.reason),
        ]
        for d, w in result.waived
    ]
    summary = html.escape(t["waived"].format(n=len(result.waived)))
    table = _table(t["waived_columns"].split("|"), rows, right=set())
    return f"<details><summary>{summary}</summary>\n\n{table}\n</details>\n"
