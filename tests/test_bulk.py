"""Bulk inserts and additive upserts: every row written, measures of stored keys added to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from data_access import bulk
from data_access.models import CONTACT_MEASURES, ContactDaily, ContactWeekly, table_of

WEEKLY = table_of(ContactWeekly)
DAILY = table_of(ContactDaily)
KEYS = ["province_code", "area_code", "channel_code", "segment_code", "topic_code"]
# more than two whole multi-row statements, and some rows left over
ROWS = 2 * bulk.ROWS_PER_STATEMENT + 7


def as_bound(connection: Connection, day: date) -> object:
    """A date as the store's own writers bind it (ISO text on SQLite)."""
    return day.isoformat() if connection.dialect.name == "sqlite" else day


def weekly_columns(connection: Connection, count: int) -> tuple[list[str], list[list]]:
    """count weekly rows for successive weeks; row i has i contacts and i / 2 wait seconds."""
    weeks = [as_bound(connection, date(2020, 1, 6) + timedelta(weeks=i)) for i in range(count)]
    keys = [["BO"] * count, ["BO"] * count, ["phone"] * count, ["household"] * count]
    keys.append(["bill_info"] * count)
    measures = [
        list(range(count))
        if m == "contacts"
        else [i / 2 for i in range(count)]
        if m == "wait_seconds"
        else [0] * count
        for m in CONTACT_MEASURES
    ]
    return ["week", *KEYS, *CONTACT_MEASURES], [weeks, *keys, *measures]


def totals(connection: Connection) -> tuple:
    return tuple(
        connection.execute(
            select(func.count(), func.sum(WEEKLY.c.contacts), func.sum(WEEKLY.c.wait_seconds))
        ).one()
    )


def test_insert_columns_writes_whole_statements_and_the_rest(engine: Engine) -> None:
    with engine.begin() as connection:
        columns, values = weekly_columns(connection, ROWS)
        assert bulk.insert_columns(connection, WEEKLY, columns, values) == ROWS
        assert totals(connection) == (ROWS, ROWS * (ROWS - 1) // 2, ROWS * (ROWS - 1) / 4)
        last = connection.execute(select(WEEKLY.c.week).where(WEEKLY.c.contacts == ROWS - 1))
        assert last.scalar_one() == date(2020, 1, 6) + timedelta(weeks=ROWS - 1)


def test_insert_rows_writes_whole_statements_and_the_rest(engine: Engine) -> None:
    with engine.begin() as connection:
        columns, values = weekly_columns(connection, ROWS)
        rows = zip(*values, strict=True)  # an iterator, as the demo gives
        assert bulk.insert_rows(connection, WEEKLY, columns, rows) == ROWS
        assert totals(connection) == (ROWS, ROWS * (ROWS - 1) // 2, ROWS * (ROWS - 1) / 4)


def daily_columns(rows: list[tuple[date, str, int]], text: bool) -> list[list]:
    """Daily rows (day, topic, contacts), their week and month; other measures 1.5 or 1.

    text: dates as ISO text (SQLite's raw driver) rather than date objects (SQLAlchemy, psycopg).
    """
    count = len(rows)

    def bound(day: date) -> object:
        return day.isoformat() if text else day

    days = [bound(day) for day, _, _ in rows]
    weeks = [bound(day - timedelta(days=day.weekday())) for day, _, _ in rows]
    months = [bound(day.replace(day=1)) for day, _, _ in rows]
    keys = [["BO"] * count, ["IMOLA"] * count, ["web"] * count, ["business"] * count]
    measures = [
        [n for _, _, n in rows] if m == "contacts" else [1.5 if "seconds" in m else 1] * count
        for m in CONTACT_MEASURES
    ]
    return [days, *keys, [t for _, t, _ in rows], weeks, months, *measures]


Add = Callable[[Connection, object, list[str], tuple[str, ...], list[list]], None]


@pytest.mark.parametrize("add", [bulk.add_columns, bulk._add_one_by_one])
def test_adding_sums_measures_of_stored_keys_and_inserts_new_ones(engine: Engine, add: Add) -> None:
    if add is bulk._add_one_by_one and engine.dialect.name != "sqlite":
        pytest.skip("the portable path is the same SQL everywhere")
    columns = ["day", *KEYS, "week", "month", *CONTACT_MEASURES]
    jan31, feb1 = date(2025, 1, 31), date(2025, 2, 1)
    text = add is bulk.add_columns and engine.dialect.name == "sqlite"
    with engine.begin() as connection:
        first = [(jan31, "other", 2), (feb1, "other", 3)]
        add(connection, DAILY, columns, CONTACT_MEASURES, daily_columns(first, text))
        more = [(feb1, "other", 4), (feb1, "payments", 5)]
        add(connection, DAILY, columns, CONTACT_MEASURES, daily_columns(more, text))
        stored = connection.execute(
            select(
                DAILY.c.day,
                DAILY.c.topic_code,
                DAILY.c.week,
                DAILY.c.month,
                DAILY.c.contacts,
                DAILY.c.answered,
                DAILY.c.wait_seconds,
            ).order_by(DAILY.c.day, DAILY.c.topic_code)
        ).all()
    assert [tuple(r) for r in stored] == [
        (jan31, "other", date(2025, 1, 27), date(2025, 1, 1), 2, 1, 1.5),
        (feb1, "other", date(2025, 1, 27), date(2025, 2, 1), 7, 2, 3.0),
        (feb1, "payments", date(2025, 1, 27), date(2025, 2, 1), 5, 1, 1.5),
    ]


def test_adding_nothing_writes_nothing(engine: Engine) -> None:
    with engine.begin() as connection:
        columns, values = weekly_columns(connection, 0)
        bulk.add_columns(connection, WEEKLY, columns, CONTACT_MEASURES, values)
        assert bulk.insert_columns(connection, WEEKLY, columns, values) == 0
        assert totals(connection)[0] == 0
