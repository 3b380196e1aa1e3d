"""``dutylist diff --format csv``: 调整对照表, one row per change, for the adjustment's paperwork.

The dialect is that of ``list.csv`` (Excel on Chinese Windows): a byte order mark first,
commas, fields quoted only when needed, CRLF line ends. Units are shown by name and lists
by their Chinese labels; 说明 gathers what the other columns cannot hold: the items a
change replaces, the lead or receiving departments, the field changes and any "probably
the same item" suggestion. Every cell goes through ``safe_cell``, so nothing a catalogue
says is run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, TextIO

from ..diff.engine import Change, DiffResult, Holding
from ..model.vocab import LIST_LABELS_ZH
from .cells import safe_cell
from .diff_out import kind_label
from .list_csv import HEADERS

HEADERS_ZH = (
    "序号",
    "事项编码",
    "事项名称",
    "调整类型",
    "调整前单位",
    "调整前清单",
    "调整后单位",
    "调整后清单",
    "说明",
)
HEADERS_EN = ("No.", "Item", "Name", "Change", "Units before", "Lists before", "Units after", "Lists after", "Notes")

_TEXT = {
    "zh": {
        "sep": "、",
        "notes": "；",
        "colon": "：",
        "none": "（无）",
        "replaces": "承继",
        "lead": "牵头部门",
        "lead_before": "原牵头部门",
        "receiver": "接收部门",
        "receiver_before": "原接收部门",
    },
    "en": {
        "sep": ", ",
        "notes": "; ",
        "colon": ": ",
        "none": "(none)",
        "replaces": "replaces",
        "lead": "lead",
        "lead_before": "lead before",
        "receiver": "receiver",
        "receiver_before": "receiver before",
    },
}


def render_csv(result: DiffResult, lang: str, out: TextIO) -> None:
    lang = "zh" if lang == "zh" else "en"
    buffer = io.StringIO(newline="")
    buffer.write("\ufeff")  # without it Excel reads the file as GBK and shows mojibake
    writer = csv.writer(buffer)
    writer.writerow(HEADERS_ZH if lang == "zh" else HEADERS_EN)
    for seq, change in enumerate(result.changes, start=1):
        row = [
            str(seq),
            change.id,
            change.name,
            kind_label(change.kind, lang),
            _units(change.before, result, lang),
            _lists(change.before, lang),
            _units(change.after, result, lang),
            _lists(change.after, lang),
            _notes(change, result, lang),
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    out.write(buffer.getvalue())  # one write: no half table when the renderer fails


def _units(holdings: list[Holding], result: DiffResult, lang: str) -> str:
    names = dict.fromkeys(result.unit_names.get(h.unit, h.unit) for h in holdings)
    return _TEXT[lang]["sep"].join(names)


def _lists(holdings: list[Holding], lang: str) -> str:
    # a unit_renamed change "holds" its units, which are no list
    keys = dict.fromkeys(h.list for h in holdings if h.list != "unit")
    return _TEXT[lang]["sep"].join(LIST_LABELS_ZH.get(k, k) if lang == "zh" else k for k in keys)


def _notes(change: Change, result: DiffResult, lang: str) -> str:
    t = _TEXT[lang]
    notes = []
    if change.replaces:
        notes.append(t["replaces"] + t["colon"] + t["sep"].join(change.replaces))
    for ref in ("lead", "receiver"):
        before = _refs(change.before, ref, result, lang)
        after = _refs(change.after, ref, result, lang)
        if before and after and before != after:
            notes.append(f"{t[ref]}{t['colon']}{before} → {after}")
        elif after:
            notes.append(t[ref] + t["colon"] + after)
        elif before:
            notes.append(t[ref + "_before"] + t["colon"] + before)
    for f in change.fields:
        old, new = _value(f.get("old"), t["none"]), _value(f.get("new"), t["none"])
        notes.append(f"{_field(str(f['path']), lang)}{t['colon']}{old} → {new}")
    if change.suggestion:
        notes.append(_suggestion(change.suggestion, lang))
    return t["notes"].join(notes)


def _refs(holdings: list[Holding], ref: str, result: DiffResult, lang: str) -> str:
    ids = sorted({r for h in holdings if (r := h.lead if ref == "lead" else h.receiver)})
    return _TEXT[lang]["sep"].join(result.unit_names.get(i, i) for i in ids)


def _field(path: str, lang: str) -> str:
    """A field path; in Chinese with the column names of list.csv: ``basis[1]`` is 依据第2项."""
    if lang != "zh":
        return path
    key = re.split(r"[.\[]", path, maxsplit=1)[0]
    rest = re.sub(r"\[(\d+)\]", lambda m: f"第{int(m.group(1)) + 1}项", path[len(key) :])
    return HEADERS.get(key, key) + rest


def _value(value: Any, none: str) -> str:
    if value is None:
        return none
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "；".join(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value)
    return json.dumps(value, ensure_ascii=False)


def _suggestion(s: dict[str, Any], lang: str) -> str:
    score, line, target = float(s["score"]), s["replaces_line"], s["target"]
    if lang == "zh":
        return f"可能与 {s['id']}（{s['name']}）是同一事项（相似度 {score:.2f}），可在 {target} 中加 {line}"
    return f"probably the same item as {s['id']} ({s['name']}), score {score:.2f}: add {line} to {target}"
