"""'What changed' for census counts: a change counts from a tenth of the comparison value.

Calls offered in one contact-centre report per province and year (June 2024, June 2025):
  RA 100 -> 110: +10%, exactly the bar: a movement, strength 0.10 × 10 = 1.0
  BO 100 -> 109: +9%, under the bar: no movement
A census share moves by a two-proportion z-test pooling both years:
  FE service level 95 of 100 calls (95%) -> 170 of 200 (85%): pooled p = 265/300 = 0.883333,
     se = √(0.883333 × 0.116667 × (1/200 + 1/100)) × 100 = 3.931709, z = −10 ÷ 3.931709 = −2.543423
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from data_access import aggregates
from data_access.bulk import insert_rows
from data_access.filters import Filters
from data_access.models import ContactReport, table_of
from data_access.movements import Movement, largest_movements
from data_access.periods import Period
from data_access.scope import Scope

COLUMNS = (
    "source_id", "day", "week", "month", "area_code", "channel_code", "segment_code",
    "topic_code", "offered", "answered", "abandoned", "answered_20s", "wait_seconds",
    "handling_seconds",
)  # fmt: skip


def report(source: str, day: date, area: str, offered: int, answered: int | None = None) -> tuple:
    monday = date.fromordinal(day.toordinal() - day.weekday())
    answered = offered if answered is None else answered
    return (
        source, day, monday, day.replace(day=1), area, "phone", "household", "other",
        offered, answered, offered - answered, answered, 30.0 * answered, 200.0 * answered,
    )  # fmt: skip


@pytest.fixture
def store(engine: Engine) -> Engine:
    rows = [
        report("ra-2024", date(2024, 6, 3), "RA", 100),
        report("ra-2025", date(2025, 6, 2), "RA", 110),
        report("bo-2024", date(2024, 6, 3), "BO", 100),
        report("bo-2025", date(2025, 6, 2), "BO", 109),
        report("fe-2024", date(2024, 6, 3), "FE", 100, answered=95),
        report("fe-2025", date(2025, 6, 2), "FE", 200, answered=170),
    ]
    with engine.begin() as connection:
        insert_rows(connection, table_of(ContactReport), COLUMNS, rows)
        aggregates.refresh_contacts(connection, date(2024, 1, 1), date(2025, 12, 31))
    return engine


def movements(store: Engine, kpi: str = "contacts") -> dict[str, Movement]:
    found = largest_movements(
        engine=store,
        filters=Filters(period="2025", compare="last-year"),
        scope=Scope.all_provinces("t"),
        kpis=(kpi,),
        period=Period(date(2025, 1, 1), date(2025, 12, 31)),
    )
    return {movement.province: movement for movement in found}


def test_a_count_rising_by_exactly_a_tenth_is_a_movement(store: Engine) -> None:
    ravenna = movements(store)["RA"]
    assert (ravenna.before, ravenna.now, ravenna.change) == (100.0, 110.0, 10.0)
    assert ravenna.strength == pytest.approx(1.0, abs=1e-9)


def test_a_count_rising_by_less_than_a_tenth_is_not_a_movement(store: Engine) -> None:
    assert "BO" not in movements(store)


def test_a_share_over_unequal_call_counts_pools_both_years(store: Engine) -> None:
    ferrara = movements(store, "service_level")["FE"]
    assert (ferrara.before, ferrara.now, ferrara.change) == (95.0, 85.0, -10.0)
    assert ferrara.strength == pytest.approx(2.543423, abs=1e-6)
    assert ferrara.better is False
