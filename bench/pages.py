"""What each page reads, replayed straight through data_access (no Streamlit cache)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.engine import Engine

from data_access import queries
from data_access.filters import Filters
from data_access.scope import Scope
from pages import overview


def latest(engine: Engine) -> date | None:
    """The store's latest data day."""
    return queries.latest_day(engine)


def overview_data(engine: Engine, filters: Filters, scope: Scope) -> None:
    """Everything the overview reads: headline tiles and the contacts series."""
    queries.dimension_names(engine)
    queries.freshness(engine)
    queries.kpi_values(engine=engine, filters=filters, scope=scope, kpis=overview.HEADLINE)
    queries.kpi_series(engine=engine, filters=filters, scope=scope, kpi="contacts")


def trend_query(engine: Engine, scope: Scope) -> None:
    """Monthly service level per province over the last 12 months."""
    queries.kpi_series(
        engine=engine,
        filters=Filters(),
        scope=scope,
        kpi="service_level",
        by=("bucket", "province"),
    )


PAGES: dict[str, Callable[[Engine, Filters, Scope], None]] = {
    "overview": overview_data,
    "trends (LS by province)": lambda engine, _filters, scope: trend_query(engine, scope),
}
