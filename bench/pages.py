"""What each page reads, replayed straight through data_access (no Streamlit cache)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.engine import Engine

from data_access import movements, queries, targets, territory
from data_access.filters import Filters
from data_access.scope import Scope
from pages import overview

TREND_KPI = "service_level"
EMPTY_STORE = "the bench store holds no data: build it first"


def latest(engine: Engine) -> date | None:
    """The store's latest data day."""
    return queries.latest_day(engine)


def shell_data(engine: Engine, scope: Scope) -> Filters:
    """What dashboard.py reads on every run (data window, sidebar options, names, freshness)."""
    queries.latest_day(engine)
    queries.first_day(engine)
    queries.dimension_names(engine)
    queries.freshness(engine)
    territory.visible_territory(engine, scope)
    territory.data_years(engine)
    return Filters()


def overview_data(engine: Engine, filters: Filters, scope: Scope) -> None:
    """Everything the overview reads: tiles, sparklines, targets, what changed, ranking."""
    shell_data(engine, scope)
    period = filters.resolve(queries.latest_day(engine))
    if period is None:
        raise RuntimeError(EMPTY_STORE)
    queries.kpis_with_data(engine, overview.TILES)
    board = queries.kpi_board(engine=engine, filters=filters, scope=scope, kpis=overview.TILES)
    targets.targets_for(engine=engine, kpis=overview.TILES, on=period.end)
    movements.movements_between(
        kpis=overview.MOVERS, now=board.by_province, before=board.by_province_before
    )


def trends_data(engine: Engine, filters: Filters, scope: Scope) -> None:
    """Everything the trends page reads: the KPI per province, its comparison, map, target."""
    shell_data(engine, scope)
    period = filters.resolve(queries.latest_day(engine))
    if period is None:
        raise RuntimeError(EMPTY_STORE)
    queries.kpis_with_data(engine, (TREND_KPI,))
    trend_query(engine, scope)
    queries.kpi_series(
        engine=engine,
        filters=filters,
        scope=scope,
        kpi=TREND_KPI,
        by=("bucket", "province"),
        period=filters.comparison(period),
    )
    queries.kpi_series(engine=engine, filters=filters, scope=scope, kpi=TREND_KPI, by=("province",))
    targets.target_for(engine=engine, kpi=TREND_KPI, on=period.end)


def trend_query(engine: Engine, scope: Scope) -> None:
    """Monthly service level per province over the last 12 months."""
    queries.kpi_series(
        engine=engine, filters=Filters(), scope=scope, kpi=TREND_KPI, by=("bucket", "province")
    )


PAGES: dict[str, Callable[[Engine, Filters, Scope], None]] = {
    "overview": overview_data,
    "trends": trends_data,
    "trends, weekly": lambda engine, filters, scope: trends_data(
        engine, filters.narrowed(grain="week"), scope
    ),
    "overview, Romagna manager": lambda engine, filters, _scope: overview_data(
        engine, filters, Scope.of("bench", ["RA", "FC", "RN"])
    ),
}
