"""The exact numbers under a chart: a kpi_series frame as an st.dataframe in Italian.

The cells keep their numbers (so a click on a header sorts by value, not by text) and a pandas
Styler gives each one its Italian display text: st.column_config's printf formats cannot put a
decimal comma or a unit after it, and "localized" follows the browser, not the product.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from data_access.kpis import Kpi
from ui import formatting
from ui.charts import bucket_label

SUPPRESSED = "meno di 30 risposte"
LABELS = {
    "bucket": "Periodo",
    "province": "Provincia",
    "n": "n",
    "ci_low": "IC 95% da",
    "ci_high": "IC 95% a",
    "note": "Nota",
}
HELP = {
    "bucket": "Inizio del periodo (settimana, mese, trimestre o anno).",
    "n": "Base del calcolo: risposte per le indagini, il denominatore (chiamate, contatti, "
    "clienti, casi) per gli altri indicatori.",
    "ci_low": "Limite inferiore dell'intervallo di confidenza al 95%.",
    "ci_high": "Limite superiore dell'intervallo di confidenza al 95%.",
}
ROW_HEIGHT = 35  # pixels per row in st.dataframe, header included
MAX_HEIGHT = 400  # a longer table scrolls inside this height


def table_frame(
    series: pd.DataFrame, *, kpi: Kpi, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The rows to show, as numbers: bucket and/or province name, value, n, interval (surveys).

    Rows are ordered by bucket, then province name; suppressed values are NaN, and survey KPIs
    get a `note` saying why ('meno di 30 risposte').
    """
    names = names or {}
    table = pd.DataFrame(index=series.index)
    if "bucket" in series:
        table["bucket"] = [pd.Timestamp(bucket).date() for bucket in series["bucket"]]
    if "province" in series:
        table["province"] = [names.get(str(s), str(s)) for s in series["province"]]
    columns = ["value", "n", *(("ci_low", "ci_high") if kpi.is_estimate else ())]
    for column in columns:
        table[column] = series[column].astype("float64") if column in series else math.nan
    table["suppressed"] = series["suppressed"].astype(bool) if "suppressed" in series else False
    if kpi.is_estimate:  # an empty cell shows the placeholder, so the reason gets its own column
        table["note"] = [SUPPRESSED if hidden else "" for hidden in table["suppressed"]]
    order = [column for column in ("bucket", "province") if column in table]
    if order:
        table = table.sort_values(order, kind="stable")
    return table.reset_index(drop=True)


def table_styler(table: pd.DataFrame, *, kpi: Kpi, grain: str | None) -> Styler:
    """The table_frame with Italian display text: buckets in words, values with their unit."""
    shown = table.drop(columns="suppressed")
    formats: dict[str, Any] = {
        "value": lambda v: formatting.kpi_value(_number(v), kpi),
        "n": lambda v: formatting.number(_number(v)),
    }
    if grain is not None and "bucket" in shown:
        formats["bucket"] = lambda b: bucket_label(b, grain) if isinstance(b, date) else ""
    for column in ("ci_low", "ci_high"):
        if column in shown:
            formats[column] = lambda v: formatting.kpi_value(_number(v), kpi)
    return shown.style.format(formats)


def column_config(table: pd.DataFrame, *, kpi: Kpi) -> dict[str, Any]:
    """Headers and help for the table's columns (the display text comes from the Styler)."""
    config: dict[str, Any] = {
        "value": st.column_config.NumberColumn(kpi.label, help=kpi.help),
        "n": st.column_config.NumberColumn(LABELS["n"], help=HELP["n"]),
    }
    if "bucket" in table:
        config["bucket"] = st.column_config.DateColumn(LABELS["bucket"], help=HELP["bucket"])
    if "province" in table:
        config["province"] = st.column_config.TextColumn(LABELS["province"])
    for column in ("ci_low", "ci_high"):
        if column in table:
            config[column] = st.column_config.NumberColumn(LABELS[column], help=HELP[column])
    if "note" in table:
        config["note"] = st.column_config.TextColumn(LABELS["note"])
    return config


def series_table(
    series: pd.DataFrame,
    *,
    kpi: Kpi,
    grain: str | None,
    names: Mapping[str, str] | None = None,
    key: str | None = None,
) -> None:
    """Draw a kpi_series frame as a sortable table; grain None when it has no bucket column."""
    table = table_frame(series, kpi=kpi, names=names)
    if table.empty:
        st.caption("Nessun valore da mostrare in tabella.")
        return
    st.dataframe(
        table_styler(table, kpi=kpi, grain=grain),
        column_config=column_config(table, kpi=kpi),
        column_order=[column for column in table.columns if column != "suppressed"],
        hide_index=True,
        placeholder=formatting.MISSING,  # empty cells show this, not the Styler's text
        width="stretch",
        height=min(MAX_HEIGHT, ROW_HEIGHT * (len(table) + 1) + 3),
        key=key,
    )


def _number(value: Any) -> float | None:
    """A float, or None for NaN/NA/None (formatting shows '–')."""
    if value is None or pd.isna(value):
        return None
    return float(value)
