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
