"""Chart builders for the Canali page: pure functions from DataFrames to plotly figures.

Like ui.charts (whose helpers they reuse): no streamlit, no data access; words from the
catalogue (keys "channels_page.chart.*" and "chart.*"), numbers through ui.formatting. A mark
for a province carries its sigla in customdata, so charts.selected_provinces reads a click.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data_access import i18n
from data_access.kpis import Kpi
from data_access.models import KpiTarget
from ui import charts, formatting

LANG = formatting.LANG
MIX_HEIGHT = 420
BAR_ROW = 28  # pixels per bar row
HOVER = charts.HOVER
COLOURS = (*charts.PALETTE, "#999999")  # Okabe-Ito and a grey: nine channels, nine colours


def _text(key: str, lang: str, **values: object) -> str:
    return i18n.text(f"channels_page.chart.{key}", lang, **values)


def reference_label(target: KpiTarget, kpi: Kpi, lang: str = LANG) -> str:
    """'Riferimento Hera ≥ 8,0%': a reference line's label naming where it comes from."""
    key = f"tile.source.{target.source}"
    source = i18n.text(key, lang) if target.source in ("ARERA", "internal") else target.source
    sign = "≥" if target.direction == "min" else "≤"
    value = formatting.kpi_value(target.threshold, kpi, lang)
    return _text("reference", lang, source=source, sign=sign, value=value)


def name_reference(figure: go.Figure, target: KpiTarget, kpi: Kpi, lang: str = LANG) -> go.Figure:
    """Relabel the target mark ui.charts drew ('Obiettivo ≥ 8,0%') with the reference's source."""
    generic = i18n.text("chart.target", lang, value=f"{'≥' if kpi.better == 'higher' else '≤'} "
                        f"{formatting.kpi_value(target.threshold, kpi, lang)}")  # fmt: skip
    label = reference_label(target, kpi, lang)
    for annotation in figure.layout.annotations:
        if annotation.text and generic in annotation.text:
            annotation.text = annotation.text.replace(generic, label)
    return figure


def _day(bucket: object) -> date:
    return pd.Timestamp(bucket).date()


def _bucket_x(buckets: pd.Series) -> np.ndarray:
    return np.array([pd.Timestamp(b).date().isoformat() for b in buckets], dtype=object)


def _time_axis(figure: go.Figure, buckets: list[date], grain: str, lang: str) -> None:
    """Ticks on at most charts.MAX_TICKS buckets, labelled as the trends page labels them."""
    step = max(1, math.ceil(len(buckets) / charts.MAX_TICKS))
    ticks = buckets[::step]
    figure.update_xaxes(
        type="date",
        tickvals=[tick.isoformat() for tick in ticks],
        ticktext=charts._axis_labels(ticks, grain, lang),
        tickangle=0,
    )


def _legend_below(figure: go.Figure, height: int) -> None:
    figure.update_layout(
        height=height,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "font": {"size": 11}},
        margin={"l": 8, "r": 8, "t": 40, "b": 8},
        hovermode="closest",
    )


def mix_figure(
    mix: pd.DataFrame,
    *,
    shares: bool,
    grain: str,
    names: Mapping[str, str],
    lang: str = LANG,
) -> go.Figure:
    """Contacts per channel stacked over the buckets: as shares of each bucket (100% stacked
    area) or as volumes. mix: bucket, channel, value (contacts), share (queries.channels).

    Channels are stacked largest first (by contacts over the whole period), so the big bands
    sit at the bottom and a shift between them reads at a glance.
    """
    figure = go.Figure()
    if mix.empty:
        return charts._empty(figure, lang)
    totals = mix.groupby("channel")["value"].sum().sort_values(ascending=False)
    buckets = sorted({pd.Timestamp(b).date() for b in mix["bucket"]})
    for index, channel in enumerate(totals.index):
        rows = mix[mix["channel"] == channel].set_index("bucket")
        rows.index = [pd.Timestamp(b).date() for b in rows.index]
        rows = rows.reindex(buckets)
        counts = rows["value"].fillna(0.0).to_numpy(dtype="float64")
        share = rows["share"].to_numpy(dtype="float64")
        name = names.get(channel, channel)
        hover = [
            f"<b>{name}</b><br>{charts.bucket_label(b, grain, lang, long=True)}<br>"
            + _text(
                "mix_hover",
                lang,
                share=formatting.percent(s, 1, lang),
                contacts=formatting.number(c, 0, lang),
            )
            for b, s, c in zip(buckets, share, counts, strict=True)
        ]
        figure.add_trace(
            go.Scatter(
                x=[b.isoformat() for b in buckets],
                y=np.nan_to_num(share) if shares else counts,
                name=name,
                mode="lines",
                stackgroup="mix",
                line={"width": 0.5, "color": COLOURS[index % len(COLOURS)]},
                hovertext=hover,
                hovertemplate=HOVER,
            )
        )
    _time_axis(figure, buckets, grain, lang)
    if shares:
        figure.update_yaxes(range=[0, 100], ticksuffix="%", dtick=20)
    else:
        figure.update_yaxes(separatethousands=True, tickformat=",.0f", rangemode="tozero")
    figure.update_layout(separators=charts._separators(lang))
    _legend_below(figure, MIX_HEIGHT)
    return figure


def channel_lines_figure(
    series: pd.DataFrame,
    *,
    kpi: Kpi,
    grain: str,
    names: Mapping[str, str],
    lang: str = LANG,
) -> go.Figure:
    """One line per channel over the buckets (e.g. each channel's adoption), in kpi's unit."""
    figure = go.Figure()
    if series.empty or series["value"].isna().all():
        return charts._empty(figure, lang)
    latest = series.sort_values("bucket").groupby("channel")["value"].last()
    order = latest.sort_values(ascending=False).index
    for index, channel in enumerate(order):
        rows = series[series["channel"] == channel].sort_values("bucket")
        name = names.get(channel, channel)
        hover = [
            f"<b>{name}</b><br>{charts.bucket_label(_day(b), grain, lang, long=True)}"
            f"<br>{formatting.kpi_value(v, kpi, lang)}"
            for b, v in zip(rows["bucket"], rows["value"], strict=True)
        ]
        figure.add_trace(
            go.Scatter(
                x=_bucket_x(rows["bucket"]),
                y=rows["value"].to_numpy(dtype="float64"),
                name=name,
                mode="lines+markers",
                line={"color": COLOURS[index % len(COLOURS)], "width": 2},
                marker={"size": 5},
                hovertext=hover,
                hovertemplate=HOVER,
            )
        )
    buckets = sorted({pd.Timestamp(b).date() for b in series["bucket"]})
    _time_axis(figure, buckets, grain, lang)
    figure.update_yaxes(ticksuffix=charts._axis_suffix(kpi, lang), rangemode="tozero")
    figure.update_layout(separators=charts._separators(lang))
    _legend_below(figure, MIX_HEIGHT)
    return figure


def ranked_bars_figure(
    values_by_province: pd.DataFrame,
    *,
    kpi: Kpi,
    target: float | None,
    names: Mapping[str, str],
    lang: str = LANG,
) -> go.Figure:
    """Provinces as horizontal bars from zero, best at the top by kpi.better, each labelled
    with its value and clickable (customdata: the sigla). values_by_province: province, value.

    With a target the axis reaches it and it is a dashed line labelled in the top margin (the
    page names its source with name_reference); bars that miss it, judged at the precision
    shown, are orange with their label inside the bar's end, so the line crosses no label.
    Provinces without a value are listed last with 'nessun dato' and no bar.
    """
    figure = go.Figure()
    frame = values_by_province.drop_duplicates("province")
    known = frame[frame["value"].notna()].sort_values(
        ["value", "province"], ascending=[kpi.better == "lower", True]
    )
    if known.empty:
        return charts._empty(figure, lang)
    ordered = pd.concat([known, frame[frame["value"].isna()].sort_values("province")])
    siglas = ordered["province"].astype(str).tolist()
    values = ordered["value"].to_numpy(dtype="float64")
    display = [names.get(s, s) for s in siglas]
    texts = ["" if math.isnan(v) else formatting.kpi_value(v, kpi, lang) for v in values]
    colours = [charts._dot_colour(v, kpi, target) for v in values]
    figure.add_trace(
        go.Bar(
            y=display,
            x=values,
            orientation="h",
            customdata=np.array(siglas, dtype=object),
            text=texts,
            textposition=["outside" if c == charts.PALETTE[0] else "inside" for c in colours],
            insidetextanchor="end",
            insidetextfont={"color": charts.DARK_TEXT},
            cliponaxis=False,
            marker={"color": colours},
            hovertext=[f"<b>{n}</b><br>{t}" for n, t in zip(display, texts, strict=True)],
            hovertemplate=HOVER,
            name=kpi.label(lang),
        )
    )
    for name, value in zip(display, values, strict=True):
        if math.isnan(value):
            figure.add_annotation(
                x=0, y=name, text=i18n.text("chart.no_data", lang), showarrow=False,
                xanchor="left",
            )  # fmt: skip
    high = max(float(known["value"].max()), target if target is not None else 0.0) * 1.2 or 1.0
    if target is not None:
        charts._target_mark(figure, target, kpi, lang, (0.0, high), horizontal=False,
                            rows=len(known))  # fmt: skip
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(
        range=[0, high], ticksuffix=charts._axis_suffix(kpi, lang), separatethousands=True,
        tickformat=charts._tick_format(kpi),
    )  # fmt: skip
    figure.update_layout(
        height=120 + BAR_ROW * len(display),
        margin={"l": 8, "r": 16, "t": 64, "b": 8},  # the reference's label under the toolbar
        separators=charts._separators(lang),
        showlegend=False,
    )
    return figure


def segment_bars_figure(
    values: pd.DataFrame,
    *,
    kpi: Kpi,
    provinces: Mapping[str, str],
    segments: Mapping[str, str],
    lang: str = LANG,
) -> go.Figure:
    """A KPI per province and segment as grouped horizontal bars, one colour per segment;
    provinces ordered by name, each bar clickable (customdata: the sigla). values: province,
    segment, value, n.
    """
    figure = go.Figure()
    known = values[values["value"].notna()]
    if known.empty:
        return charts._empty(figure, lang)
    siglas = sorted(set(known["province"]), key=lambda s: provinces.get(s, s))
    for index, segment in enumerate(sorted(set(known["segment"]))):
        rows = known[known["segment"] == segment].set_index("province").reindex(siglas)
        label = segments.get(segment, segment)
        texts = [formatting.kpi_value(v, kpi, lang) for v in rows["value"]]
        figure.add_trace(
            go.Bar(
                y=[provinces.get(s, s) for s in siglas],
                x=rows["value"].to_numpy(dtype="float64"),
                orientation="h",
                name=label,
                customdata=np.array(siglas, dtype=object),
                text=texts,
                textposition="outside",
                cliponaxis=False,
                marker={"color": COLOURS[index % len(COLOURS)]},
                hovertext=[
                    f"<b>{provinces.get(s, s)}</b><br>{label}<br>{t}<br>"
                    + i18n.text("chart.n", lang, n=formatting.number(n, 0, lang))
                    for s, t, n in zip(siglas, texts, rows["n"].fillna(0.0), strict=True)
                ],
                hovertemplate=HOVER,
            )
        )
    high = float(known["value"].max())
    figure.update_xaxes(
        range=[0, high * 1.2], ticksuffix=charts._axis_suffix(kpi, lang), rangemode="tozero"
    )
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_layout(barmode="group", separators=charts._separators(lang))
    _legend_below(figure, 140 + 2 * BAR_ROW * len(siglas))
    return figure


def channel_bars_figure(
    values: pd.DataFrame,
    *,
    kpi: Kpi,
    names: Mapping[str, str],
    lang: str = LANG,
) -> go.Figure:
    """A KPI per channel as horizontal bars from zero, largest first (a rate such as contacts
    per 1,000 customers). values: channel, value, n.
    """
    figure = go.Figure()
    known = values[values["value"].notna()].sort_values("value", ascending=False)
    if known.empty:
        return charts._empty(figure, lang)
    labels = [names.get(c, c) for c in known["channel"]]
    texts = [formatting.kpi_value(v, kpi, lang) for v in known["value"]]
    figure.add_trace(
        go.Bar(
            y=labels,
            x=known["value"].to_numpy(dtype="float64"),
            orientation="h",
            text=texts,
            textposition="outside",
            cliponaxis=False,
            marker={"color": charts.PALETTE[0]},
            hovertext=[f"<b>{n}</b><br>{t}" for n, t in zip(labels, texts, strict=True)],
            hovertemplate=HOVER,
        )
    )
    figure.update_xaxes(range=[0, float(known["value"].max()) * 1.2], separatethousands=True)
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_layout(
        height=80 + BAR_ROW * len(labels),
        margin={"l": 8, "r": 8, "t": 16, "b": 8},
        separators=charts._separators(lang),
        showlegend=False,
    )
    return figure


def channel_estimates_figure(
    values: pd.DataFrame,
    *,
    kpi: Kpi,
    names: Mapping[str, str],
    lang: str = LANG,
) -> go.Figure:
    """A survey KPI per channel as dots with their 95% interval, best first; a channel under
    the minimum of responses is listed last, saying so, without a dot. values: channel, value,
    n, ci_low, ci_high, suppressed.
    """
    figure = go.Figure()
    if values.empty:
        return charts._empty(figure, lang)
    known = values[values["value"].notna()].sort_values("value", ascending=False)
    hidden = values[values["value"].isna()].sort_values("channel")
    if known.empty:
        return charts._empty(figure, lang)
    labels = [names.get(c, c) for c in known["channel"]]
    value = known["value"].to_numpy(dtype="float64")
    low, high = (known[c].to_numpy(dtype="float64") for c in ("ci_low", "ci_high"))
    hover = []
    for label, row in zip(labels, known.itertuples(), strict=True):
        parts = [f"<b>{label}</b>", formatting.kpi_value(row.value, kpi, lang)]
        parts.append(i18n.text("chart.n", lang, n=formatting.number(row.n, 0, lang)))
        ends = (formatting.kpi_value(v, kpi, lang) for v in (row.ci_low, row.ci_high))
        low_text, high_text = ends
        parts.append(i18n.text("chart.interval", lang, low=low_text, high=high_text))
        hover.append("<br>".join(parts))
    figure.add_trace(
        go.Scatter(
            x=value,
            y=labels,
            mode="markers+text",
            text=[formatting.kpi_value(v, kpi, lang) for v in value],
            textposition="top center",
            error_x={
                "type": "data",
                "symmetric": False,
                "array": np.nan_to_num(high - value),
                "arrayminus": np.nan_to_num(value - low),
                "color": charts.TARGET_COLOUR,
                "thickness": 1.5,
            },
            marker={"size": 11, "color": charts.PALETTE[0]},
            hovertext=hover,
            hovertemplate=HOVER,
            cliponaxis=False,
        )
    )
    rows = labels + [names.get(c, c) for c in hidden["channel"]]
    span = np.concatenate([low[~np.isnan(low)], high[~np.isnan(high)], value])
    left, right = float(span.min()), float(span.max())
    pad = max(0.1 * (right - left), 1.0)
    if not hidden.empty:  # an invisible mark puts the hidden channels' rows on the axis
        figure.add_trace(
            go.Scatter(
                x=np.full(len(hidden), left - pad),
                y=[names.get(c, c) for c in hidden["channel"]],
                mode="markers",
                marker={"opacity": 0},
                hoverinfo="skip",
            )
        )
    for channel in hidden["channel"]:
        figure.add_annotation(
            x=left - pad,
            y=names.get(channel, channel),
            text=i18n.text("chart.suppressed", lang, sample=kpi.sample(lang)),
            showarrow=False,
            xanchor="left",
        )
    figure.update_yaxes(
        autorange="reversed", type="category", categoryorder="array", categoryarray=rows
    )
    figure.update_xaxes(range=[left - pad, right + pad], ticksuffix=charts._axis_suffix(kpi, lang))
    figure.update_layout(
        height=100 + 34 * len(rows),
        margin={"l": 8, "r": 8, "t": 16, "b": 8},
        separators=charts._separators(lang),
        showlegend=False,
    )
    return figure
