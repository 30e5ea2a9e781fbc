"""The daily contact aggregate sums raw contacts and contact-centre reports per day and keys."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from data_access import aggregates
from data_access.models import Contact, ContactDaily, ContactReport, table_of

DAY = date(2025, 1, 31)
CALENDAR = {"day": DAY, "week": date(2025, 1, 27), "month": date(2025, 1, 1)}
KEYS = {
    "area_code": "BO",
    "channel_code": "phone",
    "segment_code": "household",
    "topic_code": "other",
}


def add_answered_call(connection: Connection, ident: str, wait: float) -> None:
    connection.execute(
        insert(table_of(Contact)),
        [
            {
                "source_id": ident,
                "occurred_at": datetime(2025, 1, 31, 9, 0),
                **CALENDAR,
                **KEYS,
                "queued": True,
                "answered": True,
                "wait_seconds": wait,
            }
        ],
    )


def daily_rows(connection: Connection) -> list[tuple]:
    daily = table_of(ContactDaily).c
    query = select(
        daily.day, daily.province_code, daily.area_code, daily.contacts, daily.wait_seconds
    )
    return [tuple(row) for row in connection.execute(query)]


def test_contacts_alone_are_summed_into_one_row_per_day_and_keys(engine: Engine) -> None:
    with engine.begin() as connection:
        add_answered_call(connection, "a", 10.0)
        add_answered_call(connection, "b", 30.0)
        aggregates.refresh_contacts(connection, DAY, DAY)
        rows = daily_rows(connection)
    assert rows == [(DAY, "037", "BO", 2, 40.0)]


def test_a_report_on_the_same_day_and_keys_as_contacts_adds_to_their_row(engine: Engine) -> None:
    with engine.begin() as connection:
        add_answered_call(connection, "a", 10.0)
        add_answered_call(connection, "b", 30.0)
        connection.execute(
            insert(table_of(ContactReport)),
            [{"source_id": "r", **CALENDAR, **KEYS, "offered": 5, "wait_seconds": 100.0}],
        )
        aggregates.refresh_contacts(connection, DAY, DAY)
        rows = daily_rows(connection)
    assert rows == [(DAY, "037", "BO", 7, 140.0)]
