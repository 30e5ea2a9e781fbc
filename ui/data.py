"""Cached reads for the pages, keyed on the store, Filters and Scope.

The store's key includes the time of its last import batch, so an import (from the command line
or anywhere else) makes every page read fresh data on its next run; the TTL bounds memory.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

import pandas as pd
import streamlit as st

from data_access import queries, territory
from data_access.db import database_url, get_engine
from data_access.filters import Filters, Window
from data_access.models import KpiTarget
from data_access.periods import Period
from data_access.scope import Scope
from data_access.targets import targets_for

TTL = 600  # seconds


class Store(NamedTuple):
    """A cache key for the store's contents: its URL and when it last changed."""

    url: str
    version: str


def current_store() -> Store:
    """The current store and its version (one cheap query per call)."""
    url = database_url()
    updated = queries.freshness(get_engine(url))
    return Store(url, updated.isoformat() if updated else "")


@st.cache_data(ttl=TTL, show_spinner=False)
def _latest_day(store: Store) -> date | None:
    return queries.latest_day(get_engine(store.url))


@st.cache_data(ttl=TTL, show_spinner=False)
def _first_day(store: Store) -> date | None:
    return queries.first_day(get_engine(store.url))


@st.cache_data(ttl=TTL, show_spinner=False)
def _names(store: Store) -> dict[str, dict[str, str]]:
    return queries.dimension_names(get_engine(store.url))


@st.cache_data(ttl=TTL, show_spinner=False)
def _kpi_board(
    store: Store, filters: Filters, scope: Scope, kpis: tuple[str, ...], period: Period | None
) -> queries.KpiBoard:
    engine = get_engine(store.url)
    return queries.kpi_board(engine=engine, filters=filters, scope=scope, kpis=kpis, period=period)


@st.cache_data(ttl=TTL, show_spinner=False)
def _kpi_series(
    store: Store,
    filters: Filters,
    scope: Scope,
    kpi: str,
    by: tuple[str, ...],
    period: Period | None,
) -> pd.DataFrame:
    engine = get_engine(store.url)
    return queries.kpi_series(
        engine=engine, filters=filters, scope=scope, kpi=kpi, by=by, period=period
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def _kpi_series_shapes(
    store: Store,
    filters: Filters,
    scope: Scope,
    kpis: tuple[str, ...],
    shapes: tuple[tuple[str, ...], ...],
    period: Period | None,
) -> dict[tuple[str, tuple[str, ...]], pd.DataFrame]:
    engine = get_engine(store.url)
    return queries.kpi_series_shapes(
        engine=engine, filters=filters, scope=scope, kpis=kpis, shapes=shapes, period=period
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def _targets(
    store: Store, kpis: tuple[str, ...], province: str | None, on: date
) -> dict[str, KpiTarget | None]:
    engine = get_engine(store.url)
    return targets_for(engine=engine, kpis=kpis, province_sigla=province, on=on)


@st.cache_data(ttl=TTL, show_spinner=False)
def _with_data(store: Store, kpis: tuple[str, ...]) -> frozenset[str]:
    return queries.kpis_with_data(get_engine(store.url), kpis)


@st.cache_data(ttl=TTL, show_spinner=False)
def _territory(store: Store, scope: Scope) -> pd.DataFrame:
    return territory.visible_territory(get_engine(store.url), scope)


@st.cache_data(ttl=TTL, show_spinner=False)
def _years(store: Store) -> list[int]:
    return territory.data_years(get_engine(store.url))


def visible_territory(scope: Scope) -> pd.DataFrame:
    """Regions, provinces and areas with data that scope may see."""
    return _territory(current_store(), scope)


def data_years() -> list[int]:
    """Years with data, oldest first."""
    return _years(current_store())


def latest_day() -> date | None:
    """The latest day with data in the store."""
    return _latest_day(current_store())


def data_window() -> Window | None:
    """The first and latest day with data in the store; None on an empty store."""
    store = current_store()
    first, latest = _first_day(store), _latest_day(store)
    return Window(first, latest) if first is not None and latest is not None else None


def freshness() -> datetime | None:
    """When the last import ran."""
    return queries.freshness(get_engine(database_url()))


def names() -> dict[str, dict[str, str]]:
    """Display names of provinces, areas, channels, segments and topics."""
    return _names(current_store())


def kpi_board(
    filters: Filters, scope: Scope, kpis: tuple[str, ...], period: Period | None = None
) -> queries.KpiBoard:
    """Several KPIs over the period (default: the filters'): values with comparison, per bucket
    and per province."""
    return _kpi_board(current_store(), filters, scope, kpis, period)


def kpi_series(
    filters: Filters,
    scope: Scope,
    kpi: str,
    by: tuple[str, ...] = ("bucket",),
    period: Period | None = None,
) -> pd.DataFrame:
    """One KPI per bucket and/or province, over period (default: the filters' period)."""
    return _kpi_series(current_store(), filters, scope, kpi, by, period)


def kpi_series_many(
    filters: Filters,
    scope: Scope,
    kpis: tuple[str, ...],
    by: tuple[str, ...] = ("bucket",),
    period: Period | None = None,
) -> dict[str, pd.DataFrame]:
    """Several KPIs grouped by the same keys, each family read once: by KPI code."""
    read = kpi_series_shapes(filters, scope, kpis, (by,), period)
    return {code: frame for (code, _), frame in read.items()}


def kpi_series_shapes(
    filters: Filters,
    scope: Scope,
    kpis: tuple[str, ...],
    shapes: tuple[tuple[str, ...], ...],
    period: Period | None = None,
) -> dict[tuple[str, tuple[str, ...]], pd.DataFrame]:
    """Several KPIs in several groupings, each family read once at the finest: by (KPI code,
    grouping)."""
    return _kpi_series_shapes(current_store(), filters, scope, kpis, shapes, period)


def kpis_with_data(kpis: tuple[str, ...]) -> frozenset[str]:
    """The KPIs of kpis with any source data in the store (e.g. line times for accessibility)."""
    return _with_data(current_store(), kpis)


def has_source_data(kpi: str) -> bool:
    """True when the store holds any source data for kpi, in any period or province."""
    return kpi in kpis_with_data((kpi,))


def target(kpi: str, on: date, province: str | None = None) -> KpiTarget | None:
    """The target or regulatory standard for kpi valid on a day (a province's own wins)."""
    return targets((kpi,), on, province)[kpi]


def targets(
    kpis: tuple[str, ...], on: date, province: str | None = None
) -> dict[str, KpiTarget | None]:
    """target of several KPIs, read together."""
    return _targets(current_store(), kpis, province, on)
