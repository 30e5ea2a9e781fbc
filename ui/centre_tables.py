"""The exact numbers under the contact-centre page's charts: a frame of numbers shown as an
st.dataframe whose cells keep their values (sorting by value) and read in the view's language
through a pandas Styler, as ui.tables does for kpi_series frames."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from data_access.i18n import shown, text
from data_access.kpis import Kpi
from ui import formatting
from ui.downloads import table_download
from ui.tables import MAX_HEIGHT, ROW_HEIGHT, cell_number

Format = Callable[[Any], str]


COUNT = "is_count"  # the attribute marking count_format's functions: their columns are counts


def count_format(lang: str) -> Format:
    """Whole numbers in lang ('1.234'); '–' for a missing one."""

    def whole(value: Any) -> str:
        return formatting.number(cell_number(value), 0, lang)

    setattr(whole, COUNT, True)  # the download writes these columns as integers
    return whole


def kpi_format(kpi: Kpi, lang: str) -> Format:
    """A KPI's value with its unit in lang ('57,0%', '99 s')."""
    return lambda v: formatting.kpi_value(cell_number(v), kpi, lang)


def percent_format(lang: str, decimals: int = 1) -> Format:
    """A percentage in lang ('12,3%')."""
    return lambda v: formatting.percent(cell_number(v), decimals, lang)


def change_format(lang: str) -> Format:
    """A signed percentage change in lang ('+45,8%', '−3,1%')."""

    def signed(value: Any) -> str:
        number = cell_number(value)
        if number is None:
            return formatting.MISSING
        said = formatting.percent(abs(number), 1, lang)
        rounded = shown(number, 1)
        return said if rounded == 0 else ("+" if rounded > 0 else "−") + said

    return signed


def kpi_column(kpi: Kpi, lang: str) -> Any:
    """A number column headed and explained by the KPI registry."""
    return st.column_config.NumberColumn(kpi.label(lang), help=kpi.help(lang))


def text_column(key: str, lang: str, *, helped: bool = False) -> Any:
    """A text column headed by centre.table.<key> (helped: with centre.table.help.<key>)."""
    help_text = text(f"centre.table.help.{key}", lang) if helped else None
    return st.column_config.TextColumn(text(f"centre.table.{key}", lang), help=help_text)


def number_column(key: str, lang: str) -> Any:
    """A number column headed by centre.table.<key> and explained by centre.table.help.<key>."""
    return st.column_config.NumberColumn(
        text(f"centre.table.{key}", lang), help=text(f"centre.table.help.{key}", lang)
    )


def numbers_table(
    frame: pd.DataFrame,
    *,
    formats: Mapping[str, Format],
    config: Mapping[str, Any],
    key: str,
    lang: str,
) -> None:
    """Draw frame (its columns in order) with each cell's text from formats and headers and
    help from config; an empty frame says so."""
    if frame.empty:
        st.caption(text("table.empty", lang))
        return
    st.dataframe(
        frame.style.format(dict(formats)),
        column_config=dict(config),
        hide_index=True,
        placeholder=formatting.MISSING,
        width="stretch",
        height=min(MAX_HEIGHT, ROW_HEIGHT * (len(frame) + 1) + 3),
        key=key,
    )
    counts = [column for column, fmt in formats.items() if getattr(fmt, COUNT, False)]
    table_download(frame, key=key, counts=counts)
