"""Charts of the contact-centre page: the ARERA compliance grid (month × province), calls as
stacked bars over time and contacts by topic over time."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from data_access import i18n
from data_access.kpis import Kpi
from ui import formatting
from ui.charts import HOVER, NO_DATA_GREY, PALETTE, _separators, bucket_label

# met / missed as on the maps (blue meets, orange misses), a light grey where no standard is in
# force and the maps' grey where there is no data; each cell also carries ✓ or ✗ in its text,
# so the status never rests on colour alone
STATUS_COLOURS = {
    "met": "#4393C3",
    "missed": "#E08214",
    "no_standard": "#EEEEEE",
    "no_data": NO_DATA_GREY,
}
STATUS_MARKS = {"met": "✓", "missed": "✗", "no_standard": "", "no_data": ""}
STATUS_ORDER = ("met", "missed", "no_standard", "no_data")
CALL_COLOURS = {"answered": PALETTE[0], "abandoned": PALETTE[1], "other": "#8C8C8C"}
ROW_HEIGHT = 34  # pixels per province in the grid
CLICK_MARKER = 26  # pixels: the invisible click target on each cell of the grid


def _word(key: str, lang: str, **values: object) -> str:
    return i18n.text(f"centre.{key}", lang, **values)


def _discrete_scale() -> list[list[float | str]]:
    """A plotly colorscale giving each status index (0…3 over zmin 0, zmax 3) one flat colour."""
    steps = len(STATUS_ORDER)
    scale: list[list[float | str]] = []
    for index, status in enumerate(STATUS_ORDER):
        colour = STATUS_COLOURS[status]
        scale += [[index / steps, colour], [(index + 1) / steps, colour]]
    return scale


def cell_text(value: float, status: str, kpi: Kpi, lang: str) -> str:
    """The text of a grid cell: the value as shown and ✓/✗ ('57,0% ✗'); '–' without data."""
    if status == "no_data" or math.isnan(value):
        return formatting.MISSING
    mark = STATUS_MARKS[status]
    shown = formatting.kpi_value(value, kpi, lang)
    return f"{shown} {mark}" if mark else shown


def compliance_figure(
    grid: pd.DataFrame,
    *,
    kpi: Kpi,
    standards: Mapping[tuple[date, str], str],
    names: Mapping[str, str],
    lang: str,
) -> go.Figure:
    """The compliance_grid as a month × province heatmap coloured met / missed, the value and
    ✓/✗ in each cell, and an invisible point on each cell carrying its province (a click on
    a heatmap selects nothing in plotly; a point does), whose hover says the standard.

    standards: per (month, sigla) the standard's phrase ('Standard ARERA ≥ 80,0%'), '' for none.
    """
    months = sorted(set(grid["bucket"]))
    siglas = sorted(set(grid["province"]), key=lambda s: names.get(s, s))
    x = [bucket_label(month, "month", lang) for month in months]
    y = [names.get(sigla, sigla) for sigla in siglas]
    cells = {(row.bucket, row.province): row for row in grid.itertuples()}
    z, text = [], []
    hover_x, hover_y, hover_text, custom = [], [], [], []
    for sigla, name in zip(siglas, y, strict=True):
        z_row, text_row = [], []
        for month, label in zip(months, x, strict=True):
            row = cells.get((month, sigla))
            status = row.status if row is not None else "no_data"
            value = float(row.value) if row is not None else math.nan
            z_row.append(STATUS_ORDER.index(status))
            text_row.append(cell_text(value, status, kpi, lang))
            said = [f"<b>{name}</b>", bucket_label(month, "month", lang, long=True)]
            said.append(f"{kpi.label(lang)}: {formatting.kpi_value(value, kpi, lang)}")
            if standards.get((month, sigla)):
                said.append(standards[(month, sigla)])
            said.append(_word(f"status.{status}", lang))
            hover_x.append(label)
            hover_y.append(name)
            hover_text.append("<br>".join(said))
            custom.append(sigla)
        z.append(z_row)
        text.append(text_row)
    figure = go.Figure(
        go.Heatmap(
            x=x,
            y=y,
            z=z,
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=len(STATUS_ORDER),
            colorscale=_discrete_scale(),
            showscale=False,
            xgap=2,
            ygap=2,
            hoverinfo="skip",
            name=kpi.label(lang),
        )
    )
    figure.add_trace(
        go.Scatter(
            x=hover_x,
            y=hover_y,
            mode="markers",
            customdata=custom,
            marker={"size": CLICK_MARKER, "color": "rgba(0,0,0,0)", "symbol": "square"},
            selected={"marker": {"opacity": 0}},
            unselected={"marker": {"opacity": 0}},
            hovertext=hover_text,
            hovertemplate=HOVER,
            name=kpi.label(lang),
            showlegend=False,
        )
    )
    for status in STATUS_ORDER:  # the legend: one square per status that occurs
        if (grid["status"] == status).any():
            figure.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    marker={"size": 12, "color": STATUS_COLOURS[status], "symbol": "square"},
                    name=_word(f"status.{status}", lang),
                    hoverinfo="skip",
                )
            )
    figure.update_xaxes(type="category", side="top", showgrid=False)
    figure.update_yaxes(type="category", autorange="reversed", showgrid=False)
    figure.update_layout(
        height=110 + ROW_HEIGHT * len(siglas),
        margin={"l": 8, "r": 8, "t": 40, "b": 8},
        separators=_separators(lang),
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0},
        plot_bgcolor="white",
    )
    return figure


def _calls_hover(bucket: date, row: pd.Series, grain: str, lang: str) -> str:
    lines = [f"<b>{bucket_label(bucket, grain, lang, long=True)}</b>"]
    for part in ("offered", "answered", "abandoned", "other"):
        count = formatting.number(float(row[part]), 0, lang)
        lines.append(f"{_word(f'calls.{part}', lang)}: {count}")
    return "<br>".join(lines)


def calls_figure(counts: pd.DataFrame, *, grain: str, lang: str) -> go.Figure:
    """Calls per bucket as stacked bars of answered, abandoned and other unanswered calls: each
    bar's height is the calls offered. A part that is zero everywhere is left out."""
    buckets = [pd.Timestamp(b).date() for b in counts["bucket"]]
    x = [bucket_label(b, grain, lang) for b in buckets]
    hover = [
        _calls_hover(b, row, grain, lang)
        for b, (_, row) in zip(buckets, counts.iterrows(), strict=True)
    ]
    figure = go.Figure()
    for part, colour in CALL_COLOURS.items():
        if not counts[part].any():
            continue
        figure.add_trace(
            go.Bar(
                x=x,
                y=counts[part].tolist(),
                name=_word(f"calls.{part}", lang),
                marker={"color": colour},
                hovertext=hover,
                hovertemplate=HOVER,
            )
        )
    figure.update_xaxes(type="category")
    figure.update_yaxes(separatethousands=True, tickformat=",.0f", rangemode="tozero")
    figure.update_layout(
        barmode="stack",
        height=360,
        margin={"l": 8, "r": 8, "t": 24, "b": 8},
        separators=_separators(lang),
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        dragmode=False,
    )
    return figure


def topics_figure(
    series: pd.DataFrame, *, grain: str, names: Mapping[str, str], lang: str
) -> go.Figure:
    """Contacts per bucket by topic as a stacked area: the height is all contacts, each band a
    topic, largest topic at the bottom."""
    buckets = sorted({pd.Timestamp(b).date() for b in series["bucket"]})
    x = [bucket_label(b, grain, lang) for b in buckets]
    order = series.groupby("topic")["contacts"].sum().sort_values(ascending=False).index
    figure = go.Figure()
    for index, topic in enumerate(order):
        rows = series[series["topic"] == topic]
        counts = dict(zip((pd.Timestamp(b).date() for b in rows["bucket"]), rows["contacts"],
                          strict=True))  # fmt: skip
        values = [int(counts.get(b, 0)) for b in buckets]
        name = names.get(topic, topic)
        figure.add_trace(
            go.Scatter(
                x=x,
                y=values,
                name=name,
                stackgroup="topics",
                mode="lines",
                line={"width": 0.5, "color": PALETTE[index % len(PALETTE)]},
                hovertext=[
                    f"<b>{name}</b><br>{bucket_label(b, grain, lang, long=True)}<br>"
                    f"{formatting.number(float(v), 0, lang)}"
                    for b, v in zip(buckets, values, strict=True)
                ],
                hovertemplate=HOVER,
            )
        )
    figure.update_xaxes(type="category")
    figure.update_yaxes(separatethousands=True, tickformat=",.0f", rangemode="tozero")
    figure.update_layout(
        height=380,
        margin={"l": 8, "r": 8, "t": 24, "b": 8},
        separators=_separators(lang),
        legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0},
        dragmode=False,
    )
    return figure
