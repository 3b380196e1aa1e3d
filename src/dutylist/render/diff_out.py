"""Renderers of ``dutylist diff``: text (people), json (DESIGN §7); markdown and csv lazily."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TextIO

from ..diff.engine import Change, DiffResult, Holding
from ..model.vocab import CHANGE_KINDS, CHANGE_LABELS_ZH, LIST_LABELS_ZH, TOWNSHIP_KINDS
from .json_out import dumps
from .styled import Line, write_lines


def cell_len(text: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(width - cell_len(text), 0)
    return fill + text if right else text + fill


DiffRenderer = Callable[[DiffResult, str, TextIO], None]

KIND_ZH = CHANGE_LABELS_ZH
KIND_EN = {k: k.replace("_", " ") for k in CHANGE_KINDS}
_STYLE = {"added": "green", "revoked": "red", "withdrawn": "yellow", "delegated": "cyan", "transferred": "magenta"}


def kind_label(kind: str, lang: str) -> str:
    return KIND_ZH[kind] if lang == "zh" else KIND_EN[kind]


def summary_sentence(result: DiffResult, lang: str) -> str:
    counts = result.summary()
    parts = []
    for kind in CHANGE_KINDS:
        n = counts[kind]
        if not n:
            continue
        if lang == "zh":
            parts.append(f"{KIND_ZH[kind]} {n} {'个单位' if kind == 'unit_renamed' else '项'}")
        else:
            parts.append(f"{KIND_EN[kind]} {n}")
    if not parts:
        return "无变化" if lang == "zh" else "no changes"
    return ("，".join(parts)) if lang == "zh" else ", ".join(parts)


def _units_text(holdings: list[Holding], result: DiffResult, lang: str) -> str:
    if not holdings:
        return "—"
    by_list: dict[str, list[str]] = {}
    for h in holdings:
        by_list.setdefault(h.list, []).append(h.unit)
    parts = []
    for list_key, units in by_list.items():
        names = [result.unit_names.get(u, u) for u in units]
        shown = "、".join(names[:4]) if lang == "zh" else ", ".join(names[:4])
        if len(names) > 4:
            shown += f"等 {len(names)} 个单位" if lang == "zh" else f" and {len(names) - 4} more"
        label = LIST_LABELS_ZH.get(list_key, "") if lang == "zh" else list_key
        refs = {h.lead or h.receiver for h in holdings if h.list == list_key and (h.lead or h.receiver)}
        ref_text = ""
        if refs:
            ref_names = "、".join(sorted(result.unit_names.get(r, r) for r in refs if r))
            ref_text = f"（{ref_names}）" if lang == "zh" else f" ({ref_names})"
        parts.append(f"{shown} {label}{ref_text}" if list_key != "unit" else shown)
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def _shown(value: Any, lang: str) -> str:
    if value is None:
        return "（无）" if lang == "zh" else "(none)"
    if isinstance(value, list):
        return ("；" if lang == "zh" else "; ").join(str(v) for v in value)
    return str(value)


def change_lines(c: Change, result: DiffResult, lang: str) -> list[Line]:
    lines: list[Line] = [[("  ", ""), (c.id, "bold"), ("  ", ""), (c.name, "")]]
    arrow = "调整前" if lang == "zh" else "before"
    after = "调整后" if lang == "zh" else "after"
    if c.before:
        lines.append(
            [
                ("      ", ""),
                (f"{arrow}：" if lang == "zh" else f"{arrow}: ", "dim"),
                (_units_text(c.before, result, lang), ""),
            ]
        )
    if c.after and (c.kind != "modified" or {h.list for h in c.before} != {h.list for h in c.after}):
        lines.append(
            [
                ("      ", ""),
                (f"{after}：" if lang == "zh" else f"{after}: ", "dim"),
                (_units_text(c.after, result, lang), ""),
            ]
        )
    if c.replaces:
        label = "承继" if lang == "zh" else "replaces"
        lines.append(
            [
                ("      ", ""),
                (f"{label}：{'、'.join(c.replaces)}" if lang == "zh" else f"{label}: {', '.join(c.replaces)}", "dim"),
            ]
        )
    for f in c.fields:
        old, new = _shown(f["old"], lang), _shown(f["new"], lang)
        lines.append([("      ", ""), (f["path"], "cyan"), (": ", ""), (old, "red"), (" → ", ""), (new, "green")])
    if c.suggestion:
        s = c.suggestion
        where = "本事项" if s["target"] == c.id else s["target"]
        text = (
            f"可能与 {s['id']}（{s['name']}）是同一事项（相似度 {s['score']:.2f}）："
            f"在 {where} 中加 {s['replaces_line']}"
            if lang == "zh"
            else f"probably the same item as {s['id']} (score {s['score']:.2f}): "
            f"add `{s['replaces_line']}` to {s['target']}"
        )
        lines.append([("      ", ""), (text, "yellow")])
    return lines


def render_text(result: DiffResult, lang: str, out: TextIO) -> None:
    head = (
        f"{result.base['version']} → {result.head['version']}："
        if lang == "zh"
        else f"{result.base['version']} -> {result.head['version']}: "
    )
    lines: list[Line] = [[(head, "bold"), (summary_sentence(result, lang), "bold")]]
    for kind in CHANGE_KINDS:
        changes = [c for c in result.changes if c.kind == kind]
        if not changes:
            continue
        lines.append([])
        n = len(changes)
        title = (
            f"{KIND_ZH[kind]}（{n} {'个单位' if kind == 'unit_renamed' else '项'}）"
            if lang == "zh"
            else f"{KIND_EN[kind]} ({n})"
        )
        lines.append([(title, "bold " + _STYLE.get(kind, ""))])
        for c in changes:
            lines.extend(change_lines(c, result, lang))
    moved = [u for u in result.units if u.gained or u.lost]
    if result.units:
        lines.append([])
        lines.append([("乡镇（街道）负担变化" if lang == "zh" else "Burden per township", "bold")])
        width = max(cell_len(u.name) for u in result.units) + 2
        cols = ("增加", "减少", "净变化") if lang == "zh" else ("gained", "lost", "net")
        header = "  " + pad("单位" if lang == "zh" else "unit", width) + "".join(pad(c, 8, right=True) for c in cols)
        lines.append([(header, "dim")])
        for u in moved or result.units:
            row = [str(u.gained), str(u.lost), f"{u.net:+d}"]
            lines.append([("  " + pad(u.name, width) + "".join(pad(v, 8, right=True) for v in row), "")])
        if not moved:
            lines.append([("  各乡镇负担不变" if lang == "zh" else "  no township's burden changed", "dim")])
    write_lines(lines, out)


def render_log_text(log: Any, lang: str, out: TextIO) -> None:
    """``dutylist log``: one block per version in which the item changed."""
    names = DiffResult({}, {}, [], [], log.unit_names)
    lines: list[Line] = []
    if not log.history:
        text = (
            f"{log.id}：在 {'、'.join(log.versions)} 中都没有找到"
            if lang == "zh"
            else f"{log.id}: not found in {', '.join(log.versions)}"
        )
        lines.append([(text, "yellow")])
    else:
        lines.append([(f"{log.id} 的沿革" if lang == "zh" else f"history of {log.id}", "bold")])
    for entry in log.history:
        kind = entry.change.kind
        label = ("最早版本已有" if lang == "zh" else "present") if kind == "present" else kind_label(kind, lang)
        lines.append([])
        lines.append([(entry.version, "bold"), ("  ", ""), (label, "bold " + _STYLE.get(kind, ""))])
        if kind == "present":
            held = "所在：" if lang == "zh" else "held by: "
            lines.append([("  ", ""), (entry.change.id, "bold"), ("  ", ""), (entry.change.name, "")])
            lines.append([("      ", ""), (held, "dim"), (_units_text(entry.change.after, names, lang), "")])
        else:
            lines.extend(change_lines(entry.change, names, lang))
    for version in log.invalid:
        text = (
            f"（版本 {version} 有错误，未计入）" if lang == "zh" else f"(version {version} is invalid and was skipped)"
        )
        lines.append([(text, "dim")])
    write_lines(lines, out)


def render_json(result: DiffResult, lang: str, out: TextIO) -> None:
    out.write(dumps(result.to_json()))


def _lazy(module: str, name: str) -> DiffRenderer:
    def render(result: DiffResult, lang: str, out: TextIO) -> None:
        fn: DiffRenderer = getattr(importlib.import_module(module), name)
        fn(result, lang, out)

    return render


DIFF_RENDERERS: dict[str, DiffRenderer] = {
    "text": render_text,
    "markdown": _lazy("dutylist.render.diff_markdown", "render_markdown"),
    "json": render_json,
    "csv": _lazy("dutylist.render.diff_csv", "render_csv"),
}

__all__ = ["DIFF_RENDERERS", "TOWNSHIP_KINDS", "kind_label", "summary_sentence"]
