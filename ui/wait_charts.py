"""Chart builders for the contact centre's waits and hours: pure functions from the frames of
data_access.queries.waits to plotly figures (no streamlit, no data access).

Words come from the catalogue ([waits], [chart]), numbers and day names from Babel in the given
language; province marks carry their sigla in `customdata` (ui.charts.selected_provinces).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel.core import Locale

from data_access import i18n
from data_access.queries.waits import BANDS, band_column
from ui import formatting
from ui.charts import NO_DATA_GREY, PALETTE, SEQUENTIAL, VOLUME, bucket_label

LANG = formatting.LANG
HEIGHT = 360
ROW = 28  # pixels per province in the dot plot


def band_label(seconds: int, lang: str = LANG) -> str:
    """'Entro 60 s' ('Within 60 s')."""
    return i18n.text("waits.band", lang, seconds=seconds)


def weekday_names(lang: str = LANG) -> list[str]:
    """Abbreviated day names Monday first ('lun', 'mar', ... in Italian)."""
    days = Locale.parse(i18n.babel_locale(lang)).days["format"]["abbreviated"]
    return [str(days[i]) for i in range(7)]  # Babel: 0 is Monday


def bands_over_time_figure(frame: pd.DataFrame, *, grain: str, lang: str = LANG) -> go.Figure:
    """One line per band: the share of banded calls answered within it, per bucket (a gap
    where a bucket has no band data).
    """
    figure = go.Figure()
    buckets = [b if isinstance(b, date) else pd.Timestamp(b).date() for b in frame["bucket"]]
    when = [bucket_label(b, grain, lang, long=True) for b in buckets]
    for colour, seconds in zip(PALETTE, BANDS, strict=False):
        values = frame[band_column(seconds)].to_numpy(dtype=float)
        label = band_label(seconds, lang)
        hover = [
            f"{w}<br>{label}: {formatting.percent(v, 1, lang)}"
            for w, v in zip(when, values, strict=True)
        ]
        figure.add_trace(
            go.Scatter(
                x=buckets,
                y=values,
                name=label,
                mode="lines+markers",
                line={"color": colour, "width": 2},
                marker={"size": 5},
                hovertext=hover,
                hoverinfo="text",
                connectgaps=False,
            )
        )
    ticks = sorted(set(buckets))
    figure.update_xaxes(
        tickvals=ticks if len(ticks) <= 24 else None,
        ticktext=[bucket_label(b, grain, lang) for b in ticks] if len(ticks) <= 24 else None,
    )
    _percent_axis(figure.update_yaxes)
    return _styled(figure, HEIGHT)


def bands_by_province_figure(
    frame: pd.DataFrame, *, names: Mapping[str, str] | None = None, lang: str = LANG
) -> go.Figure:
    """Per province with band data, a dot per band on one row (ordered by the share within
    20 s, best on top); each dot carries the province's sigla for a click.
    """
    names = names or {}
    known = frame[frame["banded"] > 0].sort_values(band_column(BANDS[0]), kind="stable")
    siglas = known["province"].astype(str).tolist()
    rows = [names.get(s, s) for s in siglas]
    figure = go.Figure()
    for colour, seconds in zip(PALETTE, BANDS, strict=False):
        values = known[band_column(seconds)].to_numpy(dtype=float)
        label = band_label(seconds, lang)
        figure.add_trace(
            go.Scatter(
                x=values,
                y=rows,
                name=label,
                mode="markers",
                marker={"color": colour, "size": 11, "line": {"width": 1, "color": "white"}},
                customdata=siglas,
                hovertext=[
                    f"{r}<br>{label}: {formatting.percent(v, 1, lang)}"
                    for r, v in zip(rows, values, strict=True)
                ],
                hoverinfo="text",
            )
        )
    _percent_axis(figure.update_xaxes)
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=rows)
    return _styled(figure, max(200, 90 + ROW * len(rows)))


def hour_heatmap_figure(cells: pd.DataFrame, *, value: str, lang: str = LANG) -> go.Figure:
    """Weekday (rows, Monday on top) × hour (columns) coloured by value: 'contacts' (darker =
    more) or 'answer_rate' (darker = better; grey where nothing was queued).
    """
    grid = cells.pivot(index="weekday", columns="hour", values=value).sort_index()
    z = grid.to_numpy(dtype=float)
    days = weekday_names(lang)
    rate = value == "answer_rate"
    shown = [
        [formatting.percent(v, 1, lang) if rate else formatting.number(v, 0, lang) for v in row]
        for row in z
    ]
    label = i18n.text(f"waits.col.{value}", lang)
    hover = [
        [f"{days[w]} {h}–{h + 1}<br>{label}: {shown[w][h]}" for h in range(z.shape[1])]
        for w in range(z.shape[0])
    ]
    colours = SEQUENTIAL if rate else VOLUME
    scale = [[i / (len(colours) - 1), c] for i, c in enumerate(colours)]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=list(grid.columns),
            y=[days[w - 1] for w in grid.index],
            colorscale=scale,
            zmin=0,
            zmax=100 if rate else None,
            hovertext=hover,
            hoverinfo="text",
            xgap=1,
            ygap=1,
            colorbar={"ticksuffix": "%" if rate else "", "thickness": 12},
        )
    )
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(
        title=i18n.text("waits.hour_axis", lang), dtick=1, showgrid=False, range=[-0.5, 23.5]
    )
    figure.update_layout(plot_bgcolor=NO_DATA_GREY if rate and np.isnan(z).any() else "white")
    return _styled(figure, 300)


def _percent_axis(update) -> None:  # noqa: ANN001 - figure.update_xaxes or _yaxes
    update(range=[0, 101], ticksuffix="%", tickvals=[0, 20, 40, 60, 80, 100])


def _styled(figure: go.Figure, height: int) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        template="plotly_white",
    )
    return figure
