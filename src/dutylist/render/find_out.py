"""``dutylist find`` / ``show`` output: text for people, and JSON of a stable shape.

``find --format json``::

    {"query": "宅基地", "normalised": "宅基地", "spec": "2025", "version": "2025",
     "filters": {"units": [], "lists": []},
     "total": 3,          # items matched (before --limit), by the tiers searched
     "shown": 3,
     "hits": [{"rank": 1, "id": "AL-B-105", "name": "…", "category": "…", "tasks": "…",
               "basis": ["…"],
               "match": "exact" | "name" | "field" | "fuzzy",
               "fields": ["name", "tasks", …],   # the fields holding a word of the query
               "score": 1.0 | 0.67 | null,       # exact 1.0; fuzzy: name similarity 0-1
               "units": 15,                      # units holding it (after --unit/--list)
               "groups": [{"list": "cooperative", "lead": "zjj", "lead_name": "…",
                           "lead_duty": "…", "township_duty": "…", "receiver": null,
                           "receiver_name": null, "method": null, "power_type": null,
                           "units": [{"id": "chengguan", "name": "城关街道", "kind": "street"}]}]}],
     "diagnostics": []}   # an invalid source version: its problems, and no hits

A group is the units that hold the item the same way (list, lead or receiver, duty texts).

``show --format json``::

    {"id": "AL-B-090", "found": true, "spec": "2025", "version": "2025",
     "item": {"id": "…", "name": "…", "category": "…", "tasks": "…", "basis": [],
              "approval": null, "replaces": [], "template": "township-common"} | null,
     "varies": [],        # item fields that differ between units; then in each holder
     "holders": [{"unit": "chengguan", "unit_name": "城关街道", "unit_kind": "street",
                  "list": "recalled", "seq": 12, "lead": null, "lead_name": null,
                  "lead_duty": null, "township_duty": null, "receiver": "zjj",
                  "receiver_name": "…", "method": "…", "power_type": null}],
     "history": {"id": …, "versions": […], "history": [{"version": "2025", "kind": …}],
                 "invalid": []} | null,      # as `dutylist log --format json`
     "history_note": null | "compiled" | "no_versions",   # why there is no history
     "suggestions": [{"id": "…", "name": "…", "score": 0.93}],   # unknown id: did you mean
     "diagnostics": []}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

from ..find import FindResult, Group, Hit, ShowResult
from ..model.vocab import CHANGE_LABELS_ZH, KIND_LABELS_ZH, LIST_LABELS_ZH, TOWNSHIP_KINDS
from .diff_out import cell_len, pad, render_log_text
from .json_out import dumps
from .styled import Line, write_lines
from .text import render_diagnostics

#: Units named before "…" in a find hit; ``show`` names them all.
SHOWN_UNITS = 8

FIELD_ZH = {
    "name": "名称",
    "category": "类别",
    "tasks": "具体工作内容",
    "basis": "依据",
    "approval": "批准文号",
    "replaces": "承继",
    "template": "来源模板",
    "lead": "牵头部门",
    "lead_duty": "上级部门职责",
    "township_duty": "乡镇配合职责",
    "receiver": "承接部门",
    "method": "工作方式",
    "power_type": "权力类型",
}
FIELD_EN = {
    "name": "name",
    "category": "category",
    "tasks": "tasks",
    "basis": "basis",
    "approval": "approval",
    "replaces": "replaces",
    "template": "template",
    "lead": "lead",
    "lead_duty": "lead duty",
    "township_duty": "township duty",
    "receiver": "receiver",
    "method": "method",
    "power_type": "power type",
}


def _field(name: str, lang: str) -> str:
    return FIELD_ZH[name] if lang == "zh" else FIELD_EN[name]


def _list(key: str, lang: str) -> str:
    return LIST_LABELS_ZH.get(key, key) if lang == "zh" else key


def _value(value: Any, lang: str) -> str:
    if isinstance(value, list):
        return ("；" if lang == "zh" else "; ").join(str(v) for v in value)
    return str(value)


def units_count(units: list[dict[str, Any]], lang: str) -> str:
    """``15 个乡镇（街道）``, ``3 个部门``, ``2 units``…"""
    kinds = {u.get("kind") for u in units}
    if kinds <= set(TOWNSHIP_KINDS):
        noun = ("个乡镇（街道）", "townships")
    elif kinds == {"department"}:
        noun = ("个部门", "departments")
    elif kinds == {"village"}:
        noun = ("个村（社区）", "villages")
    else:
        noun = ("个单位", "units")
    if lang == "zh":
        return f"{len(units)} {noun[0]}"
    return f"{len(units)} {noun[1] if len(units) != 1 else noun[1].removesuffix('s')}"


def units_text(units: list[dict[str, Any]], lang: str, cap: int = SHOWN_UNITS) -> str:
    """``15 个乡镇（街道）：城关街道、东城街道…``, or the one unit's name."""
    names = [str(u["name"]) for u in units]
    if len(names) == 1:
        return names[0]
    more = "…" if len(names) > cap else ""
    if lang == "zh":
        return f"{units_count(units, lang)}：{'、'.join(names[:cap])}{more}"
    return f"{units_count(units, lang)}: {', '.join(names[:cap])}{', …' if more else ''}"


def _holder_bits(holder: dict[str, Any], lang: str) -> list[str]:
    """The lead or receiving department and the power type, for a group's heading."""
    sep = "：" if lang == "zh" else ": "
    bits = []
    if holder.get("lead"):
        bits.append(_field("lead", lang) + sep + str(holder.get("lead_name") or holder["lead"]))
    if holder.get("receiver"):
        bits.append(_field("receiver", lang) + sep + str(holder.get("receiver_name") or holder["receiver"]))
    if holder.get("power_type"):
        bits.append(str(holder["power_type"]))
    return bits


def _detail_lines(holder: dict[str, Any], lang: str, indent: str) -> list[Line]:
    """Both duty texts and the working method, one line each."""
    sep = "：" if lang == "zh" else ": "
    out: list[Line] = []
    for key in ("lead_duty", "township_duty", "method"):
        if holder.get(key):
            out.append([(indent, ""), (_field(key, lang) + sep, "dim"), (str(holder[key]), "")])
    return out


def _match_label(hit: Hit, lang: str) -> str:
    if hit.match == "exact":
        return "名称相同" if lang == "zh" else "exact name"
    if hit.match == "name":
        return "名称包含" if lang == "zh" else "in the name"
    if hit.match == "fuzzy":
        score = hit.score or 0.0
        return f"名称相近 {score:.2f}" if lang == "zh" else f"similar name {score:.2f}"
    where = "、".join(_field(f, lang) for f in hit.fields if f != "name")
    if lang == "zh":
        return f"{where}中有"
    return f"in the {', '.join(_field(f, lang) for f in hit.fields if f != 'name')}"


def _group_lines(group: Group, lang: str) -> list[Line]:
    dot = " · "
    head = [_list(group.list_key, lang), *_holder_bits(group.holder, lang)]
    line: Line = [("   ", ""), (dot.join(head), "cyan"), (dot, ""), (units_text(group.units, lang), "")]
    return [line, *_detail_lines(group.holder, lang, "      ")]


def render_find_text(result: FindResult, lang: str, out: TextIO) -> None:
    if result.diagnostics:
        render_diagnostics(result.diagnostics, lang, out)
        return
    q = f"“{result.query}”" if lang == "zh" else f'"{result.query}"'
    lines: list[Line] = []
    if not result.hits:
        narrowed = result.units or result.lists
        if lang == "zh":
            text = f"{q}：在 {result.version} 中没有找到" + ("（已按 --unit/--list 缩小范围）" if narrowed else "")
        else:
            text = f"{q}: nothing found in {result.version}" + (" (narrowed by --unit/--list)" if narrowed else "")
        write_lines([[(text, "yellow")]], out)
        return
    if lang == "zh":
        head = f"{q}：在 {result.version} 中找到 {result.total:,} 项"
        if result.total > len(result.hits):
            head += f"，显示前 {len(result.hits)} 项（--limit）"
    else:
        head = f"{q}: {result.total:,} item{'s' if result.total != 1 else ''} in {result.version}"
        if result.total > len(result.hits):
            head += f", the first {len(result.hits)} shown (--limit)"
    lines.append([(head, "bold")])
    sep = "：" if lang == "zh" else ": "
    for rank, hit in enumerate(result.hits, 1):
        lines.append([])
        lines.append(
            [(f"{rank}. ", ""), (hit.id, "bold"), ("  ", ""), (hit.name, "bold"), ("  ", ""),
             (f"[{_match_label(hit, lang)}]", "dim")]
        )  # fmt: skip
        if hit.match == "field":
            for key, value in (("tasks", hit.tasks), ("basis", hit.basis)):
                if key in hit.fields and value:
                    lines.append([("   ", ""), (_field(key, lang) + sep, "dim"), (_value(value, lang), "")])
        for group in hit.groups:
            lines.extend(_group_lines(group, lang))
    write_lines(lines, out)


def render_find_json(result: FindResult, lang: str, out: TextIO) -> None:
    out.write(dumps(result.to_json(lang)))


# --- show ------------------------------------------------------------------------------


def _history_note(result: ShowResult, lang: str) -> str | None:
    if result.history_note == "compiled":
        return (
            "沿革：list.json 只含一个版本；沿革来自 --root 下各版本的源文件（dutylist log ID）"
            if lang == "zh"
            else "history: a list.json holds one version; the history comes from the versions under --root "
            "(dutylist log ID)"
        )
    if result.history_note == "no_versions":
        return "沿革：--root 下没有版本目录" if lang == "zh" else "history: no versions under --root"
    return None


def _holder_groups(result: ShowResult) -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    """Holders grouped by how they hold the item: (list, fields, units), in holder order."""
    groups: dict[str, tuple[str, dict[str, Any], list[dict[str, Any]]]] = {}
    skip = {"unit", "unit_name", "unit_kind", "list", "seq"}
    for h in result.holders:
        fields = {k: v for k, v in h.items() if k not in skip}
        key = repr((h["list"], sorted(fields.items(), key=lambda kv: kv[0])))
        if key not in groups:
            groups[key] = (h["list"], fields, [])
        groups[key][2].append({"id": h["unit"], "name": h["unit_name"], "kind": h["unit_kind"]})
    return list(groups.values())


def _kind(kind: str | None, lang: str) -> str:
    if kind is None:
        return ""
    return KIND_LABELS_ZH.get(kind, kind) if lang == "zh" else kind


def render_show_text(result: ShowResult, lang: str, out: TextIO) -> None:
    if result.diagnostics:
        render_diagnostics(result.diagnostics, lang, out)
        return
    lines: list[Line] = []
    if not result.found:
        text = (
            f"{result.version} 中没有事项 {result.item}"
            if lang == "zh"
            else f"no item {result.item} in {result.version}"
        )
        lines.append([(text, "yellow")])
        if result.suggestions:
            lines.append([("是不是：" if lang == "zh" else "did you mean:", "")])
            for s in result.suggestions:
                line: Line = [("  ", ""), (s["id"], "bold"), ("  ", ""), (s["name"], "")]
                if s.get("kind"):
                    kind, version = s["kind"], s["version"]
                    note = (
                        f"（{version} {CHANGE_LABELS_ZH.get(kind, kind)}）"
                        if lang == "zh"
                        else f" ({kind} in {version})"
                    )
                    line.append((note, "dim"))
                lines.append(line)
    else:
        lines.extend(_item_lines(result, lang))
    history_note = _history_note(result, lang)
    if history_note:
        lines += [[], [(history_note, "dim")]]
    write_lines(lines, out)
    if result.history is not None and (result.found or result.history.history):
        out.write("\n")
        render_log_text(result.history, lang, out)


def _item_lines(result: ShowResult, lang: str) -> list[Line]:
    f = result.fields
    lines: list[Line] = [[(result.item, "bold"), ("  ", ""), (str(f.get("name", "")), "bold")]]
    version = f"{result.version} · {result.title}" if result.title else result.version
    lines.append([("版本 " if lang == "zh" else "version ", "dim"), (version, "dim")])
    keys = [k for k in ("category", "tasks", "basis", "approval", "replaces", "template") if f.get(k)]
    width = max((cell_len(_field(k, lang)) for k in keys), default=0) + 2
    for key in keys:
        lines.append([("  ", ""), (pad(_field(key, lang), width), "cyan"), (_value(f[key], lang), "")])
    groups = _holder_groups(result)
    for list_key, fields, units in groups:
        lines.append([])
        head = [_list(list_key, lang), *_holder_bits(fields, lang), units_count(units, lang)]
        lines.append([(" · ".join(head), "bold")])
        rows = [(k, fields[k]) for k in ("lead_duty", "township_duty", "method") if fields.get(k)]
        rows += [(k, fields[k]) for k in result.varies if fields.get(k) not in (None, [], "")]
        label = "单位" if lang == "zh" else "units"
        names = [
            f"{u['name']}（{_kind(u['kind'], lang)}）" if lang == "zh" else f"{u['name']} ({u['kind']})" for u in units
        ]
        rows.append(("units", ("、" if lang == "zh" else ", ").join(names)))
        width = max(cell_len(_field(k, lang) if k != "units" else label) for k, _ in rows) + 2
        for key, value in rows:
            name = label if key == "units" else _field(key, lang)
            lines.append([("  ", ""), (pad(name, width), "cyan"), (_value(value, lang), "")])
    return lines


def render_show_json(result: ShowResult, lang: str, out: TextIO) -> None:
    out.write(dumps(result.to_json(lang)))


FIND_RENDERERS: dict[str, Callable[[Any, str, TextIO], None]] = {"text": render_find_text, "json": render_find_json}
SHOW_RENDERERS: dict[str, Callable[[Any, str, TextIO], None]] = {"text": render_show_text, "json": render_show_json}
