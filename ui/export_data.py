"""Cached reads of the Export page: how many rows an export holds and its first rows, keyed
like ui.data on the store, Filters, Scope and the period shown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import export
from data_access.db import get_engine
from data_access.filters import Filters
from data_access.periods import Period
from data_access.scope import Scope
from ui.data import TTL, Store, current_store


@st.cache_data(ttl=TTL, show_spinner=False)
def _count(
    store: Store, filters: Filters, scope: Scope, kind: str, by: tuple[str, ...], period: Period
) -> int:
    engine = get_engine(store.url)
    return export.count_rows(engine, kind=kind, filters=filters, scope=scope, by=by, period=period)


@st.cache_data(ttl=TTL, show_spinner=False)
def _preview(
    store: Store,
    filters: Filters,
    scope: Scope,
    kind: str,
    by: tuple[str, ...],
    period: Period,
    limit: int,
) -> pd.DataFrame:
    engine = get_engine(store.url)
    return export.preview(
        engine, kind=kind, filters=filters, scope=scope, by=by, period=period, limit=limit
    )


def count_rows(
    filters: Filters, scope: Scope, kind: str, by: tuple[str, ...], period: Period
) -> int:
    """The rows an export of kind holds for this view and scope (export.count_rows)."""
    return _count(current_store(), filters, scope, kind, by, period)


def preview(
    filters: Filters, scope: Scope, kind: str, by: tuple[str, ...], period: Period, limit: int
) -> pd.DataFrame:
    """The export's first limit rows, under its column names (export.preview)."""
    return _preview(current_store(), filters, scope, kind, by, period, limit)
