"""Cached reads of the Canali page's own figures, keyed like ui.data on the store, Filters and
Scope (the KPI series it shows come through ui.data.kpi_series)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access.db import get_engine
from data_access.filters import Filters
from data_access.periods import Period
from data_access.queries import channels
from data_access.scope import Scope
from ui.data import TTL, Store, current_store


@st.cache_data(ttl=TTL, show_spinner=False)
def _adoption(
    store: Store, filters: Filters, scope: Scope, by: tuple[str, ...], period: Period
) -> pd.DataFrame:
    engine = get_engine(store.url)
    return channels.adoption_by_channel(
        engine=engine, filters=filters, scope=scope, by=by, period=period
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def _reaching(
    store: Store, filters: Filters, scope: Scope, kpi: str, threshold: float, window: Period
) -> pd.DataFrame:
    engine = get_engine(store.url)
    return channels.first_reaching(
        engine=engine, filters=filters, scope=scope, kpi=kpi, threshold=threshold, window=window
    )


def adoption_by_channel(
    filters: Filters, scope: Scope, by: tuple[str, ...], period: Period
) -> pd.DataFrame:
    """Every channel's adoption per bucket and/or province (queries.channels)."""
    return _adoption(current_store(), filters, scope, by, period)


def first_reaching(
    filters: Filters, scope: Scope, kpi: str, threshold: float, window: Period
) -> pd.DataFrame:
    """The month each province first reached threshold over window (queries.channels)."""
    return _reaching(current_store(), filters, scope, kpi, threshold, window)
