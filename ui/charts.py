"""Chart builders for the pages: pure functions from DataFrames to plotly figures.

No streamlit and no data access here: the pages read the data and pass it in. Every province
mark carries its sigla in `customdata`, so `selected_provinces` can map a click back to Filters.
Text goes through ui.formatting (Babel) in the given language; the words are in the catalogue
(locales/*.toml, keys "chart.*"), read through data_access.i18n.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date
from babel.numbers import get_decimal_symbol, get_group_symbol

from data_access import i18n
from data_access.filters import Period, add_months
from data_access.kpis import Kpi
from ui import formatting, geo

LANG = formatting.LANG
MAP_CONFIG = geo.PLOTLY_CONFIG  # pass as st.plotly_chart(config=...) with choropleth_figure

# Okabe-Ito, the colour-blind-safe categorical palette; yellow last (weak on white)
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#000000",
    "#F0E442",
)
# single-hue sequential scale, light (worse) to dark (better); the near-white first step of
# ColorBrewer Blues is dropped so the worst province stays distinct from the background
SEQUENTIAL = (
    "rgb(222,235,247)",
    "rgb(198,219,239)",
    "rgb(158,202,225)",
    "rgb(107,174,214)",
    "rgb(66,146,198)",
    "rgb(33,113,181)",
    "rgb(8,81,156)",
    "rgb(8,48,107)",
)
NO_DATA_GREY = "#BDBDBD"
TARGET_COLOUR = "#555555"
MISSES_COLOUR = "#E69F00"  # ranking bars that miss the target; meeting ones use PALETTE[0]
MAX_TICKS = 8  # labelled buckets on a trend axis; more overlap in a half-width column
MONTHS_PER_BUCKET = {"month": 1, "quarter": 3, "year": 12}
TICK_FORMATS = {"week": "d MMM y", "month": "MMM y", "quarter": "QQQ y", "year": "y"}
HOVER_FORMATS = {"week": "d MMM y", "month": "MMMM y", "quarter": "QQQQ y", "year": "y"}
HOVER = "%{hovertext}<extra></extra>"


# --- periods and buckets ----------------------------------------------------------------------


def shift_bucket(bucket: date, steps: int, grain: str) -> date:
    """The bucket `steps` buckets later (earlier when negative) at this grain."""
    if grain == "week":
        return bucket + timedelta(weeks=steps)
    return add_months(bucket, steps * MONTHS_PER_BUCKET[grain])


def comparison_shift(period: Period, compared: Period, grain: str) -> int:
    """Whole buckets from the comparison period's start to the period's start (12 months: 12)."""
    return _steps_between(compared.start, period.start, grain)


@lru_cache(maxsize=4096)
def bucket_label(bucket: date, grain: str, lang: str = LANG, *, long: bool = False) -> str:
    """A bucket in words: 'gen 2025' on the axis, 'gennaio 2025' (long) in the hover."""
    formats = HOVER_FORMATS if long else TICK_FORMATS
    text = format_date(bucket, format=formats[grain], locale=i18n.babel_locale(lang))
    if long and grain == "week":
        return _text("week", lang, day=text)
    return text


def attribution(lang: str = LANG) -> str:
    """The map's source and licence, to show under every map."""
    return i18n.text("map.attribution", lang)


# --- figures ----------------------------------------------------------------------------------


def trend_figure(
    series: pd.DataFrame,
    *,
    kpi: Kpi,
    target: float | None,
    comparison: pd.DataFrame | None,
    grain: str,
    shift: int | None = None,
    names: Mapping[str, str] | None = None,
    lang: str = LANG,
) -> go.Figure:
    """One line per province (or one line) over the buckets, target and comparison dashed.

    The comparison period is drawn on the current x axis: each comparison bucket is moved
    `shift` buckets forward (comparison_shift(period, compared, grain): 12 at month grain for
    the same period last year, the period's length for the previous period), so January last
    year sits under January this year; its hover still names the original bucket. Without
    `shift`, it is the distance between the first buckets of the two frames. Buckets missing in
    the data and NaN values are gaps, never zeros. `names` maps sigle to display names.
    """
    figure = go.Figure()
    _style(figure, kpi, lang)
    current = _prepared(series)
    if current.empty:
        return _empty(figure, lang)
    before = _prepared(comparison) if comparison is not None else None
    if before is not None and not before.empty:
        steps = (
            shift
            if shift is not None
            else _steps_between(before["bucket"].min(), current["bucket"].min(), grain)
        )
        before = before.assign(
            original=before["bucket"],
            bucket=[shift_bucket(bucket, steps, grain) for bucket in before["bucket"]],
        )
    else:
        before = None
    siglas = sorted(set(current["sigla"]) | set(before["sigla"] if before is not None else ()))
    labels = _names(names)
    for index, sigla in enumerate(siglas):
        colour = PALETTE[index % len(PALETTE)]
        name = labels.get(sigla, sigla) if sigla else _text("total", lang)
        rows = _filled(current[current["sigla"] == sigla], grain)
        figure.add_trace(_line(rows, sigla, name, name, colour, kpi, grain, lang, dash=None))
        if before is not None:
            rows = _filled(before[before["sigla"] == sigla], grain)
            label = _text("comparison", lang, name=name)
            figure.add_trace(_line(rows, sigla, label, name, colour, kpi, grain, lang, "dash"))
    if target is not None:
        _target_line(figure, target, kpi, lang, horizontal=True)
    buckets = _bucket_range(current["bucket"].min(), current["bucket"].max(), grain)
    step = math.ceil(len(buckets) / MAX_TICKS)
    ticks = buckets[::step]
    figure.update_xaxes(
        type="date",
        tickvals=[bucket.isoformat() for bucket in ticks],
        ticktext=[bucket_label(bucket, grain, lang) for bucket in ticks],
        rangeslider={"visible": True, "thickness": 0.08},
    )
    figure.update_layout(
        height=440,
        hovermode="closest",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    return figure


def choropleth_figure(
    values_by_province: pd.DataFrame,
    *,
    kpi: Kpi,
    focus: Sequence[str] | None = None,
    lang: str = LANG,
) -> go.Figure:
    """Provinces coloured by the KPI; provinces without a value grey, not coloured as zero.

    Two traces partition the provinces inside the view: a grey one (no value, NaN or
    suppressed) under the coloured one; each carries only its own provinces' boundaries. The
    darker end of the scale is always the better one. The view fits `focus` (e.g. the selected
    region's sigle), else the provinces with data, else all Italy.
    """
    names = geo.province_names()
    frame = _prepared(values_by_province).drop_duplicates("sigla")
    frame = frame[frame["sigla"].isin(list(names))]
    known = frame[frame["value"].notna()]
    siglas = known["sigla"].tolist()
    suppressed = set(frame.loc[frame["suppressed"], "sigla"])
    lon_range, lat_range = geo.bounds(list(focus) if focus else siglas)
    # only the provinces inside the view are drawn: the whole country's boundaries would make
    # every page run serialise ~770 kB for shapes nobody sees
    missing = [s for s in geo.within(lon_range, lat_range) if s not in set(siglas)]
    border = {"line": {"color": "white", "width": 0.6}}
    figure = go.Figure()
    figure.add_trace(
        go.Choropleth(
            geojson=geo.subset(missing),
            featureidkey=geo.FEATURE_ID_KEY,
            locations=missing,
            z=[0] * len(missing),
            customdata=missing,
            colorscale=[[0, NO_DATA_GREY], [1, NO_DATA_GREY]],
            showscale=False,
            marker=border,
            name=_text("no_data", lang),
            hovertext=[
                f"<b>{names[sigla]}</b><br>"
                + _text("suppressed" if sigla in suppressed else "no_data", lang)
                for sigla in missing
            ],
            hovertemplate=HOVER,
        )
    )
    figure.add_trace(
        go.Choropleth(
            geojson=geo.subset(siglas),
            featureidkey=geo.FEATURE_ID_KEY,
            locations=siglas,
            z=known["value"].tolist(),
            customdata=siglas,
            colorscale=_scale(kpi),
            marker=border,
            name=kpi.label(lang),
            colorbar={
                "title": {"text": kpi.label(lang), "side": "right"},
                "ticksuffix": _axis_suffix(kpi, lang),
                "thickness": 12,
            },
            hovertext=[
                f"<b>{names[row.sigla]}</b><br>{formatting.kpi_value(row.value, kpi, lang)}"
                for row in known.itertuples()
            ],
            hovertemplate=HOVER,
        )
    )
    figure.update_geos(
        visible=False,
        projection_type="mercator",
        lonaxis_range=list(lon_range),
        lataxis_range=list(lat_range),
        bgcolor="rgba(0,0,0,0)",
    )
    figure.update_layout(
        height=520,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        separators=_separators(lang),
        paper_bgcolor="rgba(0,0,0,0)",
    )
    return figure


def sparkline_figure(series: pd.DataFrame, *, kpi: Kpi, lang: str = LANG) -> go.Figure:
    """A tiny line of the KPI per bucket for a tile: no axes, no legend, no hover, NaN gaps."""
    frame = _prepared(series).sort_values("bucket")
    figure = go.Figure(
        go.Scatter(
            x=frame["bucket"].tolist(),
            y=frame["value"].tolist(),
            mode="lines",
            line={"color": PALETTE[0], "width": 2},
            hoverinfo="skip",
            name=kpi.label(lang),
        )
    )
    figure.update_xaxes(visible=False, fixedrange=True)
    figure.update_yaxes(visible=False, fixedrange=True)
    figure.update_layout(
        height=56,
        margin={"l": 0, "r": 0, "t": 2, "b": 2},
        showlegend=False,
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
    )
    return figure


def ranking_figure(
    values_by_province: pd.DataFrame,
    *,
    kpi: Kpi,
    target: float | None,
    names: Mapping[str, str] | None = None,
    lang: str = LANG,
) -> go.Figure:
    """Provinces as horizontal bars, best at the top by kpi.better, value labels, target line.

    Provinces without a value are listed last with 'nessun dato' and no bar. With a target,
    bars that miss it are orange and the others blue.
    """
    frame = _prepared(values_by_province).drop_duplicates("sigla")
    known = frame[frame["value"].notna()].sort_values(
        ["value", "sigla"], ascending=[kpi.better == "lower", True]
    )
    ordered = pd.concat([known, frame[frame["value"].isna()].sort_values("sigla")])
    labels = _names(names)
    siglas = ordered["sigla"].tolist()
    values = ordered["value"].tolist()
    texts = [
        _text("no_data", lang) if math.isnan(v) else formatting.kpi_value(v, kpi, lang)
        for v in values
    ]
    display = [labels.get(sigla, sigla) for sigla in siglas]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=display,
            orientation="h",
            customdata=siglas,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            marker_color=[_bar_colour(v, kpi, target) for v in values],
            hovertext=[
                f"<b>{name}</b><br>{text}" for name, text in zip(display, texts, strict=True)
            ],
            hovertemplate=HOVER,
            name=kpi.label(lang),
        )
    )
    for name, value in zip(display, values, strict=True):
        if math.isnan(value):  # a bar of NaN draws no text of its own
            figure.add_annotation(
                x=0, y=name, text=_text("no_data", lang), showarrow=False, xanchor="left"
            )
    if target is not None:
        _target_line(figure, target, kpi, lang, horizontal=False)
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(ticksuffix=_axis_suffix(kpi, lang), rangemode="tozero")
    figure.update_layout(
        height=90 + 28 * len(siglas),
        margin={"l": 8, "r": 48, "t": 32, "b": 8},
        separators=_separators(lang),
        showlegend=False,
        bargap=0.25,
    )
    return figure


def selected_provinces(event: Mapping[str, Any] | None) -> list[str]:
    """Province sigle picked in a plotly selection event (st.plotly_chart on_select), in order.

    Accepts the whole event or its `.selection`; reads each point's customdata (a sigla or a
    list starting with one) or, for maps, its location; unknown or empty values are dropped.
    """
    if not event:
        return []
    selection = event.get("selection", event)
    points = (selection.get("points") or []) if isinstance(selection, Mapping) else []
    known = set(geo.all_siglas())
    found: list[str] = []
    for point in points:
        if not isinstance(point, Mapping):
            continue
        custom = point.get("customdata")
        if isinstance(custom, list | tuple):
            custom = custom[0] if custom else None
        for candidate in (custom, point.get("location")):
            if isinstance(candidate, str) and candidate in known:
                if candidate not in found:
                    found.append(candidate)
                break
    return found


# --- internals --------------------------------------------------------------------------------


def _text(key: str, lang: str, **values: object) -> str:
    return i18n.text(f"chart.{key}", lang, **values)


def _axis_suffix(kpi: Kpi, lang: str) -> str:
    """The unit after an axis tick: '%', ' s', ' gg'."""
    if kpi.unit == "percent":
        return "%"
    if kpi.unit in ("seconds", "days"):
        return " " + i18n.text(f"unit.{kpi.unit}", lang)
    return ""


@lru_cache(maxsize=8192)
def _kpi_text(value: float, kpi: Kpi, lang: str) -> str:
    return formatting.kpi_value(value, kpi, lang)


@lru_cache(maxsize=8192)
def _count_text(value: float, lang: str) -> str:
    return formatting.number(value, 0, lang)


def _separators(lang: str) -> str:
    locale = i18n.babel_locale(lang)
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def _names(names: Mapping[str, str] | None) -> Mapping[str, str]:
    return names if names is not None else geo.province_names()


def _prepared(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns bucket (date), sigla ('' without a province column), value, n, ci_*, suppressed."""
    data = pd.DataFrame(index=frame.index)
    if "bucket" in frame:
        data["bucket"] = [pd.Timestamp(b).date() for b in frame["bucket"]]
    data["sigla"] = frame["province"].astype(str) if "province" in frame else ""
    for column in ("value", "n", "ci_low", "ci_high"):
        data[column] = frame[column].astype("float64") if column in frame else math.nan
    data["suppressed"] = frame["suppressed"].astype(bool) if "suppressed" in frame else False
    return data.sort_values([c for c in ("sigla", "bucket") if c in data]).reset_index(drop=True)


def _steps_between(earlier: date, later: date, grain: str) -> int:
    if grain == "week":
        return round((later - earlier).days / 7)
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return round(months / MONTHS_PER_BUCKET[grain])


def _bucket_range(first: date, last: date, grain: str) -> list[date]:
    buckets = [first]
    while buckets[-1] < last:
        buckets.append(shift_bucket(buckets[-1], 1, grain))
    return buckets


def _filled(rows: pd.DataFrame, grain: str) -> pd.DataFrame:
    """Rows on every bucket from first to last: a bucket without a row becomes a NaN gap."""
    if rows.empty:
        return rows
    buckets = _bucket_range(rows["bucket"].min(), rows["bucket"].max(), grain)
    filled = rows.set_index("bucket").reindex(buckets)
    filled["sigla"] = rows["sigla"].iloc[0]
    filled["suppressed"] = filled["suppressed"].fillna(False).astype(bool)
    return filled.rename_axis("bucket").reset_index()


def _line(
    rows: pd.DataFrame,
    sigla: str,
    name: str,
    group: str,
    colour: str,
    kpi: Kpi,
    grain: str,
    lang: str,
    dash: str | None,
) -> go.Scatter:
    originals = rows["original"] if "original" in rows else rows["bucket"]
    hover = [
        _hover(name, row, original, kpi, grain, lang, compared=dash is not None)
        for row, original in zip(rows.itertuples(), originals, strict=True)
    ]
    return go.Scatter(  # numpy arrays: plotly validates them far faster than lists
        x=np.array([bucket.isoformat() for bucket in rows["bucket"]]),
        y=rows["value"].to_numpy(dtype="float64"),
        mode="lines+markers",  # markers keep a lone value between two gaps visible
        name=name,
        legendgroup=group,
        line={"color": colour, "width": 1.5 if dash else 2.5, "dash": dash or "solid"},
        marker={"size": 4 if dash else 6, "color": colour},
        opacity=0.7 if dash else 1.0,
        connectgaps=False,
        customdata=np.array([sigla] * len(rows), dtype=object),
        hovertext=np.array(hover, dtype=object),
        hovertemplate=HOVER,
    )


def _hover(
    name: str, row: Any, original: Any, kpi: Kpi, grain: str, lang: str, *, compared: bool
) -> str:
    """'<b>Ravenna</b><br>gennaio 2025<br>92,4%<br>n = 1.234<br>IC 95%: 90,1% – 94,2%'."""
    when = bucket_label(original, grain, lang, long=True) if isinstance(original, date) else ""
    if compared:
        when = _text("compared_bucket", lang, label=when)
    lines = [f"<b>{name}</b>", when]
    if row.suppressed:
        lines.append(_text("suppressed", lang))
    elif math.isnan(row.value):
        lines.append(_text("no_data", lang))
    else:
        lines.append(_kpi_text(row.value, kpi, lang))
    if not math.isnan(row.n):
        lines.append(_text("n", lang, n=_count_text(row.n, lang)))
    if kpi.is_estimate and not math.isnan(row.ci_low) and not math.isnan(row.ci_high):
        low, high = (_kpi_text(v, kpi, lang) for v in (row.ci_low, row.ci_high))
        lines.append(_text("interval", lang, low=low, high=high))
    return "<br>".join(lines)


def _style(figure: go.Figure, kpi: Kpi, lang: str) -> None:
    figure.update_layout(
        colorway=list(PALETTE),
        separators=_separators(lang),
        margin={"l": 8, "r": 8, "t": 40, "b": 8},
    )
    figure.update_yaxes(title_text=kpi.label(lang), ticksuffix=_axis_suffix(kpi, lang))


def _empty(figure: go.Figure, lang: str) -> go.Figure:
    figure.add_annotation(
        text=_text("no_data", lang).capitalize(),
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def _target_line(
    figure: go.Figure, target: float, kpi: Kpi, lang: str, *, horizontal: bool
) -> None:
    label = _text("target", lang, value=formatting.kpi_value(target, kpi, lang))
    style = {"line_dash": "dash", "line_color": TARGET_COLOUR, "line_width": 1.5}
    if horizontal:
        figure.add_hline(y=target, annotation_text=label, annotation_position="top left", **style)
    else:
        figure.add_vline(x=target, annotation_text=label, annotation_position="top", **style)


def _scale(kpi: Kpi) -> list[list[float | str]]:
    """Sequential colours with the darkest at the better end (high values or low values)."""
    colours = SEQUENTIAL if kpi.better == "higher" else SEQUENTIAL[::-1]
    last = len(colours) - 1
    return [[index / last, colour] for index, colour in enumerate(colours)]


def _bar_colour(value: float, kpi: Kpi, target: float | None) -> str:
    if target is None or math.isnan(value):
        return PALETTE[0]
    meets = value >= target if kpi.better == "higher" else value <= target
    return PALETTE[0] if meets else MISSES_COLOUR
