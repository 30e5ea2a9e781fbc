"""The exact numbers under a chart: a kpi_series frame as an st.dataframe in the view's language.

The cells keep their numbers (so a click on a header sorts by value, not by text) and a pandas
Styler gives each one its display text in the language (Babel): st.column_config's printf formats
cannot put a decimal comma or a unit after it, and "localized" follows the browser, not the product.
Headers and help come from the catalogue (keys "table.*").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from data_access.i18n import text
from data_access.kpis import Kpi
from ui import formatting
from ui.charts import bucket_label
from ui.downloads import shown_columns, table_download
from ui.formatting import LANG

ROW_HEIGHT = 35  # pixels per row in st.dataframe, header included
MAX_HEIGHT = 400  # a longer table scrolls inside this height


def table_frame(
    series: pd.DataFrame,
    *,
    kpi: Kpi,
    names: Mapping[str, str] | None = None,
    lang: str = LANG,
) -> pd.DataFrame:
    """The rows to show, as numbers: bucket and/or province name, value, n, interval (KPIs
    with one: surveys, shares of few cases).

    Rows are ordered by bucket, then province name; suppressed values are NaN. Survey and
    time-to-reply KPIs get a `note` saying why a value is missing ('meno di 30 risposte') or
    that it is provisional ('provvisorio: 222 in attesa di risposta').
    """
    names = names or {}
    table = pd.DataFrame(index=series.index)
    if "bucket" in series:
        table["bucket"] = [pd.Timestamp(bucket).date() for bucket in series["bucket"]]
    if "province" in series:
        table["province"] = [names.get(str(s), str(s)) for s in series["province"]]
    columns = ["value", "n", *(("ci_low", "ci_high") if kpi.has_interval else ())]
    for column in columns:
        table[column] = series[column].astype("float64") if column in series else math.nan
    table["suppressed"] = series["suppressed"].astype(bool) if "suppressed" in series else False
    if kpi.is_estimate or kpi.is_censored:  # an empty cell shows the placeholder: say why
        table["note"] = _notes(series, kpi, table["suppressed"].tolist(), lang)
    order = [column for column in ("bucket", "province") if column in table]
    if order:
        table = table.sort_values(order, kind="stable")
    return table.reset_index(drop=True)


def _notes(series: pd.DataFrame, kpi: Kpi, suppressed: list[bool], lang: str) -> list[str]:
    """Per row: why the value is not shown and/or that it is provisional, with pending cases."""
    hidden = text("table.suppressed" if kpi.is_estimate else "table.suppressed_cases", lang)
    size = len(series)
    provisional = series["provisional"].tolist() if "provisional" in series else [False] * size
    pending = series["pending"].tolist() if "pending" in series else [0] * size
    notes = []
    for is_hidden, is_provisional, waiting in zip(suppressed, provisional, pending, strict=True):
        parts = [hidden] if is_hidden else []
        if is_provisional:
            count = formatting.number(float(waiting), 0, lang)
            parts.append(text("table.provisional", lang, pending=count))
        notes.append("; ".join(parts))
    return notes


def table_styler(table: pd.DataFrame, *, kpi: Kpi, grain: str | None, lang: str = LANG) -> Styler:
    """The table_frame with display text in lang: buckets in words, values with their unit."""
    shown = table.drop(columns="suppressed")
    formats: dict[str, Any] = {
        "value": lambda v: formatting.kpi_value(cell_number(v), kpi, lang),
        "n": lambda v: formatting.number(cell_number(v), 0, lang),
    }
    if grain is not None and "bucket" in shown:
        formats["bucket"] = lambda b: bucket_label(b, grain, lang) if isinstance(b, date) else ""
    for column in ("ci_low", "ci_high"):
        if column in shown:
            formats[column] = lambda v: formatting.kpi_value(cell_number(v), kpi, lang)
    return shown.style.format(formats)


def column_config(table: pd.DataFrame, *, kpi: Kpi, lang: str = LANG) -> dict[str, Any]:
    """Headers and help for the table's columns (the display text comes from the Styler)."""

    def label(column: str) -> str:
        return text(f"table.{column}", lang)

    def helped(column: str) -> str:
        return text(f"table.help.{column}", lang)

    config: dict[str, Any] = {
        "value": st.column_config.NumberColumn(kpi.label(lang), help=kpi.help(lang)),
        "n": st.column_config.NumberColumn(label("n"), help=helped("n")),
    }
    if "bucket" in table:
        config["bucket"] = st.column_config.DateColumn(label("bucket"), help=helped("bucket"))
    if "province" in table:
        config["province"] = st.column_config.TextColumn(label("province"))
    for column in ("ci_low", "ci_high"):
        if column in table:
            config[column] = st.column_config.NumberColumn(label(column), help=helped(column))
    if "note" in table:
        config["note"] = st.column_config.TextColumn(label("note"))
    return config


def series_table(
    series: pd.DataFrame,
    *,
    kpi: Kpi,
    grain: str | None,
    names: Mapping[str, str] | None = None,
    key: str | None = None,
    lang: str = LANG,
) -> None:
    """Draw a kpi_series frame as a sortable table; grain None when it has no bucket column."""
    table = table_frame(series, kpi=kpi, names=names, lang=lang)
    if table.empty:
        st.caption(text("table.empty", lang))
        return
    st.dataframe(
        table_styler(table, kpi=kpi, grain=grain, lang=lang),
        column_config=column_config(table, kpi=kpi, lang=lang),
        column_order=[column for column in table.columns if column != "suppressed"],
        hide_index=True,
        placeholder=formatting.MISSING,  # empty cells show this, not the Styler's text
        width="stretch",
        height=min(MAX_HEIGHT, ROW_HEIGHT * (len(table) + 1) + 3),
        key=key,
    )
    table_download(
        table, key=key, kpi=kpi.code, columns=shown_columns(table, {"suppressed"}), counts=("n",)
    )


def cell_number(value: Any) -> float | None:
    """A float, or None for NaN/NA/None (formatting shows '–')."""
    if value is None or pd.isna(value):
        return None
    return float(value)
