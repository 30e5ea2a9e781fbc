"""Cached reads for the pages: keyed on Filters and Scope, cleared when an import lands."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from data_access import queries
from data_access.db import get_engine
from data_access.filters import Filters
from data_access.scope import Scope


@st.cache_data(ttl=600, show_spinner=False)
def latest_day() -> date | None:
    """The latest day with data in the store."""
    return queries.latest_day(get_engine())


@st.cache_data(ttl=600, show_spinner=False)
def freshness() -> datetime | None:
    """When the last import ran."""
    return queries.freshness(get_engine())


@st.cache_data(ttl=600, show_spinner=False)
def names() -> dict[str, dict[str, str]]:
    """Display names of provinces, areas, channels, segments and topics."""
    return queries.dimension_names(get_engine())


@st.cache_data(ttl=600, show_spinner=False)
def kpi_value(filters: Filters, scope: Scope, kpi: str) -> queries.KpiValue:
    """One KPI over the period and its comparison."""
    return queries.kpi_value(engine=get_engine(), filters=filters, scope=scope, kpi=kpi)


@st.cache_data(ttl=600, show_spinner=False)
def kpi_series(filters: Filters, scope: Scope, kpi: str, by: tuple[str, ...]) -> pd.DataFrame:
    """One KPI per bucket and/or province."""
    return queries.kpi_series(engine=get_engine(), filters=filters, scope=scope, kpi=kpi, by=by)


def clear() -> None:
    """Forget every cached read (after an import)."""
    st.cache_data.clear()
