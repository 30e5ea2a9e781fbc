"""A KPI tile's sparkline as a small SVG picture, which the browser draws at once.

st.metric's own sparkline (chart_data) is a Vega-Lite chart: the first one on a page loads
Vega's code and each one is laid out on its own, which measured about a second more to open the
overview's twelve tiles. A polyline in an <img> is drawn with the page.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

WIDTH, HEIGHT = 240, 40  # the picture's own size; st.image stretches it to the tile's width
PAD = 3  # so the line's width is not cut at the top and the bottom
STROKE = "#0F5FA6"  # the theme's primary colour (.streamlit/config.toml)


def sparkline_svg(values: Sequence[float], colour: str = STROKE) -> str:
    """The values, in order, as a line filling a WIDTH × HEIGHT box, lowest at the bottom; all
    equal: a flat line at mid-height; one value: a dot in the middle."""
    if not values:
        raise ValueError("a sparkline needs at least one value")
    low, high = min(values), max(values)

    def y(value: float) -> float:
        if high == low:
            return HEIGHT / 2
        return PAD + (high - value) / (high - low) * (HEIGHT - 2 * PAD)

    if len(values) == 1:
        mark = f'<circle cx="{WIDTH / 2:g}" cy="{y(values[0]):g}" r="3" fill="{colour}"/>'
    else:
        step = (WIDTH - 2 * PAD) / (len(values) - 1)
        points = " ".join(
            f"{PAD + index * step:.1f},{y(value):.1f}" for index, value in enumerate(values)
        )
        mark = (
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'stroke-linejoin="round" points="{points}"/>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">{mark}</svg>'
    )


def svg_of_data_url(url: str) -> str:
    """The SVG markup inside a data: URL as st.image sends it (for tests and checks)."""
    prefix = "data:image/svg+xml;base64,"
    if not url.startswith(prefix):
        raise ValueError(f"not an SVG data URL: {url[:40]}")
    return base64.b64decode(url[len(prefix) :]).decode("utf-8")
