"""``dutylist rules``: the rule registry as a table, one rule's documentation, or JSON."""

from __future__ import annotations

from typing import Any, TextIO

from ..checks.registry import Rule
from .diff_out import cell_len, pad
from .styled import Line, write_lines

_SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def rules_json(rules: list[Rule]) -> list[dict[str, Any]]:
    return [
        {
            "code": r.code,
            "name": r.name,
            "title": {"zh": r.title_zh, "en": r.title_en},
            "severity": r.severity.value,
            "needs_base": r.needs_diff,
            "summary": r.summary,
            "doc": r.doc.strip(),
            "options": [{"name": n, "type": t, "default": d, "description": desc} for n, t, d, desc in r.option_rows()],
        }
        for r in rules
    ]


def render_rules(rules: list[Rule], lang: str, out: TextIO) -> None:
    head = ["代码", "名称", "默认级别", "说明"] if lang == "zh" else ["code", "name", "severity", "summary"]
    rows = [
        [
            r.code,
            r.name,
            _SEV_ZH[r.severity.value] if lang == "zh" else r.severity.value,
            r.title_zh if lang == "zh" else r.title_en,
        ]
        for r in rules
    ]
    widths = [max(cell_len(x) for x in col) for col in zip(head, *rows, strict=True)]
    lines: list[Line] = [[("  ".join(pad(h, w) for h, w in zip(head, widths, strict=True)).rstrip(), "bold")]]
    for row in rows:
        lines.append([("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip(), "")])
    lines.append([])
    tip = "用 dutylist rules DL201 查看规则说明；在 dutylist.toml 的 [check] 中选择、关闭或调整规则"
    lines.append(
        [
            (
                tip
                if lang == "zh"
                else "dutylist rules DL201 explains a rule; dutylist.toml [check] selects and tunes them",
                "dim",
            )
        ]
    )
    write_lines(lines, out)


def render_rule(rule: Rule, lang: str, out: TextIO) -> None:
    sev = _SEV_ZH[rule.severity.value] if lang == "zh" else rule.severity.value
    title = rule.title_zh if lang == "zh" else rule.title_en
    lines: list[Line] = [[(f"{rule.code} {rule.name}", "bold"), (f"  {title}  ", ""), (sev, "yellow")], []]
    lines += [[(text, "")] for text in rule.doc.strip().splitlines()]
    opts = rule.option_rows()
    lines.append([])
    lines.append([("选项（dutylist.toml）：" if lang == "zh" else "options (dutylist.toml):", "bold")])
    lines.append([(f"  [check.rules.{rule.code}]", "")])
    lines.append([(f'  severity = "{rule.severity.value}"   # error | warning | info | off', "")])
    for name, _type, default, desc in opts:
        shown = repr(default).replace("'", '"') if not isinstance(default, bool) else str(default).lower()
        lines.append([(f"  {name} = {shown}   # {desc}", "")])
    write_lines(lines, out)
