"""Chart builders for the pages: pure functions from DataFrames to plotly figures.

No streamlit and no data access here: the pages read the data and pass it in. Every province
mark carries its sigla in `customdata`, so `selected_provinces` can map a click back to Filters.
Text goes through ui.formatting (Babel) in the given language; the words are in the catalogue
(locales/*.toml, keys "chart.*"), read through data_access.i18n.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel.core import Locale
from babel.dates import format_date
from babel.numbers import get_decimal_symbol, get_group_symbol
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from data_access import i18n
from data_access.kpis import Kpi
from data_access.periods import Period, buckets_between, shift_bucket
from ui import formatting, geo

LANG = formatting.LANG

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
# diverging scale for "against the target": orange misses, blue meets, a light neutral at the
# target (ColorBrewer PuOr's orange arm and RdBu's blue arm: both readable with colour-blindness)
DIVERGING = (
    "#B35806",
    "#E08214",
    "#FDB863",
    "#F7F7F7",
    "#92C5DE",
    "#4393C3",
    "#2166AC",
)
# a volume (contacts) is neither good nor bad: one neutral hue, darker = more (ColorBrewer
# Purples without its two near-white steps)
VOLUME = (
    "rgb(218,218,235)",
    "rgb(188,189,220)",
    "rgb(158,154,200)",
    "rgb(128,125,186)",
    "rgb(106,81,163)",
    "rgb(84,39,143)",
    "rgb(63,0,125)",
)
NO_DATA_GREY = "#BDBDBD"
COMPARISON_GREY = "#8C8C8C"  # the comparison line inside a small-multiple panel
DARK_TEXT = "#222222"
TARGET_COLOUR = "#555555"
MISSES_COLOUR = "#E69F00"  # ranking bars that miss the target; meeting ones use PALETTE[0]
MAX_TICKS = 6  # labelled buckets on a trend axis; more overlap on a phone
TICK_FORMATS = {"week": "d MMM y", "month": "MMM y", "quarter": "QQQ y", "year": "y"}
SAME_YEAR_FORMATS = {"week": "d MMM", "month": "MMM", "quarter": "QQQ", "year": "y"}
HOVER_FORMATS = {"week": "d MMM y", "month": "MMMM y", "quarter": "QQQQ y", "year": "y"}
HOVER = "%{hovertext}<extra></extra>"
SMALL_MULTIPLES_FROM = 7  # provinces: up to six lines share one chart, more get a panel each
PANEL_COLUMNS = 3  # small multiples per row (three still read on a 390 px phone)
PANEL_HEIGHT = 150  # pixels per row of small multiples
RANGESLIDER_FROM = 37  # buckets: a range slider only pays off past three years of months
# the smallest half-width of a value axis or colour scale, by unit: a spread smaller than this
# is drawn small (LS 95,4% and 95,6% are not a large gap); count and per-thousand are relative
MIN_HALF_SPAN = {"percent": 5.0, "seconds": 30.0, "days": 5.0, "score": 5.0, "nps": 10.0}
MIN_HALF_SPAN_BY_KPI = {"ces": 0.5}  # a 1–7 score
RELATIVE_HALF_SPAN = 0.1  # of the middle value, for units without an absolute span
BOUNDS = {"percent": (0.0, 100.0), "nps": (-100.0, 100.0)}  # natural limits of a unit
BOUNDS_BY_KPI = {"csi": (0.0, 100.0), "ces": (1.0, 7.0)}
NICE = (1.0, 2.0, 2.5, 5.0, 10.0)  # steps of an axis, times a power of ten
# plotly.js's own English words (the modebar, its notices) and the catalogue key of each
# translation (chart.toolbar.*); the Italian follows plotly.js's lib/locales/it.js (MIT)
PLOTLY_WORDS = {
    "Autoscale": "autoscale",
    "Box Select": "box_select",
    "Lasso Select": "lasso_select",
    "Compare data on hover": "compare_hover",
    "Show closest data on hover": "closest_hover",
    "Toggle show closest data on hover": "toggle_closest_hover",
    "Toggle Spike Lines": "spike_lines",
    "Double-click on legend to isolate one trace": "isolate_trace",
    "Double-click to zoom back out": "zoom_back",
    "Download plot as a PNG": "download_png",
    "Download plot as a png": "download_png",
    "Download plot": "download",
    "Download plot as JSON": "download_json",
    "Preparing image - this may take a few seconds": "preparing_image",
    "Taking snapshot - this may take a few seconds": "preparing_image",
    "Image download succeeded": "image_done",
    "Snapshot succeeded": "image_done",
    "JSON download succeeded": "json_done",
    "Sorry, there was a problem downloading your image!": "image_failed",
    "Sorry, there was a problem downloading your snapshot!": "image_failed",
    "Sorry, there was a problem downloading your JSON file!": "json_failed",
    "Pan": "pan",
    "Reset": "reset",
    "Reset axes": "reset_axes",
    "Reset view": "reset_view",
    "Reset views": "reset_views",
    "Zoom": "zoom",
    "Zoom in": "zoom_in",
    "Zoom out": "zoom_out",
    "trace": "trace",
}


# --- periods and buckets ----------------------------------------------------------------------


def comparison_shift(period: Period, compared: Period, grain: str) -> int:
    """Whole buckets from the comparison period's start to the period's start (12 months: 12)."""
    return buckets_between(compared.start, period.start, grain)


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


@lru_cache(maxsize=8)
def _plotly_locale(lang: str) -> dict[str, Any]:
    locale = Locale.parse(i18n.babel_locale(lang))
    return {
        "dictionary": {
            english: i18n.text(f"chart.toolbar.{key}", lang)
            for english, key in PLOTLY_WORDS.items()
        },
        "format": {
            "days": [locale.days["format"]["wide"][(i + 6) % 7] for i in range(7)],
            "shortDays": [locale.days["format"]["abbreviated"][(i + 6) % 7] for i in range(7)],
            "months": [locale.months["format"]["wide"][i] for i in range(1, 13)],
            "shortMonths": [locale.months["format"]["abbreviated"][i] for i in range(1, 13)],
            "decimal": get_decimal_symbol(locale),
            "thousands": get_group_symbol(locale),
        },
    }


def plotly_config(lang: str = LANG) -> dict[str, Any]:
    """The `config=` of every st.plotly_chart: plotly's toolbar and notices in lang, no logo.

    plotly.js reads `config.locale` and looks its words up in `config.locales[locale]`
    (dictionary: its English strings -> ours; format: month and day names, separators);
    Streamlit passes the config through unchanged (it only adds its own "Fullscreen" button,
    whose English title it does not translate). The empty topology keeps maps offline.
    """
    return {
        **geo.PLOTLY_CONFIG,
        "locale": lang,
        "locales": {lang: _plotly_locale(lang)},
        "displaylogo": False,
    }


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
    """One line per province (or one line) over the buckets, with target and comparison.

    Up to six provinces share one chart (Okabe-Ito colours, legend under the plot, where the
    toolbar cannot cover it); from seven on each province gets a small panel, all on one value
    scale, named in the panel's title. The value axis is fitted to the data with a minimum span
    (MIN_HALF_SPAN: LS 95,4–95,6% reads flat, not as a cliff) and is never stretched to reach
    the target: a target inside the axis is a dashed line, one outside it a note at that edge.
    Provisional buckets (a `provisional` column, with `pending` cases) are hollow markers on a
    dotted segment, their hover says how many cases are pending. An interval in ci_low/ci_high
    is shown in the hover for any KPI.

    The comparison period is drawn on the current x axis: each comparison bucket is moved
    `shift` buckets forward (comparison_shift(period, compared, grain): 12 at month grain for
    the same period last year, the period's length for the previous period), so January last
    year sits under January this year; its hover still names the original bucket. Without
    `shift`, it is the distance between the first buckets of the two frames. Buckets missing in
    the data and NaN values are gaps, never zeros. `names` maps sigle to display names.
    """
    current = _prepared(series)
    if current.empty:
        figure = go.Figure()
        _style(figure, kpi, lang)
        return _empty(figure, lang)
    before = _prepared(comparison) if comparison is not None else None
    if before is not None and not before.empty:
        steps = (
            shift
            if shift is not None
            else buckets_between(before["bucket"].min(), current["bucket"].min(), grain)
        )
        before = before.assign(
            original=before["bucket"],
            bucket=[shift_bucket(bucket, steps, grain) for bucket in before["bucket"]],
        )
    else:
        before = None
    labels = _names(names)
    every = set(current["sigla"]) | set(before["sigla"] if before is not None else ())
    display = {s: labels.get(s, s) if s else _text("total", lang) for s in every}
    siglas = sorted(every, key=lambda s: (display[s], s))  # panels and colours by name
    panels = len(siglas) >= SMALL_MULTIPLES_FROM
    rows = math.ceil(len(siglas) / PANEL_COLUMNS)
    if panels:
        figure = make_subplots(
            rows=rows,
            cols=PANEL_COLUMNS,
            shared_xaxes=True,
            shared_yaxes=True,
            subplot_titles=[display[s] for s in siglas],
            horizontal_spacing=0.03,
            vertical_spacing=min(0.3 / rows, 0.12),
        )
    else:
        figure = go.Figure()
    _style(figure, kpi, lang)
    for index, sigla in enumerate(siglas):
        colour = PALETTE[0] if panels else PALETTE[index % len(PALETTE)]
        cell = (
            {"row": index // PANEL_COLUMNS + 1, "col": index % PANEL_COLUMNS + 1} if panels else {}
        )
        name = display[sigla]
        filled = _filled(current[current["sigla"] == sigla], grain)
        for trace in _lines(filled, sigla, name, name, colour, kpi, grain, lang, dash=None):
            figure.add_trace(trace, **cell)
        if before is not None:
            filled = _filled(before[before["sigla"] == sigla], grain)
            label = _text("comparison", lang, name=name)
            shade = COMPARISON_GREY if panels else colour  # one colour per panel: grey twin
            for trace in _lines(filled, sigla, label, name, shade, kpi, grain, lang, "dash"):
                figure.add_trace(trace, **cell)
    shown = current["value"] if before is None else pd.concat([current["value"], before["value"]])
    low, high, step = _value_scale(shown.to_numpy(dtype="float64"), kpi)
    dtick = 2 * step if panels else step  # a 150 px panel has room for few ticks
    figure.update_yaxes(range=[low, high], autorange=False, tick0=low, dtick=dtick)
    if target is not None:
        _target_mark(figure, target, kpi, lang, (low, high), horizontal=True, panels=panels)
    buckets = _bucket_range(current["bucket"].min(), current["bucket"].max(), grain)
    step_ticks = math.ceil(len(buckets) / (MAX_TICKS // 2 if panels else MAX_TICKS))
    ticks = buckets[::step_ticks]
    figure.update_xaxes(
        type="date",
        tickvals=[bucket.isoformat() for bucket in ticks],
        ticktext=_axis_labels(ticks, grain, lang, stacked=panels),
        tickangle=0,
    )
    slider = not panels and len(buckets) >= RANGESLIDER_FROM
    if slider:
        figure.update_xaxes(rangeslider={"visible": True, "thickness": 0.08})
    if panels:
        figure.update_layout(height=PANEL_HEIGHT * rows + 70, showlegend=False)
        figure.update_annotations(font_size=12)  # the panel titles
    else:
        figure.update_layout(
            height=420,
            legend={
                "orientation": "h",
                "yanchor": "top",
                "y": -0.3 if slider else -0.1,
                "x": 0,
                "font": {"size": 11},
                "itemwidth": 30,
                "tracegroupgap": 0,
            },
        )
    figure.update_layout(hovermode="closest")
    return figure


def choropleth_figure(
    values_by_province: pd.DataFrame,
    *,
    kpi: Kpi,
    target: float | None = None,
    focus: Sequence[str] | None = None,
    visible: frozenset[str] | None = None,
    lang: str = LANG,
) -> go.Figure:
    """Provinces coloured by the KPI, each labelled with its sigla; no value is grey, not zero.

    Colour means the same on every map. With a target: a diverging scale centred on it, blue
    meets and orange misses (the darker, the farther), for higher- and lower-is-better KPIs
    alike. Without one: a single blue hue, darker is better, the ends of the colour bar read
    "peggio" and "meglio". A volume (contacts) is neither good nor bad — a director reads it
    as "how much work where", so it gets a neutral purple from zero, darker is more, the top
    labelled "più contatti". The range is never the view's min–max: it spans at least
    MIN_HALF_SPAN around the middle (or the target), so LS 95,4% and 95,6% look alike.

    Two traces partition the provinces inside the view: a grey one (no value, NaN or
    suppressed) under the coloured one; each carries only its own provinces' boundaries; a
    third draws the sigle, each deep inside its province. The colour bar lies under the map
    (a phone keeps the map's full width). The view fits `focus` (e.g. the selected region's
    sigle), else the provinces with data, else all Italy. `visible` is the person's provinces
    (None: every one): a grey neighbour outside them says so, not "no data".
    """
    names = geo.province_names()
    frame = _prepared(values_by_province).drop_duplicates("sigla")
    frame = frame[frame["sigla"].isin(list(names))]
    known = frame[frame["value"].notna()]
    siglas = known["sigla"].tolist()
    suppressed = set(frame.loc[frame["suppressed"], "sigla"])
    sample = kpi.sample(lang)
    lon_range, lat_range = geo.bounds(list(focus) if focus else siglas)
    # only the provinces inside the view are drawn: the whole country's boundaries would make
    # every page run serialise ~770 kB for shapes nobody sees
    missing = [s for s in geo.within(lon_range, lat_range) if s not in set(siglas)]
    border = {"line": {"color": "white", "width": 0.8}}
    figure = go.Figure()
    figure.add_trace(
        go.Choropleth(
            geojson=geo.DRAWN_URL,
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
                + _grey_reason(sigla, suppressed, visible, sample, lang)
                for sigla in missing
            ],
            hovertemplate=HOVER,
        )
    )
    colours = _map_colours(known["value"].to_numpy(dtype="float64"), kpi, target, lang)
    figure.add_trace(
        go.Choropleth(
            geojson=geo.DRAWN_URL,
            featureidkey=geo.FEATURE_ID_KEY,
            locations=siglas,
            z=known["value"].tolist(),
            zmin=colours.low,
            zmax=colours.high,
            zauto=False,
            customdata=siglas,
            colorscale=colours.scale,
            marker=border,
            name=kpi.label(lang),
            colorbar={
                "title": {"text": kpi.label(lang), "side": "top"},
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": -0.02,
                "yanchor": "top",
                "len": 0.8,
                "thickness": 12,
                "tickvals": colours.tickvals,
                "ticktext": colours.ticktext,
                "separatethousands": True,
            },
            hovertext=[
                f"<b>{names[row.sigla]}</b><br>{formatting.kpi_value(row.value, kpi, lang)}"
                for row in known.itertuples()
            ],
            hovertemplate=HOVER,
        )
    )
    figure.add_trace(_sigla_labels(known, missing, colours, lon_range, lat_range))
    figure.update_geos(
        visible=False,
        projection_type="mercator",
        lonaxis_range=list(lon_range),
        lataxis_range=list(lat_range),
        bgcolor="rgba(0,0,0,0)",
    )
    figure.update_layout(
        height=_map_height(lon_range, lat_range),
        margin={"l": 0, "r": 0, "t": 0, "b": 84},
        separators=_separators(lang),
        paper_bgcolor="rgba(0,0,0,0)",
        showlegend=False,
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
    """Provinces as dots on one line each, best at the top by kpi.better, with value labels.

    A dot plot, not bars: bars must start at zero, and from zero 95,9% and 96,2% look the same.
    The axis spans the values with the same minimum span as the maps (MIN_HALF_SPAN). With a
    target, dots that miss it (judged at the precision shown) are orange, the others blue; the
    target is a dashed line labelled in the top margin, and each value label sits on the side of
    its dot away from the line, so no label is crossed; a target off the axis is a note at that
    edge instead. Provinces without a value are listed last with 'nessun dato' and no dot.
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
    low, high, step = _value_scale(known["value"].to_numpy(dtype="float64"), kpi)
    pad = 0.1 * (high - low)
    sides = [
        "middle left" if target is not None and not math.isnan(v) and v < target else "middle right"
        for v in values
    ]
    figure = go.Figure(
        go.Scatter(
            x=values,
            y=display,
            mode="markers+text",
            customdata=siglas,
            text=texts,
            textposition=sides,
            cliponaxis=False,
            marker={
                "size": 13,
                "color": [_dot_colour(v, kpi, target) for v in values],
                "line": {"color": "white", "width": 1},
            },
            hovertext=[
                f"<b>{name}</b><br>{text}" for name, text in zip(display, texts, strict=True)
            ],
            hovertemplate=HOVER,
            name=kpi.label(lang),
        )
    )
    for name, value in zip(display, values, strict=True):
        if math.isnan(value):  # a NaN point draws no text of its own
            figure.add_annotation(
                x=low, y=name, text=_text("no_data", lang), showarrow=False, xanchor="left"
            )
    if target is not None:
        _target_mark(figure, target, kpi, lang, (low, high), horizontal=False, rows=len(known))
    figure.update_yaxes(
        autorange="reversed", type="category", showgrid=True, gridcolor="rgba(128,128,128,0.2)"
    )
    figure.update_xaxes(
        range=[low - pad, high + pad],
        tickvals=list(np.arange(low, high + step / 2, step)),
        ticksuffix=_axis_suffix(kpi, lang),
        separatethousands=True,
        tickformat=_tick_format(kpi),
        zeroline=False,
    )
    figure.update_layout(
        height=120 + 30 * len(siglas),
        margin={"l": 8, "r": 16, "t": 64, "b": 8},  # the target's label under the toolbar
        separators=_separators(lang),
        showlegend=False,
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
    """Columns bucket (date), sigla ('' without one), value, n, ci_*, flags, pending."""
    data = pd.DataFrame(index=frame.index)
    if "bucket" in frame:
        data["bucket"] = [pd.Timestamp(b).date() for b in frame["bucket"]]
    data["sigla"] = frame["province"].astype(str) if "province" in frame else ""
    for column in ("value", "n", "ci_low", "ci_high", "pending"):
        data[column] = frame[column].astype("float64") if column in frame else math.nan
    for flag in ("suppressed", "provisional"):
        data[flag] = frame[flag].fillna(False).astype(bool) if flag in frame else False
    return data.sort_values([c for c in ("sigla", "bucket") if c in data]).reset_index(drop=True)


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
    for flag in ("suppressed", "provisional"):
        filled[flag] = filled[flag].fillna(False).astype(bool)
    return filled.rename_axis("bucket").reset_index()


def _lines(
    rows: pd.DataFrame,
    sigla: str,
    name: str,
    group: str,
    colour: str,
    kpi: Kpi,
    grain: str,
    lang: str,
    dash: str | None,
) -> list[go.Scatter]:
    """A province's line: solid (or dashed) through settled buckets, dotted into provisional ones.

    Provisional buckets leave a gap in the main trace; a second trace, without a legend entry,
    joins each to its neighbours with a dotted segment and marks it with a hollow circle.
    """
    originals = rows["original"] if "original" in rows else rows["bucket"]
    hover = np.array(
        [
            _hover(name, row, original, kpi, grain, lang, compared=dash is not None)
            for row, original in zip(rows.itertuples(), originals, strict=True)
        ],
        dtype=object,
    )
    x = np.array([bucket.isoformat() for bucket in rows["bucket"]])
    values = rows["value"].to_numpy(dtype="float64")
    provisional = rows["provisional"].to_numpy(dtype=bool)
    custom = np.array([sigla] * len(rows), dtype=object)
    common = {
        "legendgroup": group,
        "connectgaps": False,
        "opacity": 0.7 if dash else 1.0,
        "hovertemplate": HOVER,
    }
    main = go.Scatter(  # numpy arrays: plotly validates them far faster than lists
        x=x,
        y=np.where(provisional, np.nan, values),
        mode="lines+markers",  # markers keep a lone value between two gaps visible
        cliponaxis=False,  # a marker on the axis's edge (100%) is drawn whole
        name=name,
        line={"color": colour, "width": 1.5 if dash else 2.5, "dash": dash or "solid"},
        marker={"size": 4 if dash else 6, "color": colour},
        customdata=custom,
        hovertext=hover,
        **common,
    )
    if not provisional.any():
        return [main]
    before = np.append(provisional[1:], False)  # the settled bucket leading into one
    after = np.insert(provisional[:-1], 0, False)
    kept = np.flatnonzero(provisional | ((before | after) & ~np.isnan(values)))
    dotted = go.Scatter(
        x=x[kept],
        y=values[kept],
        mode="lines+markers",
        name=name,
        showlegend=False,
        line={"color": colour, "width": 1.5 if dash else 2, "dash": "dot"},
        marker={
            "size": [9 if provisional[i] else (4 if dash else 6) for i in kept],
            "symbol": ["circle-open" if provisional[i] else "circle" for i in kept],
            "color": colour,
            "line": {"width": 2, "color": colour},
        },
        customdata=custom[kept],
        hovertext=hover[kept],
        **common,
    )
    return [main, dotted]


def _hover(
    name: str, row: Any, original: Any, kpi: Kpi, grain: str, lang: str, *, compared: bool
) -> str:
    """'<b>Ravenna</b><br>gennaio 2025<br>92,4%<br>n = 1.234<br>IC 95%: 90,1% – 94,2%'.

    A provisional bucket adds 'provvisorio · 222 in attesa'.
    """
    when = bucket_label(original, grain, lang, long=True) if isinstance(original, date) else ""
    if compared:
        when = _text("compared_bucket", lang, label=when)
    lines = [f"<b>{name}</b>", when]
    if row.suppressed:
        lines.append(_text("suppressed", lang, sample=kpi.sample(lang)))
    elif math.isnan(row.value):
        lines.append(_text("no_data", lang))
    else:
        lines.append(_kpi_text(row.value, kpi, lang))
    if not math.isnan(row.n):
        lines.append(_text("n", lang, n=_count_text(row.n, lang)))
    if not math.isnan(row.ci_low) and not math.isnan(row.ci_high):
        low, high = (_kpi_text(v, kpi, lang) for v in (row.ci_low, row.ci_high))
        lines.append(_text("interval", lang, low=low, high=high))
    if row.provisional:
        pending = 0.0 if math.isnan(row.pending) else row.pending
        lines.append(_text("provisional", lang, pending=_count_text(pending, lang)))
    return "<br>".join(lines)


def _style(figure: go.Figure, kpi: Kpi, lang: str) -> None:
    figure.update_layout(
        colorway=list(PALETTE),
        separators=_separators(lang),
        margin={"l": 8, "r": 8, "t": 40, "b": 8},
    )
    figure.update_yaxes(  # no title: the section names the KPI, a phone needs the width
        ticksuffix=_axis_suffix(kpi, lang),
        separatethousands=True,
        tickformat=_tick_format(kpi),
    )


def _axis_labels(
    ticks: Sequence[date], grain: str, lang: str, *, stacked: bool = False
) -> list[str]:
    """'gen 2025', 'mar', 'mag', …, 'gen 2026': the year only where it starts or changes.

    stacked puts the year under the month ('gen<br>2025'), for narrow small multiples.
    """
    locale = i18n.babel_locale(lang)
    labels = []
    for index, tick in enumerate(ticks):
        short = format_date(tick, format=SAME_YEAR_FORMATS[grain], locale=locale)
        if index and ticks[index - 1].year == tick.year:
            labels.append(short)
        elif stacked and grain != "year":
            labels.append(f"{short}<br>{tick.year}")
        else:
            labels.append(bucket_label(tick, grain, lang))
    return labels


def _tick_format(kpi: Kpi) -> str:
    """d3 format of value ticks: thousands grouped; counts whole, others up to 2 decimals."""
    return ",.0f" if kpi.unit == "count" else ",.2~f"


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


def _target_label(target: float, kpi: Kpi, lang: str) -> str:
    """'Obiettivo ≥ 80,0%', 'Obiettivo ≤ 180 s'."""
    sign = "≥" if kpi.better == "higher" else "≤"
    return _text("target", lang, value=f"{sign} {formatting.kpi_value(target, kpi, lang)}")


def _target_mark(
    figure: go.Figure,
    target: float,
    kpi: Kpi,
    lang: str,
    axis: tuple[float, float],
    *,
    horizontal: bool,
    panels: bool = False,
    rows: int = 0,
) -> None:
    """A dashed line at the target when the axis shows it, else a note at the edge it is past.

    The axis is never stretched to reach the target: a regulatory floor at 80% would squash
    data around 95% into a strip. A vertical line's label sits in the top margin, above the
    value labels. In small multiples the line is drawn in every panel, labelled once.
    """
    label = _target_label(target, kpi, lang)
    style = {"line_dash": "dash", "line_color": TARGET_COLOUR, "line_width": 1.5}
    font = {"color": TARGET_COLOUR, "size": 12}
    low, high = axis
    if low <= target <= high:
        if horizontal and panels:
            figure.add_hline(y=target, row="all", col="all", **style)
            figure.add_annotation(
                text=label, xref="paper", yref="paper", x=1, y=1, yanchor="bottom",
                xanchor="right", yshift=18, showarrow=False, font=font,
            )  # fmt: skip
        elif horizontal:
            figure.add_hline(
                y=target, annotation_text=label, annotation_position="top left", **style
            )
        else:  # only across the rows with a dot: it must not cross a 'nessun dato' label
            figure.add_shape(
                type="line", x0=target, x1=target, xref="x", yref="y", y0=-0.5,
                y1=rows - 0.5, line={"dash": "dash", "color": TARGET_COLOUR, "width": 1.5},
            )  # fmt: skip
            figure.add_annotation(
                text=label, x=target, xref="x", y=1, yref="paper", yanchor="bottom",
                showarrow=False, font=font,
            )  # fmt: skip
        return
    where = "above" if target > high else "below"
    note = _text(f"target_{where}", lang, target=label)
    if horizontal and panels:  # over the panels, not inside the last one
        figure.add_annotation(
            text=note, xref="paper", yref="paper", x=1, y=1, yanchor="bottom",
            xanchor="right", yshift=18, showarrow=False, font=font,
        )  # fmt: skip
    elif horizontal:
        y, anchor = (1, "top") if where == "above" else (0, "bottom")
        figure.add_annotation(
            text=note, xref="paper", yref="paper", x=0.01, xanchor="left", y=y, yanchor=anchor,
            showarrow=False, font=font, bgcolor="rgba(255,255,255,0.7)",
        )  # fmt: skip
    else:
        x, anchor = (1, "right") if where == "above" else (0, "left")
        figure.add_annotation(
            text=note, xref="paper", yref="paper", x=x, xanchor=anchor, y=1, yanchor="bottom",
            showarrow=False, font=font,
        )  # fmt: skip


# --- scales -----------------------------------------------------------------------------------


_Scale = list[tuple[float, str]]  # plotly colorscale: (stop 0–1, colour)


@dataclasses.dataclass(frozen=True)
class _Colours:
    """A map's colour range, its scale and the colour bar's ticks."""

    low: float
    high: float
    scale: _Scale
    tickvals: list[float]
    ticktext: list[str]


def _nice_ceil(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least value (> 0)."""
    if value <= 0 or math.isnan(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(round(nice * power, 12) for nice in NICE if nice * power >= value * (1 - 1e-12))


def _bounds(kpi: Kpi) -> tuple[float, float]:
    """The values a KPI can take: 0–100 for a percentage, never below zero for times."""
    return BOUNDS_BY_KPI.get(kpi.code) or BOUNDS.get(kpi.unit) or (0.0, math.inf)


def _min_half_span(kpi: Kpi, middle: float) -> float:
    if kpi.code in MIN_HALF_SPAN_BY_KPI:
        return MIN_HALF_SPAN_BY_KPI[kpi.code]
    if kpi.unit in MIN_HALF_SPAN:
        return MIN_HALF_SPAN[kpi.unit]
    return RELATIVE_HALF_SPAN * abs(middle) or 1.0


def _value_scale(values: np.ndarray, kpi: Kpi) -> tuple[float, float, float]:
    """(low, high, tick step) of a value axis or colour range: never the bare min–max.

    Counts start at zero. Other units span at least MIN_HALF_SPAN either side of the middle of
    the data (10% more than the data when wider), rounded out to whole steps and kept inside
    the unit's natural bounds (0–100% ...) by shifting.
    """
    finite = values[~np.isnan(values)]
    if kpi.unit == "count":
        top = float(finite.max()) if finite.size else 0.0
        step = _nice_ceil(top / 4)
        return 0.0, step * max(1, math.ceil(top / step - 1e-9)), step
    if not finite.size:
        lowest, highest = _bounds(kpi)
        middle = (lowest + highest) / 2 if math.isfinite(highest) else 0.0
        finite = np.array([middle])
    smallest, largest = float(finite.min()), float(finite.max())
    middle = (smallest + largest) / 2
    least = _min_half_span(kpi, middle)
    half = max(least, (largest - smallest) / 2 * 1.1)
    step = _nice_ceil(half / 3)
    low = math.floor((middle - half) / step + 1e-9) * step
    high = math.ceil((middle + half) / step - 1e-9) * step
    lowest, highest = _bounds(kpi)
    # past a natural bound: cut there when what is left still spans the minimum, else shift
    if low < lowest:
        low, high = lowest, high if high - lowest >= 2 * least else min(high - low, highest)
    if high > highest:
        low, high = (
            (low if highest - low >= 2 * least else max(low - high + highest, lowest)),
            (highest),
        )
    return round(low, 9), round(high, 9), step


def _tick_text(value: float, kpi: Kpi, lang: str) -> str:
    """A colour bar tick: '92,5%', '90%', '20.000', '180 s' (no trailing zero decimals)."""
    decimals = next((d for d in range(3) if abs(round(value, d) - value) < 1e-9), 2)
    return formatting.kpi_value(value, dataclasses.replace(kpi, decimals=decimals), lang)


def _ticks(low: float, high: float, step: float, anchor: float) -> list[float]:
    """Ticks every step through anchor within low–high, the two ends always among them."""
    first = anchor + math.ceil((low - anchor) / step - 1e-9) * step
    inner = [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]
    inner = [t for t in inner if t - low > 0.4 * step and high - t > 0.4 * step]
    return [round(t, 9) for t in (low, *inner, high)]


def _map_colours(values: np.ndarray, kpi: Kpi, target: float | None, lang: str) -> _Colours:
    """The colour range and scale of a map (see choropleth_figure)."""
    ends = {"higher": ("worse", "better"), "lower": ("better", "worse")}[kpi.better]
    if kpi.unit == "count":  # a volume: neutral hue from zero
        low, high, step = _value_scale(values, kpi)
        scale = _even(VOLUME)
        ticks = _ticks(low, high, step, low)
        words = {high: _text("scale.more_contacts", lang)}
    elif target is not None:
        finite = values[~np.isnan(values)]
        far = float(np.abs(finite - target).max()) if finite.size else 0.0
        half = _nice_ceil(max(_min_half_span(kpi, target), far))
        full = (target - half, target + half)
        lowest, highest = _bounds(kpi)
        low, high = max(full[0], lowest), min(full[1], highest)
        colours = DIVERGING if kpi.better == "higher" else DIVERGING[::-1]
        scale = _cut(_even(colours), full, (low, high))
        ticks = _ticks(low, high, half / 2, target)
        words = {target: _text("scale.target", lang)}
    else:
        low, high, step = _value_scale(values, kpi)
        scale = _even(SEQUENTIAL if kpi.better == "higher" else SEQUENTIAL[::-1])
        ticks = _ticks(low, high, step, low)
        words = {}
    if kpi.unit != "count":  # the ends say which way is better, whatever the KPI's direction
        sides = {low: _text(f"scale.{ends[0]}", lang), high: _text(f"scale.{ends[1]}", lang)}
        words = sides | words
    text = [_tick_text(t, kpi, lang) + (f"<br>{words[t]}" if t in words else "") for t in ticks]
    return _Colours(float(low), float(high), scale, ticks, text)


def _even(colours: Sequence[str]) -> _Scale:
    last = len(colours) - 1
    return [(index / last, colour) for index, colour in enumerate(colours)]


def _cut(scale: _Scale, full: tuple[float, float], shown: tuple[float, float]) -> _Scale:
    """The part of a scale over `full` that falls inside `shown`, re-spread over 0–1.

    A target scale cut at a natural bound (no wait below 0 s) keeps its neutral colour on the
    target and the same colour per distance from it on both sides.
    """
    if shown == full:
        return scale
    width = full[1] - full[0]

    def at(value: float) -> float:
        return (value - full[0]) / width

    start, end = at(shown[0]), at(shown[1])
    inside = [(stop, colour) for stop, colour in scale if start < stop < end]
    edges = sample_colorscale([[s, _rgb(c)] for s, c in scale], [start, end])
    stops = [(start, edges[0]), *inside, (end, edges[1])]
    return [(round((s - start) / (end - start), 9), c) for s, c in stops]


def _rgb(colour: str) -> str:
    """'#2166AC' -> 'rgb(33, 102, 172)' (plotly's sampler takes rgb strings)."""
    if colour.startswith("#"):
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return f"rgb({red}, {green}, {blue})"
    return colour


def _luminance(colour: str) -> float:
    """Relative lightness 0–1 of an '#rrggbb' or 'rgb(r, g, b)' colour."""
    parts = [float(p) for p in _rgb(colour)[4:-1].split(",")]
    red, green, blue = (p / 255 for p in parts)
    return 0.299 * red + 0.587 * green + 0.114 * blue


def _fill(value: float, colours: _Colours) -> str:
    """The colour plotly paints value with."""
    position = min(max((value - colours.low) / (colours.high - colours.low), 0.0), 1.0)
    return sample_colorscale([[s, _rgb(c)] for s, c in colours.scale], [position])[0]


def _sigla_labels(
    known: pd.DataFrame,
    missing: Sequence[str],
    colours: _Colours,
    lon_range: tuple[float, float],
    lat_range: tuple[float, float],
) -> go.Scattergeo:
    """Each province's sigla at its label point, white on dark fills and dark on light ones."""
    fills = {row.sigla: _fill(row.value, colours) for row in known.itertuples()}
    fills |= dict.fromkeys(missing, NO_DATA_GREY)
    points = {sigla: geo.label_point(sigla) for sigla in fills}
    shown = [
        sigla
        for sigla, (lon, lat) in points.items()
        if lon_range[0] <= lon <= lon_range[1] and lat_range[0] <= lat <= lat_range[1]
    ]
    return go.Scattergeo(
        lon=[points[s][0] for s in shown],
        lat=[points[s][1] for s in shown],
        text=shown,
        customdata=shown,
        mode="text",
        textfont={
            "size": 11,
            "color": ["white" if _luminance(fills[s]) < 0.5 else DARK_TEXT for s in shown],
        },
        hoverinfo="skip",
        showlegend=False,
        name="",
    )


def _map_height(lon_range: tuple[float, float], lat_range: tuple[float, float]) -> int:
    """Pixels for a map about 520 px wide (its Mercator aspect, within 280–480) plus the bar.

    plotly fits the map inside the figure keeping its aspect: a height for a wide desktop
    column would leave a phone's narrow map floating in blank space, one for a phone a desktop
    map small; 520 px wastes little on either.
    """
    middle = math.radians(sum(lat_range) / 2)
    aspect = (lon_range[1] - lon_range[0]) * math.cos(middle) / (lat_range[1] - lat_range[0])
    return int(min(max(520 / aspect, 280), 480)) + 84


def _grey_reason(
    sigla: str, suppressed: set[str], visible: frozenset[str] | None, sample: str, lang: str
) -> str:
    """Why a province on the map has no colour: too few answers, outside the view, no data."""
    if sigla in suppressed:
        return _text("suppressed", lang, sample=sample)
    if visible is not None and sigla not in visible:
        return _text("outside_scope", lang)
    return _text("no_data", lang)


def _dot_colour(value: float, kpi: Kpi, target: float | None) -> str:
    """Blue meets the target (at the precision shown), orange misses; blue without one."""
    if target is None or math.isnan(value):
        return PALETTE[0]
    shown = float(i18n.shown(value, kpi.decimals))  # the rounding the label is printed with
    meets = shown >= target if kpi.better == "higher" else shown <= target
    return PALETTE[0] if meets else MISSES_COLOUR
