"""'What changed' for census counts: a change counts from a tenth of the comparison value.

Calls offered in one contact-centre report per province and year (June 2024, June 2025):
  RA 100 -> 110: +10%, exactly the bar: a movement, strength 0.10 × 10 = 1.0
  BO 100 -> 109: +9%, under the bar: no movement
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from data_access import aggregates
from data_access.bulk import insert_rows
from data_access.filters import Filters, Period
from data_access.models import ContactReport
from data_access.movements import Movement, largest_movements
from data_access.scope import Scope

COLUMNS = (
    "source_id", "day", "week", "month", "area_code", "channel_code", "segment_code",
    "topic_code", "offered", "answered", "abandoned", "answered_20s", "wait_seconds",
    "handling_seconds",
)  # fmt: skip


def report(source: str, day: date, area: str, offered: int) -> tuple:
    monday = date.fromordinal(day.toordinal() - day.weekday())
    return (
        source, day, monday, day.replace(day=1), area, "phone", "household", "other",
        offered, offered, 0, offered, 30.0 * offered, 200.0 * offered,
    )  # fmt: skip


@pytest.fixture
def store(engine: Engine) -> Engine:
    rows = [
        report("ra-2024", date(2024, 6, 3), "RA", 100),
        report("ra-2025", date(2025, 6, 2), "RA", 110),
        report("bo-2024", date(2024, 6, 3), "BO", 100),
        report("bo-2025", date(2025, 6, 2), "BO", 109),
    ]
    with engine.begin() as connection:
        insert_rows(connection, ContactReport.__table__, COLUMNS, rows)
        aggregates.refresh_contacts(connection, date(2024, 1, 1), date(2025, 12, 31))
    return engine


def movements(store: Engine) -> dict[str, Movement]:
    found = largest_movements(
        engine=store,
        filters=Filters(period="2025", compare="last-year"),
        scope=Scope.all_provinces("t"),
        kpis=("contacts",),
        period=Period(date(2025, 1, 1), date(2025, 12, 31)),
    )
    return {movement.province: movement for movement in found}


def test_a_count_rising_by_exactly_a_tenth_is_a_movement(store: Engine) -> None:
    ravenna = movements(store)["RA"]
    assert (ravenna.before, ravenna.now, ravenna.change) == (100.0, 110.0, 10.0)
    assert ravenna.strength == pytest.approx(1.0, abs=1e-9)


def test_a_count_rising_by_less_than_a_tenth_is_not_a_movement(store: Engine) -> None:
    assert "BO" not in movements(store)
