"""Cached reads for the pages: keyed on the store, Filters and Scope; cleared by imports."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from data_access import movements, queries, targets, territory
from data_access.db import database_url, get_engine
from data_access.filters import Filters, Period
from data_access.models import KpiTarget
from data_access.scope import Scope

TTL = 600  # seconds; an import in this app clears the cache at once


@st.cache_data(ttl=TTL, show_spinner=False)
def _latest_day(url: str) -> date | None:
    return queries.latest_day(get_engine(url))


@st.cache_data(ttl=TTL, show_spinner=False)
def _freshness(url: str) -> datetime | None:
    return queries.freshness(get_engine(url))


@st.cache_data(ttl=TTL, show_spinner=False)
def _names(url: str) -> dict[str, dict[str, str]]:
    return queries.dimension_names(get_engine(url))


@st.cache_data(ttl=TTL, show_spinner=False)
def _kpi_values(
    url: str, filters: Filters, scope: Scope, kpis: tuple[str, ...]
) -> dict[str, queries.KpiValue]:
    return queries.kpi_values(engine=get_engine(url), filters=filters, scope=scope, kpis=kpis)


@st.cache_data(ttl=TTL, show_spinner=False)
def _kpi_series(
    url: str,
    filters: Filters,
    scope: Scope,
    kpi: str,
    by: tuple[str, ...],
    period: Period | None,
) -> pd.DataFrame:
    engine = get_engine(url)
    return queries.kpi_series(
        engine=engine, filters=filters, scope=scope, kpi=kpi, by=by, period=period
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def _kpi_series_many(
    url: str, filters: Filters, scope: Scope, kpis: tuple[str, ...], by: tuple[str, ...]
) -> dict[str, pd.DataFrame]:
    engine = get_engine(url)
    return queries.kpi_series_many(engine=engine, filters=filters, scope=scope, kpis=kpis, by=by)


@st.cache_data(ttl=TTL, show_spinner=False)
def _target(url: str, kpi: str, province: str | None, on: date) -> KpiTarget | None:
    return targets.target_for(engine=get_engine(url), kpi=kpi, province_sigla=province, on=on)


@st.cache_data(ttl=TTL, show_spinner=False)
def _movements(
    url: str, filters: Filters, scope: Scope, kpis: tuple[str, ...], period: Period | None
) -> list[movements.Movement]:
    return movements.largest_movements(
        engine=get_engine(url), filters=filters, scope=scope, kpis=kpis, period=period
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def _territory(url: str, scope: Scope) -> pd.DataFrame:
    return territory.visible_territory(get_engine(url), scope)


@st.cache_data(ttl=TTL, show_spinner=False)
def _years(url: str) -> list[int]:
    return territory.data_years(get_engine(url))


def visible_territory(scope: Scope) -> pd.DataFrame:
    """Regions, provinces and areas with data that scope may see."""
    return _territory(database_url(), scope)


def data_years() -> list[int]:
    """Years with data, oldest first."""
    return _years(database_url())


def latest_day() -> date | None:
    """The latest day with data in the store."""
    return _latest_day(database_url())


def freshness() -> datetime | None:
    """When the last import ran."""
    return _freshness(database_url())


def names() -> dict[str, dict[str, str]]:
    """Display names of provinces, areas, channels, segments and topics."""
    return _names(database_url())


def kpi_values(
    filters: Filters, scope: Scope, kpis: tuple[str, ...]
) -> dict[str, queries.KpiValue]:
    """Several KPIs over the period and its comparison, read together."""
    return _kpi_values(database_url(), filters, scope, kpis)


def kpi_series(
    filters: Filters,
    scope: Scope,
    kpi: str,
    by: tuple[str, ...] = ("bucket",),
    period: Period | None = None,
) -> pd.DataFrame:
    """One KPI per bucket and/or province, over period (default: the filters' period)."""
    return _kpi_series(database_url(), filters, scope, kpi, by, period)


def kpi_series_many(
    filters: Filters, scope: Scope, kpis: tuple[str, ...], by: tuple[str, ...] = ("bucket",)
) -> dict[str, pd.DataFrame]:
    """Several KPIs per bucket and/or province, read together."""
    return _kpi_series_many(database_url(), filters, scope, kpis, by)


def target(kpi: str, on: date, province: str | None = None) -> KpiTarget | None:
    """The target or regulatory standard for kpi valid on a day (a province's own wins)."""
    return _target(database_url(), kpi, province, on)


def largest_movements(
    filters: Filters, scope: Scope, kpis: tuple[str, ...], period: Period | None
) -> list[movements.Movement]:
    """The largest significant movements by province and KPI."""
    return _movements(database_url(), filters, scope, kpis, period)


def clear() -> None:
    """Forget every cached read (after an import)."""
    st.cache_data.clear()
