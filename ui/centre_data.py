"""Cached reads of the contact-centre page, keyed like ui.data's on the store, Filters, Scope."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import compliance
from data_access.db import get_engine
from data_access.filters import Filters
from data_access.periods import Period
from data_access.queries import calls, topics
from data_access.scope import Scope
from ui.data import TTL, Store, current_store


@st.cache_data(ttl=TTL, show_spinner=False)
def _grid(store: Store, filters: Filters, scope: Scope, kpi: str, period: Period) -> pd.DataFrame:
    engine = get_engine(store.url)
    return compliance.compliance_grid(
        engine=engine, filters=filters, scope=scope, kpi=kpi, period=period
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def _calls(store: Store, filters: Filters, scope: Scope, period: Period) -> pd.DataFrame:
    engine = get_engine(store.url)
    return calls.call_counts(engine=engine, filters=filters, scope=scope, period=period)


@st.cache_data(ttl=TTL, show_spinner=False)
def _topic_series(store: Store, filters: Filters, scope: Scope, period: Period) -> pd.DataFrame:
    engine = get_engine(store.url)
    return topics.topic_series(engine=engine, filters=filters, scope=scope, period=period)


@st.cache_data(ttl=TTL, show_spinner=False)
def _topic_summary(
    store: Store, filters: Filters, scope: Scope, period: Period, compared: Period | None
) -> pd.DataFrame:
    engine = get_engine(store.url)
    return topics.topic_summary(
        engine=engine, filters=filters, scope=scope, period=period, compared=compared
    )


def compliance_grid(filters: Filters, scope: Scope, kpi: str, period: Period) -> pd.DataFrame:
    """An ARERA KPI per month and province against the standard in force each month."""
    return _grid(current_store(), filters, scope, kpi, period)


def call_counts(filters: Filters, scope: Scope, period: Period) -> pd.DataFrame:
    """Calls offered, answered, abandoned and other per bucket of the view."""
    return _calls(current_store(), filters, scope, period)


def topic_series(filters: Filters, scope: Scope, period: Period) -> pd.DataFrame:
    """Contacts per bucket and topic."""
    return _topic_series(current_store(), filters, scope, period)


def topic_summary(
    filters: Filters, scope: Scope, period: Period, compared: Period | None
) -> pd.DataFrame:
    """Per topic: contacts, share, FCR, complaint share and change against compared."""
    return _topic_summary(current_store(), filters, scope, period, compared)
