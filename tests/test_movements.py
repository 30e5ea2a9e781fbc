"""'What changed' lists only significant movements, strongest first."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from data_access import aggregates
from data_access.bulk import insert_rows
from data_access.filters import Filters
from data_access.models import ContactReport, table_of
from data_access.movements import largest_movements, movements_between
from data_access.periods import Period
from data_access.queries import kpi_board
from data_access.scope import Scope

COLUMNS = (
    "source_id", "day", "week", "month", "area_code", "channel_code", "segment_code",
    "topic_code", "offered", "answered", "abandoned", "answered_20s", "wait_seconds",
    "handling_seconds",
)  # fmt: skip


def report(source: str, day: date, area: str, offered: int, answered: int, wait: float) -> tuple:
    monday = date.fromordinal(day.toordinal() - day.weekday())
    return (
        source, day, monday, day.replace(day=1), area, "phone", "household", "other",
        offered, answered, offered - answered, answered, wait * answered, 200.0 * answered,
    )  # fmt: skip


@pytest.fixture
def store(engine: Engine) -> Engine:
    rows = [
        # Ravenna: service level 95% -> 70% on 100 calls each year; wait 40 s -> 60 s
        report("ra-2024", date(2024, 6, 3), "RA", 100, 95, 40.0),
        report("ra-2025", date(2025, 6, 2), "RA", 100, 70, 60.0),
        # Bologna: 95% -> 94%, a wobble; wait 40 s -> 42 s (+5%, under the 10% bar)
        report("bo-2024", date(2024, 6, 3), "BO", 100, 95, 40.0),
        report("bo-2025", date(2025, 6, 2), "BO", 100, 94, 42.0),
    ]
    with engine.begin() as connection:
        insert_rows(connection, table_of(ContactReport), COLUMNS, rows)
        aggregates.refresh_contacts(connection, date(2024, 1, 1), date(2025, 12, 31))
    return engine


def movements(store: Engine, scope: Scope, compare: str = "last-year") -> list:
    filters = Filters(period="2025", compare=compare)
    return largest_movements(
        engine=store,
        filters=filters,
        scope=scope,
        kpis=("contacts", "service_level", "average_wait"),
        period=Period(date(2025, 1, 1), date(2025, 12, 31)),
    )


def test_only_significant_movements_are_listed_strongest_first(store: Engine) -> None:
    found = movements(store, Scope.all_provinces("t"))
    # strengths: average wait 5.0 (relative change × 10), service level 4.65 (z-score)
    assert [(m.province, m.kpi) for m in found] == [("RA", "average_wait"), ("RA", "service_level")]


def test_a_share_moves_by_a_two_proportion_z_test(store: Engine) -> None:
    service_level = movements(store, Scope.all_provinces("t"))[1]
    # pooled p = 165/200 = 0.825; se = sqrt(0.825 × 0.175 × (1/100 + 1/100)) × 100 = 5.3735
    # z = (70 − 95) / 5.3735 = −4.6525
    assert (service_level.before, service_level.now, service_level.change) == (95.0, 70.0, -25.0)
    assert service_level.strength == pytest.approx(4.6525, abs=1e-4)
    assert service_level.better is False


def test_a_census_figure_moves_when_it_changes_by_a_tenth(store: Engine) -> None:
    wait = movements(store, Scope.all_provinces("t"))[0]
    # 40 s -> 60 s is +50%: strength = 0.5 × 10 = 5.0; Bologna's +5% is left out
    assert (wait.before, wait.now, wait.strength, wait.better) == (40.0, 60.0, 5.0, False)


def test_movements_stay_inside_the_scope(store: Engine) -> None:
    assert movements(store, Scope.of("bo", ["BO"])) == []


def test_no_comparison_means_no_movements(store: Engine) -> None:
    assert movements(store, Scope.all_provinces("t"), compare="none") == []


def test_a_significant_change_that_rounds_to_nothing_is_not_listed() -> None:
    # 20,000,000 calls each year: 95.00% -> 95.04% is 'significant' (z ≈ 5.8) yet reads +0,0 p.p.
    def side(value: float) -> dict[str, pd.DataFrame]:
        frame = pd.DataFrame(
            {"province": ["BO"], "value": [value], "n": [20_000_000.0]}
            | {"ci_low": [math.nan], "ci_high": [math.nan]}
        )
        return {"service_level": frame}

    assert movements_between(kpis=("service_level",), now=side(95.04), before=side(95.0)) == []
    shown = movements_between(kpis=("service_level",), now=side(95.06), before=side(95.0))
    assert [(m.province, round(m.change, 2)) for m in shown] == [("BO", 0.06)]


def test_a_boards_frames_give_the_movements_their_dataframes_give(store: Engine) -> None:
    # the board's mappings hand movements_between their column arrays, never building frames
    kpis = ("contacts", "service_level", "average_wait")
    board = kpi_board(
        engine=store, filters=Filters(period="2025", compare="last-year"),
        scope=Scope.all_provinces("t"), kpis=kpis,
    )  # fmt: skip
    now = {code: board.by_province[code] for code in kpis}
    before = {code: board.by_province_before[code] for code in kpis}
    from_board = movements_between(
        kpis=kpis, now=board.by_province, before=board.by_province_before
    )
    assert [(m.province, m.kpi, m.before, m.now) for m in from_board] == [
        ("RA", "average_wait", 40.0, 60.0), ("RA", "service_level", 95.0, 70.0),
    ]  # fmt: skip
    assert from_board == movements_between(kpis=kpis, now=now, before=before)
