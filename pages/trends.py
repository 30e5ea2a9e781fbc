"""Trends: one KPI over time per province, against its target and the comparison period, and
the map of the provinces; a click on a line or a province narrows the view to that province."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access.i18n import text
from data_access.kpis import KPIS, Kpi, not_applicable_sentence
from ui import charts, data, formatting
from ui.header import page_header
from ui.page_list import page_title
from ui.province_click import clickable_chart
from ui.tables import series_table
from ui.url_choice import page_choice, register
from ui.view import View, current_view

KPI_PARAM = "kpi"  # the URL parameter this page owns; the sidebar owns the others
DEFAULT_KPI = "service_level"  # a census KPI: every province has a value from the first month
WIDGET = "w_trends_kpi"
CHOOSER_WIDTH = 420  # pixels: long enough for the longest KPI label
COMPARE_PARAM = "cmp_lines"  # URL: 1 draws the comparison period's lines, 0 hides them
COMPARE_WIDGET = "w_trends_cmp"
COMPARE_UP_TO = 2  # provinces: up to two lines get their comparison by default, more do not


def render() -> None:
    """Draw the trends page."""
    view = current_view()
    if not page_header(page_title("trends", view.lang), view):
        return
    kpi = KPIS[_chosen_kpi(view.lang)]
    if view.period is None:
        st.info(text("trends.incomplete_period", view.lang))
        return
    label, ignored = kpi.label(view.lang), kpi.ignored_by(view.filters)
    if not data.has_source_data(kpi.code):  # say it once, not a chart and tables of '–'
        st.info(text("trends.no_source", view.lang, kpi=label))
        return
    if ignored:  # a filter this KPI does not depend on: no unfiltered number
        st.info(not_applicable_sentence(kpi, ignored, view.lang))
        return
    provinces = view.names.get("provinces", {})
    _trend(view, kpi, provinces)
    _map(view, kpi, provinces)


def _chosen_kpi(lang: str) -> str:
    """The KPI chooser, kept in step with ?kpi= (ui.url_choice: a link or the back button wins)."""
    return page_choice(
        KPI_PARAM,
        list(KPIS),
        default=DEFAULT_KPI,
        key=WIDGET,
        label=text("trends.indicator", lang),
        format_func=lambda c: KPIS[c].label(lang),
        lang=lang,
        problem="problem.unknown_kpi",
        help=text("trends.indicator_help", lang),
        width=CHOOSER_WIDTH,
    )


def _trend(view: View, kpi: Kpi, provinces: dict[str, str]) -> None:
    """The KPI per bucket, one line per province, with target and comparison, and its numbers."""
    if view.period is None:  # render() has said so already
        return
    filters, grain, lang = view.filters, view.filters.grain, view.lang
    label = kpi.label(lang)
    st.subheader(text("trends.over_time", lang, kpi=label))
    by = ("bucket", "province")
    series = data.kpi_series(filters, view.scope, kpi.code, by, period=view.period)
    if series.empty:
        st.info(text("trends.no_data", lang, kpi=label))
        return
    if series["value"].isna().all():
        _no_values(kpi, series, lang)
    else:
        _missing_provinces(kpi, filters.provinces, series, provinces, lang)
        compared = filters.comparison(view.period)
        before = None
        shift = None
        if compared is not None and not _show_comparison(series["province"].nunique(), lang):
            compared = None
        if compared is not None:
            before = data.kpi_series(filters, view.scope, kpi.code, by, period=compared)
            shift = charts.comparison_shift(view.period, compared, grain)
        only = filters.provinces[0] if len(filters.provinces) == 1 else None
        target = data.target(kpi.code, on=view.period.end, province=only)
        figure = charts.trend_figure(
            series,
            kpi=kpi,
            target=target.threshold if target is not None else None,
            comparison=before,
            grain=grain,
            shift=shift,
            names=provinces,
            lang=lang,
        )
        clickable_chart(figure, name="trends_trend", current=filters.provinces, lang=lang)
        provisional = _provisional(series)
        st.caption(_trend_note(kpi, target is not None, compared is not None, provisional, lang))
        if series["bucket"].nunique() == 1:
            st.caption(text(f"trends.one_bucket.{grain}", lang))
    series_table(series, kpi=kpi, grain=grain, names=provinces, key="trend_table", lang=lang)


def _map(view: View, kpi: Kpi, provinces: dict[str, str]) -> None:
    """Every visible province coloured by the KPI over the period, framed on those with data."""
    if view.period is None:  # render() has said so already
        return
    lang = view.lang
    label = kpi.label(lang)
    st.subheader(text("trends.by_province", lang, kpi=label))
    everywhere = view.filters.narrowed(provinces=())  # neighbours give the selection context
    values = data.kpi_series(everywhere, view.scope, kpi.code, ("province",), period=view.period)
    known = values[values["value"].notna()] if not values.empty else values
    if known.empty:
        if _provisional(values):
            pending = formatting.number(values["pending"].sum(), 0, lang)
            st.info(text("trends.map_provisional", lang, kpi=label, pending=pending))
        elif not values.empty and values["suppressed"].any():
            st.info(text("trends.map_suppressed", lang, kpi=label, sample=kpi.sample(lang)))
        else:
            st.info(text("trends.map_no_data", lang, kpi=label))
        return
    target = data.target(kpi.code, on=view.period.end)
    figure = charts.choropleth_figure(
        values,
        kpi=kpi,
        target=target.threshold if target is not None else None,
        visible=view.scope.visible(),
        lang=lang,
    )
    clickable_chart(
        figure,
        name="trends_map",
        current=view.filters.provinces,
        lang=lang,
        allowed=set(known["province"]),
    )
    st.caption(text("trends.map_note", lang))
    st.caption(charts.attribution(lang))
    series_table(values, kpi=kpi, grain=None, names=provinces, key="map_table", lang=lang)


def _show_comparison(lines: int, lang: str) -> bool:
    """The toggle for the comparison period's lines, kept in step with ?cmp_lines=.

    On by default for up to COMPARE_UP_TO provinces (two lines and their two dashed twins),
    off for more; the URL carries only a choice that differs from that default, so a shared
    link reproduces the chart.
    """
    default = lines <= COMPARE_UP_TO
    wanted = {"1": True, "0": False}.get(st.query_params.get(COMPARE_PARAM, ""), default)
    st.session_state[COMPARE_WIDGET] = wanted
    st.toggle(
        text("trends.show_comparison", lang),
        key=COMPARE_WIDGET,
        on_change=_write_comparison,
        args=(default,),
        help=text("trends.show_comparison_help", lang),
    )
    register(COMPARE_PARAM, None if wanted == default else "1" if wanted else "0")
    return wanted


def _write_comparison(default: bool) -> None:
    """Put the toggle's choice in the URL when it is not the default, else leave it out."""
    shown = bool(st.session_state.get(COMPARE_WIDGET))
    if shown == default:
        if COMPARE_PARAM in st.query_params:
            del st.query_params[COMPARE_PARAM]
    else:
        st.query_params[COMPARE_PARAM] = "1" if shown else "0"


def _missing_provinces(
    kpi: Kpi,
    selected: tuple[str, ...],
    series: pd.DataFrame,
    provinces: dict[str, str],
    lang: str,
) -> None:
    """Say which selected provinces have no value (no customers, no data, too few answers)."""
    with_values = set(series.loc[series["value"].notna(), "province"])
    suppressed = set(series.loc[series["suppressed"], "province"])
    for sigla in selected:
        if sigla in with_values:
            continue
        name = provinces.get(sigla, sigla)
        key = "trends.missing_suppressed" if sigla in suppressed else "trends.missing"
        st.info(text(key, lang, name=name, sample=kpi.sample(lang)))


def _provisional(series: pd.DataFrame) -> bool:
    """True when the series has cases still within their reply time."""
    return "provisional" in series and bool(series["provisional"].any())


def _no_values(kpi: Kpi, series: pd.DataFrame, lang: str) -> None:
    if _provisional(series):  # mostly still open: no value yet, whatever the sample
        pending = formatting.number(series["pending"].sum(), 0, lang)
        st.info(text("trends.all_provisional", lang, kpi=kpi.label(lang), pending=pending))
        return
    suppressed = kpi.min_n > 0 and series["suppressed"].any()
    key = "trends.all_suppressed" if suppressed else "trends.no_values"
    st.info(text(key, lang, kpi=kpi.label(lang), sample=kpi.sample(lang)))


def _trend_note(
    kpi: Kpi, has_target: bool, has_comparison: bool, provisional: bool, lang: str
) -> str:
    parts = ["lines"]
    if has_comparison:
        parts.append("comparison")
    if has_target:
        parts.append("target")
    if provisional:
        parts.append("provisional")
    if kpi.min_n > 0:
        parts.append("suppressed")
    said = "; ".join(text(f"trends.note.{part}", lang, sample=kpi.sample(lang)) for part in parts)
    return text("trends.note.end", lang, parts=said)


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
