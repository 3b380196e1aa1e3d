"""The pages of a version: the site's top index, a version's index, a unit's page.

A unit's tables are those of the published lists (``render.list_tables``: the XLSX and
Markdown renderings use the same columns): a township its 基本履职事项, 配合履职事项,
上级部门收回事项 and 权责清单; a department its 权责清单 and the townships' items it leads
or receives; a village its three lists. Department and township names in those tables
link to their pages; each item row has an anchor (``#basic-AL-B-001``) for search results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model.vocab import KIND_LABELS_ZH, LIST_LABELS_ZH, TOWNSHIP_KINDS, TOWNSHIP_LISTS, VILLAGE_LISTS
from ..render.list_tables import LEADS, RECEIVES, VIEW_TITLES, Column, table_title
from ..render.list_tables import Table as ListTable
from ..render.stats_out import lead_sentence, others_sentence
from ..render.svg_chart import svg_bytes
from ..stats import StatsResult
from .assets import SEARCH_JS
from .markup import Table, cell, esc, facts, json_script, link, page
from .search import row_anchor
from .versions import CHANGES_DIR, SiteVersion


@dataclass(frozen=True)
class ChangeLink:
    """A change page, as the indexes list it."""

    file: str  # its file name in changes/
    base: SiteVersion
    head: SiteVersion
    sentence: str  # 新增 7 项，取消 2 项，…


#: The index's sections: heading, which units, the count columns, a total column?
_SECTIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], bool], ...] = (
    ("乡镇（街道）", TOWNSHIP_KINDS, TOWNSHIP_LISTS, True),
    ("县直部门", ("department",), ("powers", LEADS, RECEIVES), False),
    ("村（社区）", ("village",), VILLAGE_LISTS, True),
)
_COUNT_HEADERS = {**LIST_LABELS_ZH, **VIEW_TITLES}
#: Columns whose text names a unit, and the entry field with that unit's id.
_UNIT_COLUMNS = {"牵头部门": "lead", "承接部门": "receiver", "乡镇": "unit"}


def _site_title(versions: list[SiteVersion]) -> str:
    region = versions[-1].manifest.get("region") or {}
    name = region.get("name") if isinstance(region, dict) else None
    return f"{name}乡镇（街道）履行职责事项清单" if name else "乡镇（街道）履行职责事项清单"


def top_index(versions: list[SiteVersion], changes: list[ChangeLink]) -> str:
    title = _site_title(versions)
    rows = []
    for v in versions:
        towns = sum(1 for u in v.listing.units if u["kind"] in TOWNSHIP_KINDS)
        rows.append(
            [
                link(f"{v.slug}/index.html", v.label),
                esc(v.title),
                esc(v.manifest.get("effective") or ""),
                esc(v.manifest.get("approval") or ""),
                str(towns),
                f"{int(v.manifest.get('entries') or 0):,}",
            ]
        )
    body = [f"<h1>{esc(title)}</h1>\n", "<h2>各版本清单</h2>\n"]
    body.append(
        Table(
            ["版本", "清单名称", "施行日期", "批准文号", "乡镇（街道）", "事项条目"], rows, frozenset({4, 5})
        ).render()
    )
    if changes:
        body.append("<h2>清单变化（动态调整）</h2>\n<ul>\n")
        body.extend(
            f"<li>{link(f'{CHANGES_DIR}/{c.file}', f'{c.base.label} → {c.head.label}')}：{esc(c.sentence)}</li>\n"
            for c in changes
        )
        body.append("</ul>\n")
    return page(title, "", [(None, title)], "".join(body))


def version_index(
    v: SiteVersion,
    stats: StatsResult,
    views: dict[str, dict[str, int]],
    changes: list[ChangeLink],
    search: dict[str, Any],
) -> str:
    """``views``: per department, the rows of its 牵头配合事项 and 收回承接事项 tables."""
    m = v.manifest
    region = m.get("region") or {}
    region_text = f"{region.get('name', '')}（{region.get('code', '')}）" if isinstance(region, dict) and region else ""
    body = [f"<h1>{esc(v.title)}</h1>\n"]
    body.append(
        facts(
            [
                ("版本", esc(v.label) + (f"（{esc(v.spec)}）" if v.spec != v.label else "")),
                ("行政区划", esc(region_text)),
                ("施行日期", esc(m.get("effective") or "")),
                ("批准文号", esc(m.get("approval") or "")),
                ("上一版本", esc(m.get("previous") or "")),
                ("事项条目", f"{int(m.get('entries') or 0):,}"),
                ("内容哈希", f"<code>{esc(m.get('hash') or '')}</code>"),
            ]
        )
    )
    body.append(f"<p>{esc(lead_sentence(stats, 'zh'))}</p>\n")
    others = others_sentence(stats, "zh")
    if others:
        body.append(f'<p class="meta">{esc(others)}</p>\n')
    mine = [c for c in changes if v is c.base or v is c.head]
    if mine:
        items = (
            f"<li>{link(f'../{CHANGES_DIR}/{c.file}', f'{c.base.label} → {c.head.label} 的变化')}</li>" for c in mine
        )
        body.append('<ul class="toc">' + "".join(items) + "</ul>\n")
    body.append(
        '<section class="search" aria-label="搜索">\n'
        '<label for="q">搜索事项</label>'
        '<input id="q" type="search" placeholder="事项名称、编码或单位名称" autocomplete="off">\n'
        '<p id="search-status" aria-live="polite"></p>\n<ol id="results"></ol>\n'
        "<noscript><p>搜索需要启用浏览器的 JavaScript；也可以从下面的单位列表逐个查看。</p></noscript>\n"
        "</section>\n"
    )
    if stats.townships:
        svg = svg_bytes(stats, "zh").decode("utf-8").split("\n", 1)[1]  # without the XML declaration
        svg = svg.replace(' xmlns="http://www.w3.org/2000/svg"', "", 1)  # not needed inline in HTML
        body.append(f'<figure class="chart">\n{svg}</figure>\n')
    counts = {u.id: u.counts for u in stats.units}
    names = v.names
    for heading, kinds, keys, total in _SECTIONS:
        units = [u for u in v.listing.units if u["kind"] in kinds]
        if not units:
            continue
        extra = {"town": "类型", "village": "所属乡镇"}.get(kinds[0])
        headers = [
            "单位",
            *([extra] if extra else []),
            *(_COUNT_HEADERS[k] for k in keys),
            *(["合计"] if total else []),
        ]
        rows = []
        for unit in units:
            held = {**counts.get(unit["id"], {}), **views.get(unit["id"], {})}
            numbers = [int(held.get(k, 0)) for k in keys]
            row = [link(v.unit_href(unit["id"]) or "", unit["name"])]
            if extra == "类型":
                row.append(esc(KIND_LABELS_ZH.get(unit["kind"], unit["kind"])))
            elif extra:
                township = str(unit.get("township") or "")
                href = v.unit_href(township)
                row.append(link(href, names[township]) if href and township in names else esc(township))
            row.extend(str(n) for n in numbers)
            if total:
                row.append(str(sum(numbers)))
            rows.append(row)
        numeric = frozenset(range(len(headers) - len(keys) - total, len(headers)))
        body.append(f"<h2>{esc(heading)}（{len(units)}个）</h2>\n" + Table(headers, rows, numeric).render())
    body.append(json_script("search-index", search))
    crumbs: list[tuple[str | None, str]] = [("../index.html", "全部版本"), (None, v.label)]
    return page(f"{v.title} · {v.label}", "../", crumbs, "".join(body), script=SEARCH_JS)


def unit_page(v: SiteVersion, unit: dict[str, Any], tables: list[ListTable]) -> str:
    display = v.display_name(unit)
    kind = KIND_LABELS_ZH.get(unit["kind"], unit["kind"])
    body = [f"<h1>{esc(display)}</h1>\n"]
    body.append(f'<p class="meta">{esc(v.title)} · {esc(kind)} · 单位编码 <code>{esc(unit["id"])}</code></p>\n')
    body.append(_relations(v, unit))
    if tables:
        body.append(
            '<ul class="toc">'
            + "".join(f'<li><a href="#{esc(t.key)}">{esc(t.title)}（{len(t.entries)}项）</a></li>' for t in tables)
            + "</ul>\n"
        )
    else:
        body.append('<p class="empty">本版本中没有该单位的事项。</p>\n')
    for t in tables:
        body.append(f'<section id="{esc(t.key)}">\n<h2>{esc(table_title(display, t, v.label))}</h2>\n')
        body.append(_list_table(v, t))
        body.append("</section>\n")
    crumbs: list[tuple[str | None, str]] = [
        ("../../index.html", "全部版本"),
        ("../index.html", v.label),
        (None, display),
    ]
    return page(f"{display} · {v.title}", "../../", crumbs, "".join(body))


def _relations(v: SiteVersion, unit: dict[str, Any]) -> str:
    """A village's township; a township's villages."""
    if unit["kind"] == "village":
        township = str(unit.get("township") or "")
        href = v.unit_href(township, "")
        if href and township in v.names:
            return f"<p>所属乡镇（街道）：{link('../' + href, v.names[township])}</p>\n"
        return ""
    villages = [u for u in v.listing.units if u["kind"] == "village" and u.get("township") == unit["id"]]
    if not villages:
        return ""
    links = "、".join(link(v.unit_href(u["id"], "../") or "", u["name"]) for u in villages)
    return f"<p>所辖村（社区）：{links}</p>\n"


def _list_table(v: SiteVersion, t: ListTable) -> str:
    linked = [_UNIT_COLUMNS.get(c.header) for c in t.columns]
    rows = []
    for number, entry in enumerate(t.entries, 1):
        rows.append([_cell(v, c, entry, number, key) for c, key in zip(t.columns, linked, strict=True)])
    ids = [row_anchor(t.key, str(e["id"])) for e in t.entries] if t.key not in (LEADS, RECEIVES) else None
    classes = ["seq" if i == 0 else "" for i in range(len(t.columns))]
    return Table([c.header for c in t.columns], rows, row_ids=ids, classes=classes).render()


def _cell(v: SiteVersion, column: Column, entry: dict[str, Any], number: int, unit_field: str | None) -> str:
    value = column.value(entry, number)
    if unit_field and value:
        href = v.unit_href(str(entry.get(unit_field) or ""), "../")
        if href:
            anchor = f"#{row_anchor(str(entry['list']), str(entry['id']))}" if unit_field == "unit" else ""
            return link(href + anchor, str(value))
    return cell(value)
