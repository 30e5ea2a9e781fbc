"""What each page reads, replayed straight through data_access (no Streamlit cache)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from data_access import compliance, movements, queries, targets, territory
from data_access.filters import Filters
from data_access.periods import Period
from data_access.queries import calls, channels, topics, waits
from data_access.scope import Scope
from pages import channels as channels_page
from pages import contact_centre, overview

TREND_KPI = "service_level"
Read = dict[str | tuple[str, ...], Any]  # what a page read, by a name of what it draws
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


def channels_data(engine: Engine, filters: Filters, scope: Scope) -> Read:
    """Everything the channels page reads in the default view (mix as shares), every section
    once, by what it draws: adoption against its references (per month and province, per
    province: both KPIs in one read, as both adoption sections ask), the month each province
    first reached the online mark, every channel's adoption, the channel mix, what moved per
    channel (contacts, CSI, NPS now and before), digital share by province and segment,
    contacts per 1,000 customers and satisfaction by channel. A read the page repeats (the
    mix's contacts and the CSI and NPS per channel: what moved and satisfaction) is a cache
    hit there: read once.
    """
    shell_data(engine, scope)
    period = _period(engine, filters)
    compared = filters.comparison(period)
    read: Read = {}

    def series(kpi: str, by: tuple[str, ...], over: Period | None = period) -> Any:
        return queries.kpi_series(
            engine=engine, filters=filters, scope=scope, kpi=kpi, by=by, period=over
        )

    def many(kpis: tuple[str, ...], by: tuple[str, ...], over: Period | None) -> Any:
        return queries.kpi_series_many(
            engine=engine, filters=filters, scope=scope, kpis=kpis, by=by, period=over
        )

    def shapes(kpis: tuple[str, ...], wanted: tuple[tuple[str, ...], ...]) -> Any:
        return queries.kpi_series_shapes(
            engine=engine, filters=filters, scope=scope, kpis=kpis, shapes=wanted, period=period
        )

    queries.kpis_with_data(engine, channels_page.ADOPTION)
    references = targets.targets_for(engine=engine, kpis=channels_page.ADOPTION, on=period.end)
    adoption = shapes(channels_page.ADOPTION, channels_page.ADOPTION_SHAPES)
    for code in channels_page.ADOPTION:
        for by in channels_page.ADOPTION_SHAPES:
            read[(code, *by)] = adoption[code, by]
    reference = references[channels_page.REACHING]
    first, latest = queries.first_day(engine), queries.latest_day(engine)  # data.data_window
    if reference is not None and first is not None and latest is not None:
        read["reaching"] = channels.first_reaching(
            engine=engine, filters=filters, scope=scope, kpi=channels_page.REACHING,
            threshold=reference.threshold, window=Period(first, latest),
        )  # fmt: skip
    read["adoption", "bucket", "channel"] = channels.adoption_by_channel(
        engine=engine, filters=filters, scope=scope, by=("bucket", "channel"), period=period
    )
    mix = shapes(("contacts",), channels_page.MIX_SHAPES)
    read["mix"] = channels.with_shares(mix["contacts", ("bucket", "channel")])
    read["contacts", "channel"] = mix["contacts", ("channel",)]
    satisfaction = many(channels_page.SATISFACTION, ("channel",), period)
    for code in channels_page.SATISFACTION:
        read[code, "channel"] = satisfaction[code]
    if compared is not None:
        movers = channels_page.MOVERS
        before = many(movers, ("channel",), compared)
        for code in movers:
            read[code, "channel", "before"] = before[code]
        channels.channel_movements(
            kpis=movers,
            now={code: read[code, "channel"] for code in movers},
            before={code: read[code, "channel", "before"] for code in movers},
            limit=channels_page.MOVEMENTS_SHOWN,
        )
    read["digital_share", "province", "segment"] = series("digital_share", ("province", "segment"))
    read["contacts_per_1000", "channel"] = series("contacts_per_1000", ("channel",))
    return read


def centre_data(engine: Engine, filters: Filters, scope: Scope) -> Read:
    """Everything the contact-centre page reads in the default view (LS in the grid), by what
    it draws: the month × province compliance grid (the water rule's grid is the same one),
    the calls' board (80/20, AHT, FCR) with their targets and the call counts, wait bands per
    bucket and per province, the weekday × hour grid, and contacts by topic with each topic's
    summary against the comparison period.
    """
    shell_data(engine, scope)
    period = _period(engine, filters)
    compared = filters.comparison(period)
    kpi, rule = compliance.ARERA_KPIS[0], compliance.WATER_RULE  # the grid's default: LS
    queries.kpis_with_data(engine, compliance.ARERA_KPIS)
    grid = compliance.compliance_grid(
        engine=engine, filters=filters, scope=scope, kpi=kpi, period=period
    )
    water = grid
    if kpi != rule.kpi:
        water = compliance.compliance_grid(
            engine=engine, filters=filters, scope=scope, kpi=rule.kpi, period=period
        )
    read: Read = {
        "grid": grid,
        "months met": compliance.months_met(grid),
        "water rule": compliance.water_rule(water, period),
    }
    quality = contact_centre.QUALITY
    read["board"] = queries.kpi_board(
        engine=engine, filters=filters, scope=scope, kpis=quality, period=period
    )
    targets.targets_for(engine=engine, kpis=quality, on=period.end)
    queries.kpis_with_data(engine, quality)
    read["calls"] = calls.call_counts(engine=engine, filters=filters, scope=scope, period=period)
    read["bands", "bucket"] = waits.wait_bands(
        engine=engine, filters=filters, scope=scope, by=("bucket",), period=period
    )
    read["bands", "province"] = waits.wait_bands(
        engine=engine, filters=filters.narrowed(provinces=()), scope=scope, by=("province",),
        period=period,
    )  # fmt: skip
    read["hours"] = waits.hour_grid(engine=engine, filters=filters, scope=scope, period=period)
    read["topics", "bucket"] = topics.topic_series(
        engine=engine, filters=filters, scope=scope, period=period
    )
    read["topics"] = topics.topic_summary(
        engine=engine, filters=filters, scope=scope, period=period, compared=compared
    )
    return read


def _period(engine: Engine, filters: Filters) -> Period:
    """The view's period (the store's data must give one)."""
    period = filters.resolve(queries.latest_day(engine))
    if period is None:
        raise RuntimeError(EMPTY_STORE)
    return period


PAGES: dict[str, Callable[[Engine, Filters, Scope], object]] = {
    "overview": overview_data,
    "trends": trends_data,
    "channels": channels_data,
    "contact centre": centre_data,
    "trends, weekly": lambda engine, filters, scope: trends_data(
        engine, filters.narrowed(grain="week"), scope
    ),
    "overview, Romagna manager": lambda engine, filters, _scope: overview_data(
        engine, filters, Scope.of("bench", ["RA", "FC", "RN"])
    ),
}
