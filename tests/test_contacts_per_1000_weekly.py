"""Weekly contacts per 1,000 customers against the hand-made store of tests/kpi_store.py.

The customer base is monthly; a week takes the base of the month it starts in, or of the
period's first month when it starts before the period (queries.contacts._with_customers).
Bologna has 1,000 + 200 = 1,200 customers in January and 1,050 + 200 = 1,250 in February;
Ravenna 800 and 750. `n` of contacts per 1,000 is the customer base it divides by.

Contacts by week (Monday), kpi_store's table:
  BO  6 Jan: c1 c2 (2)   13 Jan: c3 (1)   20 Jan: c4 (1)   3 Feb: c5 c6 (2)
  RA  6 Jan: c7 (1)      13 Jan: c8 (1)   3 Feb: 10 calls offered in the report (10)
      10 Feb: c11 (1)    17 Feb: c9 c10 (2)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import kpi_store
import pandas as pd
import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from data_access import aggregates, queries
from data_access.filters import Filters
from data_access.models import Contact, table_of
from data_access.scope import Scope

WEEKS_JAN_FEB = Filters(
    period="custom", start=date(2025, 1, 1), end=date(2025, 2, 28), grain="week", compare="none"
)


@pytest.fixture
def store(engine: Engine) -> Engine:
    return kpi_store.build(engine)


def add_bologna_contact(store: Engine, day: date) -> None:
    """One more Bologna web contact on that day, and the contact aggregates of its month."""
    with store.begin() as connection:
        connection.execute(
            insert(table_of(Contact)),
            [
                {
                    "source_id": f"extra-{day}",
                    "occurred_at": datetime.combine(day, datetime.min.time()),
                    "day": day,
                    "week": day - timedelta(days=day.weekday()),
                    "month": day.replace(day=1),
                    "area_code": "BO",
                    "channel_code": "web",
                    "segment_code": "household",
                    "topic_code": "other",
                }
            ],
        )
        aggregates.refresh_contacts(connection, day, day)


def weekly(store: Engine, filters: Filters, by: tuple[str, ...] = ("bucket",)) -> pd.DataFrame:
    return queries.kpi_series(
        engine=store, filters=filters, scope=Scope.all_provinces("t"), kpi="contacts_per_1000",
        by=by,
    )  # fmt: skip


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(row) for row in frame[list(columns)].itertuples(index=False)]


def test_each_week_divides_by_the_base_of_the_month_it_starts_in(store: Engine) -> None:
    # 2 ÷ 1,200 × 1,000 = 1.666667; 1 ÷ 1,200 × 1,000 = 0.833333 (twice); 2 ÷ 1,250 × 1,000 = 1.6
    frame = weekly(store, WEEKS_JAN_FEB.narrowed(provinces=("BO",)))
    assert rows(frame, "bucket", "n") == [
        (date(2025, 1, 6), 1200.0),
        (date(2025, 1, 13), 1200.0),
        (date(2025, 1, 20), 1200.0),
        (date(2025, 2, 3), 1250.0),
    ]
    assert frame["value"].tolist() == pytest.approx([1.666667, 0.833333, 0.833333, 1.6], abs=1e-6)


def test_weeks_by_province_divide_by_that_provinces_base(store: Engine) -> None:
    # BO as above; RA: 1 ÷ 800 = 1.25 (twice); 10 ÷ 750 = 13.333333; 1 ÷ 750 = 1.333333;
    # 2 ÷ 750 = 2.666667
    frame = weekly(store, WEEKS_JAN_FEB, by=("bucket", "province"))
    assert rows(frame, "bucket", "province", "n") == [
        (date(2025, 1, 6), "BO", 1200.0),
        (date(2025, 1, 6), "RA", 800.0),
        (date(2025, 1, 13), "BO", 1200.0),
        (date(2025, 1, 13), "RA", 800.0),
        (date(2025, 1, 20), "BO", 1200.0),
        (date(2025, 2, 3), "BO", 1250.0),
        (date(2025, 2, 3), "RA", 750.0),
        (date(2025, 2, 10), "RA", 750.0),
        (date(2025, 2, 17), "RA", 750.0),
    ]
    assert frame["value"].tolist() == pytest.approx(
        [1.666667, 1.25, 0.833333, 1.25, 0.833333, 1.6, 13.333333, 1.333333, 2.666667], abs=1e-6
    )


def test_a_week_straddling_two_months_takes_the_base_of_the_month_it_starts_in(
    store: Engine,
) -> None:
    # Sunday 2 February is in the week of Monday 27 January: 1 ÷ 1,200 (January) × 1,000
    add_bologna_contact(store, date(2025, 2, 2))
    frame = weekly(store, WEEKS_JAN_FEB.narrowed(provinces=("BO",)))
    straddling = frame[frame["bucket"] == date(2025, 1, 27)]
    assert rows(straddling, "n") == [(1200.0,)]
    assert straddling["value"].tolist() == pytest.approx([0.833333], abs=1e-6)


def test_a_week_starting_before_the_period_takes_the_base_of_its_first_month(
    store: Engine,
) -> None:
    # from Saturday 1 February: the week of 27 January holds only the 2nd; 1 ÷ 1,250 × 1,000
    add_bologna_contact(store, date(2025, 2, 2))
    filters = WEEKS_JAN_FEB.narrowed(start=date(2025, 2, 1), provinces=("BO",))
    frame = weekly(store, filters)
    assert rows(frame, "bucket", "n") == [(date(2025, 1, 27), 1250.0), (date(2025, 2, 3), 1250.0)]
    assert frame["value"].tolist() == pytest.approx([0.8, 1.6], abs=1e-6)
