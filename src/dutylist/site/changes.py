"""The change page of two consecutive versions: the diff in people's words.

It is the real diff (``diff.engine.diff_sides``) told the way a county's 调整说明 tells it:
the summary sentence (新增 N 项、取消 N 项、上收 N 项…), the count per kind, the burden
table (each township's basic + cooperative items gained and lost), every change by kind
with where the item was before and after, then each unit's own view of the changes that
touch it (as ``dutylist diff --format markdown`` groups them). Unit names link to their
pages in the newer version (or the older one, for a unit that is gone).
"""

from __future__ import annotations

import re
from typing import Any

from ..diff.engine import Change, DiffResult, Holding
from ..model.vocab import CHANGE_KINDS, CHANGE_LABELS_ZH, LIST_LABELS_ZH, TOWNSHIP_KINDS
from ..render.diff_out import summary_sentence
from .markup import Table, esc, link, page, safe_name
from .versions import SiteVersion

#: A side's units are named up to this many, then counted.
SHOWN_UNITS = 8

FIELD_LABELS = {
    "name": "名称",
    "category": "类别",
    "tasks": "具体工作",
    "basis": "依据",
    "approval": "批准文号",
    "replaces": "承继",
    "lead": "牵头部门",
    "lead_duty": "上级部门职责",
    "township_duty": "乡镇配合职责",
    "receiver": "承接部门",
    "method": "工作方式",
    "power_type": "权力类型",
    "list": "所在清单",
    "holders": "承担单位",
}
_PATH = re.compile(r"([A-Za-z_]+)\[(\d+)\](.*)")
_GROUPS = (("乡镇（街道）", TOWNSHIP_KINDS), ("县直部门", ("department",)), ("村（社区）", ("village",)))


def pair_file(base: SiteVersion, head: SiteVersion) -> str:
    return f"{base.slug}--{head.slug}.html"


class _Links:
    """Unit names as links to their pages: in head, else in base."""

    def __init__(self, base: SiteVersion, head: SiteVersion, result: DiffResult) -> None:
        self.base, self.head, self.names = base, head, result.unit_names

    def name(self, unit: str) -> str:
        return self.names.get(unit, unit)

    def href(self, unit: str) -> str | None:
        for v in (self.head, self.base):
            href = v.unit_href(unit, f"../{v.slug}/")
            if href:
                return href
        return None

    def unit(self, unit: str) -> str:
        href = self.href(unit)
        return link(href, self.name(unit)) if href else esc(self.name(unit))


def change_page(base: SiteVersion, head: SiteVersion, result: DiffResult) -> str:
    links = _Links(base, head, result)
    title = f"{base.label} → {head.label} 清单变化"
    body = [f"<h1>{esc(title)}</h1>\n", f'<p class="meta">{esc(head.title)}</p>\n']
    body.append(f"<p><strong>{esc(summary_sentence(result, 'zh'))}</strong></p>\n")
    counts = result.summary()
    if result.changes:
        rows = [
            [f'<a href="#kind-{k}">{esc(CHANGE_LABELS_ZH[k])}</a>', f"{counts[k]} {_noun(k)}"]
            for k in CHANGE_KINDS
            if counts[k]
        ]
        body.append("<h2>变化类型</h2>\n" + Table(["变化类型", "数量"], rows, frozenset({1}), narrow=True).render())
    grouped = _by_unit(result)
    if result.units:
        body.append("<h2>乡镇（街道）负担变化</h2>\n")
        body.append(
            '<p class="meta">负担按基本履职事项和配合履职事项计：新增或下放来的为增加，取消或上收的为减少。</p>\n'
        )
        rows = []
        for u in sorted(result.units, key=lambda u: (u.net, u.name, u.unit)):
            name = f'<a href="#u-{safe_name(u.unit)}">{esc(u.name)}</a>' if u.unit in grouped else links.unit(u.unit)
            net = f"{u.net:+d}" if u.net else "0"
            rows.append([name, str(u.gained), str(u.lost), net])
        table = Table(["乡镇（街道）", "增加", "减少", "净变化"], rows, frozenset({1, 2, 3}), narrow=True)
        body.append(table.render())
    if result.changes:
        body.append("<h2>按变化类型</h2>\n")
        for kind in CHANGE_KINDS:
            changes = [c for c in result.changes if c.kind == kind]
            if changes:
                heading = f"{CHANGE_LABELS_ZH[kind]}（{len(changes)} {_noun(kind)}）"
                body.append(f'<h3 id="kind-{kind}">{esc(heading)}</h3>\n<ul class="changes">\n')
                body.extend(_change_item(c, links) for c in changes)
                body.append("</ul>\n")
        body.append("<h2>各单位的变化</h2>\n")
        kinds = {**{u["id"]: u["kind"] for u in base.listing.units}, **{u["id"]: u["kind"] for u in head.listing.units}}
        burden = {u.unit: u for u in result.units}
        for heading, group in _GROUPS:
            units = [u for u in grouped if kinds.get(u) in group]
            if not units:
                continue
            body.append(f"<h3>{esc(heading)}</h3>\n")
            for unit in units:
                changes = grouped[unit]
                note = f"{len(changes)} 项变化"
                if unit in burden and (burden[unit].gained or burden[unit].lost):
                    note += f"；负担增加 {burden[unit].gained}、减少 {burden[unit].lost}"
                body.append(f'<section id="u-{safe_name(unit)}">\n<h4>{links.unit(unit)}（{esc(note)}）</h4>\n')
                body.append('<ul class="changes">\n' + "".join(_unit_item(c, unit, links) for c in changes) + "</ul>\n")
                body.append("</section>\n")
    crumbs: list[tuple[str | None, str]] = [
        ("../index.html", "全部版本"),
        (f"../{head.slug}/index.html", head.label),
        (None, title),
    ]
    return page(f"{title} · {head.title}", "../", crumbs, "".join(body))


def _noun(kind: str) -> str:
    return "个单位" if kind == "unit_renamed" else "项"


def _by_unit(result: DiffResult) -> dict[str, list[Change]]:
    """Units with the changes that touch them, in the order of units.yaml (head, then base)."""
    grouped: dict[str, list[Change]] = {}
    for change in result.changes:
        touched = {h.unit for h in change.after} if change.kind == "unit_renamed" else change.units()
        for unit in touched:
            grouped.setdefault(unit, []).append(change)
    position = {u: i for i, u in enumerate(result.unit_names)}
    return {u: grouped[u] for u in sorted(grouped, key=lambda u: (position.get(u, len(position)), u))}


def _kind(change: Change) -> str:
    return f'<span class="kind {esc(change.kind)}">{esc(CHANGE_LABELS_ZH.get(change.kind, change.kind))}</span>'


def _title(change: Change) -> str:
    return f"<strong>{esc(change.name)}</strong> <code>{esc(change.id)}</code>"


def _change_item(change: Change, links: _Links) -> str:
    """One change in the by-kind list: where the item was before and where it is after."""
    parts = [f"<li>{_title(change)}"]
    if change.kind == "unit_renamed":
        olds = "、".join(f"{esc(links.name(h.unit))}（<code>{esc(h.unit)}</code>）" for h in change.before)
        parts.append(f'<span class="side">{olds} → {links.unit(change.id)}</span>')
    else:
        if change.before:
            parts.append(
                f'<span class="side"><span class="label">调整前：</span>{_holders(change.before, links)}</span>'
            )
        lists_moved = {h.list for h in change.before} != {h.list for h in change.after}
        if change.after and (change.kind != "modified" or lists_moved):
            parts.append(
                f'<span class="side"><span class="label">调整后：</span>{_holders(change.after, links)}</span>'
            )
    parts.append(_details(change, None))
    return "".join(parts) + "</li>\n"


def _unit_item(change: Change, unit: str, links: _Links) -> str:
    """One change as one unit sees it: its lists before → after, or who holds the item now."""
    before, after = _unit_side(change.before, unit, links), _unit_side(change.after, unit, links)
    if change.kind == "unit_renamed":
        olds = "、".join(esc(links.name(h.unit)) for h in change.before)
        moved = f"{olds} → {esc(links.name(change.id))}"
    elif change.kind == "modified":  # where the item is now; a move it came with has its own line
        moved = after if unit in {h.unit for h in change.after} else before
    elif before == after:
        moved = before
    else:
        moved = f"{before} → {after}"
    return f"<li>{_kind(change)}{_title(change)}：{moved}{_details(change, unit)}</li>\n"


def _details(change: Change, unit: str | None) -> str:
    lines = []
    if change.replaces and change.kind != "unit_renamed":
        lines.append("承继：" + "、".join(f"<code>{esc(r)}</code>" for r in change.replaces))
    for f in change.fields:
        if unit is not None and f.get("units") and unit not in f["units"]:
            continue  # a field change of the same item in another unit
        lines.append(f"{esc(field_label(str(f['path'])))}：{_value(f.get('old'))} → {_value(f.get('new'))}")
    return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>" if lines else ""


def field_label(path: str) -> str:
    """``basis[1]`` -> 依据（第 2 条）; ``tasks`` -> 具体工作; anything else as written."""
    m = _PATH.fullmatch(path)
    if m:
        return f"{FIELD_LABELS.get(m.group(1), m.group(1))}（第 {int(m.group(2)) + 1} 条）{m.group(3)}"
    return FIELD_LABELS.get(path, path)


def _value(value: Any) -> str:
    if value is None:
        return '<span class="muted">（无）</span>'
    if isinstance(value, list):
        return esc("；".join(str(v) for v in value)) or '<span class="muted">（无）</span>'
    if value == "":
        return "“”"
    return f"“{esc(value)}”" if isinstance(value, str) else esc(value)


def _list_text(h: Holding, links: _Links) -> str:
    label = esc(LIST_LABELS_ZH.get(h.list, h.list))
    if h.lead:
        return f"{label}（牵头部门：{links.unit(h.lead)}）"
    if h.receiver:
        return f"{label}（承接部门：{links.unit(h.receiver)}）"
    return label


def _holders(holdings: list[Holding], links: _Links) -> str:
    """Who holds the item on one side: units grouped by list (and department), the first few named."""
    by_list: dict[str, list[str]] = {}
    for h in holdings:
        by_list.setdefault(_list_text(h, links), []).append(h.unit)
    texts = []
    for label, units in by_list.items():
        shown = "、".join(links.unit(u) for u in units[:SHOWN_UNITS])
        if len(units) > SHOWN_UNITS:
            shown += f" 等 {len(units)} 个单位"
        texts.append(f"{shown} {label}")
    return "；".join(texts) if texts else "—"


def _unit_side(holdings: list[Holding], unit: str, links: _Links) -> str:
    own = [h for h in holdings if h.unit == unit]
    if own:
        return "、".join(_list_text(h, links) for h in own)
    return _holders(holdings, links)
