"""The exact numbers under the Canali page's charts, as sortable st.dataframes in the view's
language: ui.tables' cells, formats and column help, plus the channel and segment columns."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from data_access.i18n import text
from data_access.kpis import Kpi
from ui import formatting, tables
from ui.charts import bucket_label
from ui.downloads import shown_columns, table_download

NAMED = ("province", "channel", "segment")  # key columns shown by their display names
Format = Callable[[Any], str]


def _label(column: str, lang: str) -> str:
    return text(f"channels_page.table.{column}", lang)


def kpi_table(
    series: pd.DataFrame,
    *,
    kpi: Kpi,
    grain: str | None,
    names: Mapping[str, Mapping[str, str]],
    key: str,
    lang: str,
    extra: Mapping[str, tuple[str, Format]] | None = None,
    value: tuple[str, str] | None = None,
) -> None:
    """Draw a frame keyed by bucket and/or province, channel, segment (names: display names
    per key) with its KPI's value, n and, for KPIs with one, the 95% interval; extra columns
    of series are shown after them, each as (header, format); value: the value column's
    (header, help) when it is not the KPI's own (every channel's adoption).
    """
    extra = extra or {}
    table = pd.DataFrame(index=series.index)
    if "bucket" in series:
        table["bucket"] = [pd.Timestamp(b).date() for b in series["bucket"]]
    for column in NAMED:
        if column in series:
            lookup = names.get(column, {})
            table[column] = [lookup.get(str(c), str(c)) for c in series[column]]
    for column in ("value", "n", *(("ci_low", "ci_high") if kpi.has_interval else ())):
        table[column] = series[column].astype("float64") if column in series else math.nan
    table["suppressed"] = series["suppressed"].astype(bool) if "suppressed" in series else False
    if kpi.is_estimate:
        note = text("table.suppressed", lang)
        table["note"] = [note if s else "" for s in table["suppressed"]]
    for column in extra:
        table[column] = series[column]
    order = [c for c in ("bucket", *NAMED) if c in table]
    table = table.sort_values(order, kind="stable").reset_index(drop=True) if order else table
    if table.empty:
        st.caption(text("table.empty", lang))
        return
    styler = tables.table_styler(table, kpi=kpi, grain=grain, lang=lang)
    if extra:  # a format call without a subset would reset the other columns' formats
        styler = styler.format({c: fmt for c, (_, fmt) in extra.items()}, subset=list(extra))
    config = tables.column_config(table, kpi=kpi, lang=lang)
    if value is not None:
        config["value"] = st.column_config.NumberColumn(value[0], help=value[1])
    for column in NAMED:
        if column in table and column != "province":
            config[column] = st.column_config.TextColumn(_label(column, lang))
    for column, (header, _) in extra.items():
        config[column] = st.column_config.NumberColumn(header)
    hidden = {"suppressed", *(("n",) if kpi.unit == "count" else ())}  # a count is its own n
    _draw(styler, table, config, key, hidden)
    table_download(
        table, key=key, kpi=kpi.code, columns=shown_columns(table, hidden), counts=("n",)
    )


def reaching_table(
    reached: pd.DataFrame,
    *,
    kpi: Kpi,
    threshold: str,
    provinces: Mapping[str, str],
    key: str,
    lang: str,
) -> None:
    """The month each province first reached a mark (queries.channels.reaching), a sentence
    per province when it never did or was there from the first month of data."""
    table = pd.DataFrame(
        {
            "province": [provinces.get(s, s) for s in reached["province"]],
            "month": [_reached(row, threshold, lang) for row in reached.itertuples()],
            "value": reached["value"].astype("float64"),
            "latest": reached["latest"].astype("float64"),
        }
    )
    value: Format = lambda v: formatting.kpi_value(tables.cell_number(v), kpi, lang)  # noqa: E731
    styler = table.style.format({"value": value, "latest": value})
    reached_help = text("channels_page.table.help.reached", lang, threshold=threshold)
    config = {
        "province": st.column_config.TextColumn(text("table.province", lang)),
        "month": st.column_config.TextColumn(_label("reached", lang), help=reached_help),
        "value": st.column_config.NumberColumn(_label("reached_value", lang), help=kpi.help(lang)),
        "latest": st.column_config.NumberColumn(_label("latest", lang), help=kpi.help(lang)),
    }
    _draw(styler, table, config, key)
    months = {"month": [_month_or_none(month) for month in reached["month"]]}
    table_download(table.assign(**months), key=key, kpi=kpi.code)


def _month_or_none(value: Any) -> date | None:
    """The month a mark was reached as a date (the download's value), None when never."""
    return None if value is None or pd.isna(value) else _day(value)


def _reached(row: Any, threshold: str, lang: str) -> str:
    """'giu 2020', 'da gen 2019 (primo mese con dati)' or 'non ancora'."""
    if row.month is None or (isinstance(row.month, float) and math.isnan(row.month)):
        return text("channels_page.table.not_yet", lang, threshold=threshold)
    month = bucket_label(_day(row.month), "month", lang, long=True)
    if _day(row.month) == _day(row.first_month):
        return text("channels_page.table.from_start", lang, month=month)
    return month


def _day(value: Any) -> date:
    return pd.Timestamp(value).date()


def _draw(
    styler: Any,
    table: pd.DataFrame,
    config: dict[str, Any],
    key: str,
    hidden: set[str] | frozenset[str] = frozenset({"suppressed"}),
) -> None:
    st.dataframe(
        styler,
        column_config=config,
        column_order=[column for column in table.columns if column not in hidden],
        hide_index=True,
        placeholder=formatting.MISSING,
        width="stretch",
        height=min(tables.MAX_HEIGHT, tables.ROW_HEIGHT * (len(table) + 1) + 3),
        key=key,
    )
