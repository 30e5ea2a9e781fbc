"""The contact-centre page's "Waiting" and "When customers call" sections: charts, the exact
numbers under them, and what the data cannot say (no wait bands, a filter the hours ignore).

The page calls render_waiting(view) and render_when(view); reads are cached like ui.data's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from data_access.db import get_engine
from data_access.filters import Filters
from data_access.i18n import text
from data_access.periods import Period
from data_access.queries.waits import BANDS, HourGrid, band_column, hour_grid, wait_bands
from data_access.scope import Scope
from ui import charts, formatting, wait_charts
from ui.data import TTL, Store, current_store
from ui.downloads import table_download
from ui.province_click import clickable_chart
from ui.tables import MAX_HEIGHT, ROW_HEIGHT
from ui.view import View


@st.cache_data(ttl=TTL, show_spinner=False)
def _bands(
    store: Store, filters: Filters, scope: Scope, by: tuple[str, ...], period: Period
) -> pd.DataFrame:
    return wait_bands(
        engine=get_engine(store.url), filters=filters, scope=scope, by=by, period=period
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def _hours(store: Store, filters: Filters, scope: Scope, period: Period) -> HourGrid:
    return hour_grid(engine=get_engine(store.url), filters=filters, scope=scope, period=period)


def render_waiting(view: View) -> None:
    """The "Waiting" section: shares answered within 20-240 s over time and per province."""
    lang = view.lang
    st.subheader(text("waits.title", lang))
    if view.period is None:
        st.info(text("waits.no_period", lang))
        return
    store = current_store()
    over_time = _bands(store, view.filters, view.scope, ("bucket",), view.period)
    answered, banded = int(over_time["answered"].sum()), int(over_time["banded"].sum())
    if not answered:
        st.info(text("waits.no_calls", lang))
        return
    if not banded:
        st.info(text("waits.no_bands", lang))
        return
    if banded < answered:
        share = formatting.percent(banded / answered * 100, 1, lang)
        st.caption(
            text(
                "waits.partial",
                lang,
                banded=formatting.number(banded, 0, lang),
                answered=formatting.number(answered, 0, lang),
                share=share,
            )
        )
    grain = view.filters.grain
    st.plotly_chart(
        wait_charts.bands_over_time_figure(over_time, grain=grain, lang=lang),
        key="waits_over_time",
        config=charts.plotly_config(lang),
        width="stretch",
    )
    st.caption(text("waits.note", lang))
    _bands_table(over_time, lang, key="waits_over_time_table", when=grain)
    _by_province(view)


def _by_province(view: View) -> None:
    """Each visible province's bands over the period; a click narrows the view to it."""
    lang, provinces = view.lang, view.names.get("provinces", {})
    st.markdown(f"**{text('waits.by_province', lang)}**")
    everywhere = view.filters.narrowed(provinces=())  # the neighbours give the context
    assert view.period is not None  # render_waiting returned otherwise
    frame = _bands(current_store(), everywhere, view.scope, ("province",), view.period)
    frame = frame[frame["answered"] > 0]
    without = frame.loc[frame["banded"] == 0, "province"].tolist()
    if len(without) < len(frame):
        clickable_chart(
            wait_charts.bands_by_province_figure(frame, names=provinces, lang=lang),
            name="waits_provinces",
            current=view.filters.provinces,
            lang=lang,
        )
        st.caption(text("waits.province_note", lang))
    if without:
        names = ", ".join(provinces.get(s, s) for s in without)
        st.caption(text("waits.provinces_without", lang, names=names))
    _bands_table(frame, lang, key="waits_provinces_table", names=provinces)


def _bands_table(
    frame: pd.DataFrame,
    lang: str,
    *,
    key: str,
    when: str | None = None,
    names: dict[str, str] | None = None,
) -> None:
    """The exact numbers of a wait_bands frame: key, answered, banded, each band's share."""
    table = frame.copy()
    formats: dict[str, Callable[[Any], str]] = {
        "answered": lambda v: formatting.number(v, 0, lang),
        "banded": lambda v: formatting.number(v, 0, lang),
    }
    config: dict[str, Any] = {
        "answered": _column("answered", lang),
        "banded": _column("banded", lang),
    }
    if when is not None:
        table["bucket"] = [pd.Timestamp(b).date() for b in table["bucket"]]
        formats["bucket"] = lambda b: (
            charts.bucket_label(b, when, lang) if isinstance(b, date) else ""
        )
        config["bucket"] = st.column_config.DateColumn(
            text("table.bucket", lang), help=text("table.help.bucket", lang)
        )
    else:
        table["province"] = [(names or {}).get(s, s) for s in table["province"]]
        config["province"] = st.column_config.TextColumn(text("table.province", lang))
    for seconds in BANDS:
        column = band_column(seconds)
        formats[column] = lambda v: formatting.percent(v, 1, lang)
        config[column] = st.column_config.NumberColumn(
            wait_charts.band_label(seconds, lang),
            help=text("waits.help.within", lang, seconds=seconds),
        )
    _dataframe(table, formats, config, key)


def _column(name: str, lang: str) -> Any:
    return st.column_config.NumberColumn(
        text(f"waits.col.{name}", lang), help=text(f"waits.help.{name}", lang)
    )


def _dataframe(
    table: pd.DataFrame, formats: dict[str, Callable[[Any], str]], config: dict[str, Any], key: str
) -> None:
    st.dataframe(
        table.style.format(formats),
        column_config=config,
        hide_index=True,
        placeholder=formatting.MISSING,
        width="stretch",
        height=min(MAX_HEIGHT, ROW_HEIGHT * (len(table) + 1) + 3),
        key=key,
    )
    table_download(table, key=key)


def render_when(view: View) -> None:
    """The "When customers call" section: contacts and answer rate by weekday × hour."""
    lang = view.lang
    st.subheader(text("waits.hours_title", lang))
    if view.period is None:
        st.info(text("waits.no_period", lang))
        return
    grid = _hours(current_store(), view.filters, view.scope, view.period)
    if grid.ignored:
        st.info(text("waits.hours_not_applicable", lang))
        return
    if not grid.has_data or grid.months is None:
        st.info(text("waits.hours_no_data", lang))
        return
    first = charts.bucket_label(grid.months.start, "month", lang, long=True)
    last = charts.bucket_label(grid.months.end, "month", lang, long=True)
    st.caption(text("waits.hours_months", lang, first=first, last=last))
    for value in ("contacts", "answer_rate"):
        st.markdown(f"**{text(f'waits.hours_{value}', lang)}**")
        st.plotly_chart(
            wait_charts.hour_heatmap_figure(grid.cells, value=value, lang=lang),
            key=f"waits_hours_{value}",
            config=charts.plotly_config(lang),
            width="stretch",
        )
    st.caption(text("waits.hours_note", lang))
    _hours_table(grid.cells, lang)


def _hours_table(cells: pd.DataFrame, lang: str) -> None:
    """The exact numbers of the grid's cells with contacts: weekday, hour, counts, rate."""
    days = wait_charts.weekday_names(lang)
    table = cells[cells["contacts"] > 0].copy()
    table["weekday"] = [days[w - 1] for w in table["weekday"]]
    table["hour"] = [f"{h}–{h + 1}" for h in table["hour"]]
    formats: dict[str, Callable[[Any], str]] = {
        name: (lambda v: formatting.number(v, 0, lang))
        for name in ("contacts", "queued", "answered")
    }
    formats["answer_rate"] = lambda v: formatting.percent(v, 1, lang)
    config: dict[str, Any] = {
        "weekday": st.column_config.TextColumn(text("waits.col.weekday", lang)),
        "hour": st.column_config.TextColumn(text("waits.col.hour", lang)),
        **{name: _column(name, lang) for name in ("contacts", "queued", "answered", "answer_rate")},
    }
    _dataframe(table, formats, config, "waits_hours_table")
