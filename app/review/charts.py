"""Small server-rendered SVG bar charts: no JavaScript, no external library, readable without colour.

Each chart carries a <title> and a text label per bar, and pages show the same numbers in
a table next to it, so screen-reader users get the figures too.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 150
BAR_WIDTH = 260


def bar_chart(title: str, bars: list[tuple[str, float, str]], *, maximum: float | None = None) -> Markup:
    """Horizontal bars: (label, value, value as shown). ``maximum`` fixes the scale (e.g. 1.0 for shares)."""
    top = maximum if maximum is not None else max((value for _, value, _ in bars), default=0.0)
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 140
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for index, (label, value, shown) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = 0 if top <= 0 else round(BAR_WIDTH * min(value, top) / top)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" class="bar"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 16}">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


TREND_HEIGHT = 120
TREND_COLUMN = 14
TREND_LEFT = 48
TREND_BOTTOM = 34


def trend_chart(title: str, columns: list[tuple[str, float, str]], *, maximum: float | None = None,
                axis_label: str = "") -> Markup:
    """Vertical columns over days, oldest left: (day, value, value as shown). The y axis is labelled at 0 and at
    its top, every fifth day is named on the x axis, and each column's title carries its day and value (the
    page's table holds the same figures for screen readers)."""
    top = maximum if maximum is not None else max((value for _, value, _ in columns), default=0.0)
    width = TREND_LEFT + max(1, len(columns)) * TREND_COLUMN + 16
    height = TREND_HEIGHT + TREND_BOTTOM + 10
    base = 10 + TREND_HEIGHT
    top_label = axis_label or (f"{top:g}" if top else "0")
    parts = [f'<svg class="chart trend" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<line x1="{TREND_LEFT - 4}" y1="10" x2="{TREND_LEFT - 4}" y2="{base}" class="axis"/>',
             f'<line x1="{TREND_LEFT - 4}" y1="{base}" x2="{width - 8}" y2="{base}" class="axis"/>',
             f'<text x="{TREND_LEFT - 8}" y="16" text-anchor="end">{escape(top_label)}</text>',
             f'<text x="{TREND_LEFT - 8}" y="{base}" text-anchor="end">0</text>']
    for index, (day, value, shown) in enumerate(columns):
        x = TREND_LEFT + index * TREND_COLUMN
        length = 0 if top <= 0 else round(TREND_HEIGHT * min(value, top) / top)
        parts.append(f'<rect x="{x}" y="{base - length}" width="{TREND_COLUMN - 3}" height="{length}" class="bar">'
                     f'<title>{escape(day)}: {escape(shown)}</title></rect>')
        if index % 5 == 0 or index == len(columns) - 1:
            parts.append(f'<text x="{x + (TREND_COLUMN - 3) / 2}" y="{base + 16}" text-anchor="middle" '
                         f'class="tick">{escape(day[-5:])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
