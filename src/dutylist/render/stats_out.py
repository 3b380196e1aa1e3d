"""``dutylist stats`` for people and tools: text, JSON, CSV and Markdown.

Every people's form leads with the sentence counties publish (``共 15 个乡镇（街道），平均
每个 296 项：……``), then tables. Text on a terminal uses rich tables and colour; anywhere
else it is plain, aligned by display width (a CJK character takes two columns).
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from ..model.vocab import ALL_LISTS, KIND_LABELS_ZH, LIST_LABELS_ZH, VILLAGE_LISTS
from ..stats import DUTY_LISTS, GROUPS, CategoryRow, ListRow, PowerTypeRow, StatsResult, UnitCounts
from .cells import safe_cell
from .json_out import dumps
from .list_markdown import md_cell
from .styled import Line, rich_console, wants_color

StatsRenderer = Callable[[StatsResult, str, TextIO], None]

#: Glyph and terminal style of each list in the bar chart; the glyphs differ so the
#: stacking reads without colour too.
BAR_STYLE = {"basic": ("█", "blue"), "cooperative": ("▓", "dark_orange"), "recalled": ("░", "green")}
CHART_WIDTH = 64  # cells at most for the longest bar: fits an 80-column terminal

#: Words of the tables and charts: key -> (中文, English).
_WORDS = {
    "unit": ("单位", "unit"),
    "kind": ("类型", "kind"),
    "id": ("单位编码", "id"),
    "name": ("单位名称", "name"),
    "total": ("合计", "total"),
    "duty_total": ("履职事项合计", "duty_total"),
    "average": ("平均", "average"),
    "list": ("清单", "list"),
    "entries": ("事项总数", "entries"),
    "eligible": ("适用单位", "eligible"),
    "holders": ("有事项的单位", "holders"),
    "per_unit": ("平均每单位", "average"),
    "min": ("最少", "min"),
    "max": ("最多", "max"),
    "category": ("类别", "category"),
    "no_category": ("（未分类）", "(no category)"),
    "power_type": ("权力类型", "power type"),
    "version": ("版本", "version"),
    "chart": ("各乡镇（街道）事项数", "Items per township"),
    "by_list": ("按清单统计", "By list"),
    "by_category": ("按类别统计", "By category"),
    "by_power_type": ("按权力类型统计（权责清单）", "By power type (powers)"),
    "department": ("县直部门", "departments"),
    "township": ("乡镇（街道）", "townships"),
    "village": ("村（社区）", "villages"),
}


def word(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def list_label(key: str, lang: str) -> str:
    return LIST_LABELS_ZH[key] if lang == "zh" else key


def kind_label(kind: str, lang: str) -> str:
    return KIND_LABELS_ZH.get(kind, kind) if lang == "zh" else kind


def whole(num: int, den: int) -> int:
    """``num / den`` rounded half up to a whole number (what the published sentence shows)."""
    if den == 0:
        return 0
    return int((Decimal(num) / Decimal(den)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def lead_sentence(result: StatsResult, lang: str) -> str:
    """``共 15 个乡镇（街道），平均每个 296 项：基本履职事项 132 项、……`` (or its English)."""
    n = len(result.townships)
    if not n:
        units, entries = len(result.units), sum(result.totals.values())
        if lang == "zh":
            return f"没有乡镇（街道）；共 {units} 个单位，{entries} 项"
        return f"no townships; {units} units, {entries} items"
    avg = {k: whole(result.township_sum(k), n) for k in (*DUTY_LISTS, "total")}
    if lang == "zh":
        parts = "、".join(f"{LIST_LABELS_ZH[k]} {avg[k]} 项" for k in DUTY_LISTS)
        return f"共 {n} 个乡镇（街道），平均每个 {avg['total']} 项：{parts}"
    parts = ", ".join(f"{k} {avg[k]}" for k in DUTY_LISTS)
    noun = "township" if n == 1 else "townships"
    return f"{n} {noun}, {avg['total']} items each on average: {parts}"


def others_sentence(result: StatsResult, lang: str) -> str | None:
    """Departments and villages, which the lead sentence leaves out; None if there are none."""
    parts = []
    for group, lists in (("department", ("powers",)), ("village", VILLAGE_LISTS)):
        units = [u for u in result.units if u.group == group]
        if not units:
            continue
        sums = {k: sum(u.counts[k] for u in units) for k in lists}
        if lang == "zh":
            held = "、".join(f"{LIST_LABELS_ZH[k]} {sums[k]} 项" for k in lists)
            label = word(group, lang)
            space = "" if label.endswith("）") else " "
            parts.append(f"{label}{space}{len(units)} 个，{held}")
        else:
            held = ", ".join(f"{k} {sums[k]}" for k in lists)
            parts.append(f"{len(units)} {word(group, lang)} ({held})")
    if not parts:
        return None
    return ("另有" + "；".join(parts)) if lang == "zh" else ("also " + "; ".join(parts))


# -- tables -----------------------------------------------------------------------------


@dataclass
class Table:
    """A table for people: the first ``left`` columns are text, the others numbers."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    footer: list[list[str]] = field(default_factory=list)
    left: int = 1


Block = Table | list[Line]


def cell_width(text: str) -> int:
    """Display width in a terminal: East Asian wide and full-width characters take two cells."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(width - cell_width(text), 0)
    return fill + text if right else text + fill


def _sum_row(label: str, rows: list[list[str]], width: int, left: int = 1) -> list[str]:
    sums = [str(sum(int(r[i]) for r in rows)) for i in range(left, width)]
    return [label, *[""] * (left - 1), *sums]


def _duty(u: UnitCounts) -> list[int]:
    return [u.counts[k] for k in DUTY_LISTS]


def unit_tables(result: StatsResult, lang: str) -> list[Table]:
    """One table per unit group present: townships (with totals and averages), departments, villages."""
    tables = []
    towns = result.townships

    if towns:
        headers = [word("unit", lang), word("kind", lang), *(list_label(k, lang) for k in DUTY_LISTS)]
        headers += [word("total", lang), list_label("powers", lang)]
        rows = [
            [u.name, kind_label(u.kind, lang), *map(str, [*_duty(u), u.duty_total, u.counts["powers"]])] for u in towns
        ]
        avg = [f"{result.township_average(k):.1f}" for k in (*DUTY_LISTS, "total", "powers")]
        footer = [_sum_row(word("total", lang), rows, len(headers), 2), [word("average", lang), "", *avg]]
        tables.append(Table(word("township", lang), headers, rows, footer, left=2))
    for group, lists in (("department", ("powers",)), ("village", VILLAGE_LISTS)):
        units = [u for u in result.units if u.group == group]
        if not units:
            continue
        headers = [word("unit", lang), *(list_label(k, lang) for k in lists)]
        rows = [[u.name, *(str(u.counts[k]) for k in lists)] for u in units]
        if len(lists) > 1:
            headers.append(word("total", lang))
            rows = [[*row, str(sum(u.counts[k] for k in lists))] for row, u in zip(rows, units, strict=True)]
        tables.append(Table(word(group, lang), headers, rows, [_sum_row(word("total", lang), rows, len(headers))]))
    return tables


def rows_table(result: StatsResult, lang: str, every_column: bool = False) -> Table:
    """The ``rows`` of ``by`` list, category or power_type as a table.

    People see the columns and rows that hold something; ``every_column`` (CSV) keeps the
    shape fixed: every list, every unit group, every row.
    """
    if result.by == "list":
        shown = [r for r in result.rows if isinstance(r, ListRow) and (every_column or r.eligible or r.entries)]
        headers = [word(k, lang) for k in ("list", "entries", "eligible", "holders", "per_unit", "min", "max")]
        body = [
            [list_label(r.list, lang), *map(str, (r.entries, r.eligible, r.holders, r.average, r.min, r.max))]
            for r in shown
        ]
        return Table(word("by_list", lang), headers, body)
    if result.by == "category":
        cats = [r for r in result.rows if isinstance(r, CategoryRow)]
        lists = ALL_LISTS if every_column else [k for k in ALL_LISTS if any(r.counts[k] for r in cats)]
        headers = [word("category", lang), *(list_label(k, lang) for k in lists), word("total", lang)]
        body = [[category_label(r, lang), *(str(r.counts[k]) for k in lists), str(r.total)] for r in cats]
        return Table(word("by_category", lang), headers, body, [_sum_row(word("total", lang), body, len(headers))])
    types = [r for r in result.rows if isinstance(r, PowerTypeRow)]
    groups = [g for g in GROUPS if every_column or g != "village" or any(r.counts.get(g) for r in types)]
    headers = [word("power_type", lang), *(word(g, lang) for g in groups), word("total", lang)]
    body = [[r.power_type, *(str(r.counts.get(g, 0)) for g in groups), str(r.total)] for r in types]
    return Table(word("by_power_type", lang), headers, body, [_sum_row(word("total", lang), body, len(headers))])


def category_label(row: CategoryRow, lang: str) -> str:
    return row.category if row.category is not None else word("no_category", lang)


def tables(result: StatsResult, lang: str) -> list[Table]:
    """The tables of the chosen ``by``."""
    return unit_tables(result, lang) if result.by == "unit" else [rows_table(result, lang)]


# -- the bar chart ------------------------------------------------------------------------


def nice_step(largest: int, slots: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that fits ``largest`` into ``slots``."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if largest <= step * m * slots:
                return step * m
        step *= 10


def bar_chart(towns: Sequence[UnitCounts], lang: str, width: int = CHART_WIDTH) -> list[Line]:
    """A stacked horizontal bar per township, one glyph per ``step`` items."""
    if not towns:
        return []
    step = nice_step(max((u.duty_total for u in towns), default=0) or 1, width)
    legend: Line = []
    for key in DUTY_LISTS:
        glyph, style = BAR_STYLE[key]
        legend += [(glyph, style), (" " + list_label(key, lang) + "  ", "")]
    legend.append((f"（每格 {step} 项）" if lang == "zh" else f"(one block = {step} items)", "dim"))
    lines: list[Line] = [[(word("chart", lang), "bold")], legend]
    label_width = max(cell_width(u.name) for u in towns)
    for u in towns:
        line: Line = [(pad(u.name, label_width) + " ", "")]
        done, cum = 0, 0
        for key in DUTY_LISTS:
            glyph, style = BAR_STYLE[key]
            cum += u.counts[key]
            end = (cum * 2 + step) // (2 * step)  # cumulative rounding keeps the bar's length exact
            if end > done:
                line.append((glyph * (end - done), style))
                done = end
        line.append((f" {u.duty_total}", "bold"))
        lines.append(line)
    return lines


# -- writing ------------------------------------------------------------------------------


def _paragraph(result: StatsResult, lang: str) -> list[Line]:
    lines: list[Line] = [[(lead_sentence(result, lang), "bold")]]
    meta = f"{result.title} · " if result.title else ""
    lines.append([(f"{meta}{word('version', lang)} {result.version}", "dim")])
    others = others_sentence(result, lang)
    if others:
        lines.append([(others, "")])
    return lines


def render_text(result: StatsResult, lang: str, out: TextIO) -> None:
    blocks: list[Block] = [_paragraph(result, lang), *tables(result, lang)]
    if result.by == "unit" and result.townships:
        blocks.append(bar_chart(result.townships, lang))
    if wants_color(out):
        _write_rich(blocks, out)
    else:
        out.write("\n".join(_plain_block(b) for b in blocks))


def _plain_block(block: Block) -> str:
    if not isinstance(block, Table):
        return "".join("".join(text for text, _ in line) + "\n" for line in block)
    every = [block.headers, *block.rows, *block.footer]
    widths = [max(cell_width(row[i]) for row in every) for i in range(len(block.headers))]

    def fmt(row: list[str]) -> str:
        cells = [pad(c, widths[i], right=i >= block.left) for i, c in enumerate(row)]
        return "  ".join(cells).rstrip() + "\n"

    rule = "  ".join("-" * w for w in widths) + "\n"
    text = block.title + "\n" + fmt(block.headers) + rule + "".join(fmt(r) for r in block.rows)
    if block.footer:
        text += rule + "".join(fmt(r) for r in block.footer)
    return text


def _write_rich(blocks: list[Block], out: TextIO) -> None:
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    console = rich_console(out)
    for i, block in enumerate(blocks):
        if i:
            console.print()
        if not isinstance(block, Table):
            for line in block:
                text = Text()
                for chunk, style in line:
                    text.append(chunk, style=style or None)
                console.print(text)
            continue
        table = RichTable(
            title=block.title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, show_edge=False
        )
        for j, header in enumerate(block.headers):
            table.add_column(header, justify="left" if j < block.left else "right", no_wrap=True)
        for j, row in enumerate(block.rows):
            table.add_row(*row, end_section=j == len(block.rows) - 1 and bool(block.footer))
        for row in block.footer:
            table.add_row(*row, style="bold")
        console.print(table)


def render_json(result: StatsResult, lang: str, out: TextIO) -> None:
    out.write(dumps(result.to_json()))


def render_markdown(result: StatsResult, lang: str, out: TextIO) -> None:
    parts = [lead_sentence(result, lang) + "\n"]
    others = others_sentence(result, lang)
    if others:
        parts.append(others + "\n")
    for table in tables(result, lang):
        head = "| " + " | ".join(md_cell(h) for h in table.headers) + " |\n"
        align = "|" + "|".join("---" if i < table.left else "---:" for i in range(len(table.headers))) + "|\n"
        body = "".join("| " + " | ".join(md_cell(c) for c in row) + " |\n" for row in table.rows)
        foot = "".join(
            "| " + " | ".join(f"**{md_cell(c)}**" if c else "" for c in row) + " |\n" for row in table.footer
        )
        parts.append(f"### {md_cell(table.title)}\n\n{head}{align}{body}{foot}")
    out.write("\n".join(parts))


def csv_rows(result: StatsResult, lang: str) -> list[list[str]]:
    """Header and rows: one row per unit (``by unit``) or per row of the chosen ``by``; no totals row."""
    if result.by != "unit":
        table = rows_table(result, lang, every_column=True)
        return [table.headers, *table.rows]
    header = [word(k, lang) for k in ("id", "name", "kind")]
    header += [*(list_label(k, lang) for k in ALL_LISTS), word("duty_total", lang)]
    return [header] + [
        [u.id, u.name, kind_label(u.kind, lang), *(str(u.counts[k]) for k in ALL_LISTS), str(u.duty_total)]
        for u in result.units
    ]


def render_csv(result: StatsResult, lang: str, out: TextIO) -> None:
    out.write("\ufeff")  # Excel opens UTF-8 CSV as UTF-8 only with a BOM
    rows = [[safe_cell(cell) for cell in row] for row in csv_rows(result, lang)]  # names come from pull requests
    csv.writer(out, lineterminator="\r\n").writerows(rows)


STATS_RENDERERS: dict[str, StatsRenderer] = {
    "text": render_text,
    "json": render_json,
    "csv": render_csv,
    "markdown": render_markdown,
}
