"""The per-township stacked bar chart of ``dutylist stats`` as a standalone SVG.

One horizontal bar per township (basic, cooperative and recalled stacked), township names
on the left, the total at each bar's end, a legend, and value ticks with grid lines. The
file needs nothing else: no fonts are embedded or fetched, the font list ends in the generic
``sans-serif``, and the layout measures text by its display width (a CJK character counts
as two narrow ones), so it holds with whatever CJK font the viewer has. Same result, same
bytes: coordinates are printed with fixed precision and nothing depends on time or order
of a dict.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..stats import DUTY_LISTS, StatsResult
from .stats_out import cell_width, lead_sentence, list_label, nice_step

FONT_FAMILY = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
COLORS = {"basic": "#4E79A7", "cooperative": "#F28E2B", "recalled": "#59A14F"}

WIDTH = 960  # at least; wider when the title needs it
ROW = 28  # height of one township's row
BAR = 18  # height of its bar
LABEL_SIZE = 14
VALUE_SIZE = 12
EM = 0.56  # estimated advance of one display cell, in em: generous for Latin, ~exact for CJK


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, size: float) -> float:
    return cell_width(text) * size * EM


def _text(x: float, y: float, text: str, size: float, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}"{extra}>{escape(text)}</text>'


def _title(result: StatsResult, lang: str) -> str:
    if lang == "zh":
        return result.title or f"各乡镇（街道）事项数（{result.version}）"
    region = (result.region or {}).get("name")
    prefix = f"{region}: " if region else ""
    return f"{prefix}items per township, version {result.version}"


def svg_bytes(result: StatsResult, lang: str) -> bytes:
    """The chart as the bytes of an SVG document (UTF-8)."""
    towns = result.townships
    title, subtitle = _title(result, lang), lead_sentence(result, lang)
    names_width = max((_text_width(u.name, LABEL_SIZE) for u in towns), default=0.0)
    left = 24 + names_width + 12
    right = 24 + _text_width("0" * len(str(max((u.duty_total for u in towns), default=0))), VALUE_SIZE) + 8
    width = max(WIDTH, 48 + round(max(_text_width(title, 18), _text_width(subtitle, 13))))
    plot = width - left - right
    largest = max((u.duty_total for u in towns), default=0)
    step = nice_step(largest or 1, 8)
    axis_max = max(step, -(-largest // step) * step)
    scale = plot / axis_max
    top = 120
    height = top + len(towns) * ROW + (44 if towns else 24)

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family={quoteattr(FONT_FAMILY)} role="img">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(subtitle)}</desc>",
        f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>',
        _text(24, 34, title, 18, font_weight="bold", fill="#1F2933"),
        _text(24, 60, subtitle, 13, fill="#3E4C59"),
    ]
    x = 24.0
    for key in DUTY_LISTS:
        label = list_label(key, lang)
        out.append(f'<rect x="{_num(x)}" y="76" width="12" height="12" fill="{COLORS[key]}"/>')
        out.append(_text(x + 18, 87, label, 12, fill="#3E4C59"))
        x += 18 + _text_width(label, 12) + 24
    if not towns:
        out.append("</svg>")
        return ("\n".join(out) + "\n").encode()

    bottom = top + len(towns) * ROW
    out.append('<g class="axis" fill="#7B8794" stroke="#E4E7EB">')
    for tick in range(0, axis_max + 1, step):
        tx = left + tick * scale
        out.append(f'<line x1="{_num(tx)}" y1="{top - 6}" x2="{_num(tx)}" y2="{bottom + 4}"/>')
        out.append(_text(tx, bottom + 20, str(tick), 11, text_anchor="middle", stroke="none"))
    out.append("</g>")

    for i, u in enumerate(towns):
        y = top + i * ROW + (ROW - BAR) / 2
        mid = y + BAR / 2 + 4.5
        out.append(f'<g class="township" data-id={quoteattr(u.id)}>')
        out.append(_text(left - 10, mid, u.name, LABEL_SIZE, text_anchor="end", fill="#1F2933"))
        start = 0
        for key in DUTY_LISTS:
            n = u.counts[key]
            if not n:
                continue
            sx, sw = left + start * scale, n * scale
            tip = f"{u.name} · {list_label(key, lang)} {n}"
            out.append(
                f'<rect x="{_num(sx)}" y="{_num(y)}" width="{_num(sw)}" height="{BAR}" fill="{COLORS[key]}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            if sw >= _text_width(str(n), 11) + 8:
                out.append(_text(sx + sw / 2, mid - 0.5, str(n), 11, text_anchor="middle", fill="#FFFFFF"))
            start += n
        end = left + start * scale
        out.append(_text(end + 6, mid, str(u.duty_total), VALUE_SIZE, font_weight="bold", fill="#1F2933"))
        out.append("</g>")
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode()


def write_svg(result: StatsResult, path: Path, lang: str) -> Path:
    """Write the chart to ``path`` atomically (a temporary file beside it, then a rename)."""
    data = svg_bytes(result, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a chart is for sharing
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
