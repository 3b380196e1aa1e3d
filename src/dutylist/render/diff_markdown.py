"""``dutylist diff --format markdown``: a pull-request comment.

A title with both versions, the summary sentence, a table of the change kinds that occur,
a table of every township's burden (worst first), then one collapsed ``<details>`` section
per unit that a change touches, listing each change from that unit's point of view: its
lists before and after, the lead or receiving department, and the field changes.

Catalogue text (names, versions, field values) is escaped: Markdown in table and list
text with ``md_cell``, HTML in the ``<summary>`` line (an HTML block, where Markdown is
not read). Ids are shown in code spans, which need no escapes.
"""

from __future__ import annotations

import html
import json
from typing import Any, TextIO

from ..diff.engine import Change, DiffResult, Holding
from ..model.vocab import CHANGE_KINDS, LIST_LABELS_ZH
from .diff_out import kind_label, summary_sentence
from .list_markdown import md_cell

#: A side's units are named up to this many, then counted.
SHOWN_UNITS = 3

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "清单变化",
        "kind": "变化类型",
        "count": "数量",
        "burden": "乡镇（街道）负担变化",
        "units": "各单位的变化",
        "none": "（无）",
        "lead": "牵头部门",
        "receiver": "接收部门",
        "replaces": "承继",
        "sep": "、",
        "colon": "：",
    },
    "en": {
        "title": "Catalogue changes",
        "kind": "change",
        "count": "count",
        "burden": "Burden per township",
        "units": "Changes per unit",
        "none": "(none)",
        "lead": "lead",
        "receiver": "receiver",
        "replaces": "replaces",
        "sep": ", ",
        "colon": ": ",
    },
}


_BURDEN_COLUMNS = {"zh": ["乡镇", "增加", "减少", "净变化"], "en": ["township", "gained", "lost", "net"]}


def render_markdown(result: DiffResult, lang: str, out: TextIO) -> None:
    lang = "zh" if lang == "zh" else "en"
    t = _TEXT[lang]
    parts = [f"## {t['title']}{t['colon']}{_side(result.base, lang)} → {_side(result.head, lang)}\n"]
    parts.append(summary_sentence(result, lang) + "\n")
    counts = result.summary()
    if result.changes:
        rows = [[kind_label(k, lang), str(counts[k])] for k in CHANGE_KINDS if counts[k]]
        parts.append(_table([t["kind"], t["count"]], rows, right={1}))
        if result.units:
            burden = sorted(result.units, key=lambda u: (u.net, u.name, u.unit))
            rows = [[md_cell(u.name), str(u.gained), str(u.lost), f"{u.net:+d}" if u.net else "0"] for u in burden]
            parts.append(f"### {t['burden']}\n\n" + _table(_BURDEN_COLUMNS[lang], rows, right={1, 2, 3}))
        sections = [_unit_section(unit, changes, result, lang) for unit, changes in _by_unit(result)]
        parts.append(f"### {t['units']}\n\n" + "\n".join(sections))
    out.write("\n".join(parts))


def _side(side: dict[str, Any], lang: str) -> str:
    """The version label, and the spec when it says more (a git revision, a list.json path)."""
    version, spec = str(side.get("version", "")), str(side.get("spec", ""))
    if not spec or spec == version:
        return md_cell(version)
    return md_cell(f"{version}（{spec}）" if lang == "zh" else f"{version} ({spec})")


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|",
    ]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def _touched(change: Change) -> set[str]:
    """The units whose section lists a change; a renamed unit's old id has no section of its own."""
    if change.kind == "unit_renamed":
        return {h.unit for h in change.after}
    return change.units()


def _by_unit(result: DiffResult) -> list[tuple[str, list[Change]]]:
    """Units with their changes: townships first (in the burden table's order), then units.yaml order."""
    grouped: dict[str, list[Change]] = {}
    for change in result.changes:
        for unit in _touched(change):
            grouped.setdefault(unit, []).append(change)
    townships = {u.unit: i for i, u in enumerate(result.units)}
    position = {u: i for i, u in enumerate(result.unit_names)}
    order = sorted(grouped, key=lambda u: (townships.get(u, len(townships)), position.get(u, len(position)), u))
    return [(unit, grouped[unit]) for unit in order]


def _unit_section(unit: str, changes: list[Change], result: DiffResult, lang: str) -> str:
    name = result.unit_names.get(unit, unit)
    n = len(changes)
    title = f"{name}（{n} 项变化）" if lang == "zh" else f"{name} ({n} change{'s' if n != 1 else ''})"
    lines = [f"<details><summary>{html.escape(title)}</summary>", ""]
    for change in changes:
        lines.extend(_change_lines(change, unit, result, lang))
    lines += ["", "</details>", ""]
    return "\n".join(lines)


def _change_lines(change: Change, unit: str, result: DiffResult, lang: str) -> list[str]:
    t = _TEXT["zh" if lang == "zh" else "en"]
    before = _side_text(change.before, unit, result, lang)
    after = _side_text(change.after, unit, result, lang)
    if change.kind == "unit_renamed":
        moved = ""
    elif change.kind == "modified":  # where the item is now; a move it came with has its own line
        moved = after if unit in {h.unit for h in change.after} else before
    elif before == after:
        moved = before
    else:
        moved = f"{before} → {after}"
    head = f"- **{kind_label(change.kind, lang)}** {_code(change.id)} {md_cell(change.name)}"
    lines = [head + (f"{t['colon']}{moved}" if moved else "")]
    if change.replaces:
        replaced = t["sep"].join(_code(r) for r in change.replaces)
        lines.append(f"  - {t['replaces']}{t['colon']}{replaced}")
    for f in change.fields:
        if f.get("units") and unit not in f["units"]:
            continue  # a field change of the same item in another unit
        old, new = _value(f.get("old"), t["none"]), _value(f.get("new"), t["none"])
        lines.append(f"  - {_code(str(f['path']))}{t['colon']}{old} → {new}")
    if change.suggestion:
        lines.append("  - " + _suggestion(change, lang))
    return lines


def _side_text(holdings: list[Holding], unit: str, result: DiffResult, lang: str) -> str:
    """This unit's lists on one side; when it holds nothing there, who does (a department, say)."""
    t = _TEXT["zh" if lang == "zh" else "en"]
    own = [h for h in holdings if h.unit == unit]
    if own:
        return t["sep"].join(_list_text(h, result, lang) for h in own)
    if not holdings:
        return "—"
    by_list: dict[str, list[str]] = {}
    for h in holdings:
        by_list.setdefault(_list_text(h, result, lang), []).append(md_cell(result.unit_names.get(h.unit, h.unit)))
    texts = []
    for label, names in by_list.items():
        shown = t["sep"].join(names[:SHOWN_UNITS])
        if len(names) > SHOWN_UNITS:
            shown += f"等 {len(names)} 个单位" if lang == "zh" else f" and {len(names) - SHOWN_UNITS} more"
        texts.append(f"{shown} {label}")
    return "；".join(texts) if lang == "zh" else "; ".join(texts)


def _list_text(h: Holding, result: DiffResult, lang: str) -> str:
    t = _TEXT["zh" if lang == "zh" else "en"]
    label = LIST_LABELS_ZH.get(h.list, h.list) if lang == "zh" else h.list
    for ref, key in ((h.lead, "lead"), (h.receiver, "receiver")):
        if ref:
            who = md_cell(result.unit_names.get(ref, ref))
            return f"{label}（{t[key]}：{who}）" if lang == "zh" else f"{label} ({t[key]}: {who})"
    return label


def _value(value: Any, none: str) -> str:
    if value is None:
        return none
    if isinstance(value, list):
        return md_cell([v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value])
    if isinstance(value, str):
        return md_cell(value) if value else "“”"
    return md_cell(json.dumps(value, ensure_ascii=False))


def _code(text: str) -> str:
    """A code span, or escaped text when the text itself has a backtick (ids never do)."""
    return f"`{text}`" if "`" not in text and text.strip() == text and text else md_cell(text)


def _suggestion(change: Change, lang: str) -> str:
    s: dict[str, Any] = change.suggestion or {}
    other, name, score = _code(str(s["id"])), md_cell(str(s["name"])), float(s["score"])
    line, target = _code(str(s["replaces_line"])), _code(str(s["target"]))
    if lang == "zh":
        where = "本事项" if s["target"] == change.id else target
        return f"可能与 {other}（{name}）是同一事项（相似度 {score:.2f}）：在{where}中加 {line}"
    return f"probably the same item as {other} ({name}), score {score:.2f}: add {line} to {target}"
