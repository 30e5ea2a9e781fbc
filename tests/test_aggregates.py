"""The daily, weekly and monthly aggregates agree with the raw rows and with each other."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import kpi_store
import pytest
from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import Connection, Engine

from data_access import aggregates
from data_access.models import (
    CONTACT_MEASURES,
    Contact,
    ContactDaily,
    ContactMonthly,
    ContactProvinceMonthly,
    ContactWeekly,
    SurveyDaily,
    SurveyMonthly,
    SurveyWeekly,
    table_of,
)

CONTACT_TABLES = (
    table_of(ContactDaily),
    table_of(ContactWeekly),
    table_of(ContactMonthly),
    table_of(ContactProvinceMonthly),
)
SURVEY_TABLES = (table_of(SurveyDaily), table_of(SurveyWeekly), table_of(SurveyMonthly))


@pytest.fixture
def store(engine: Engine) -> Engine:
    return kpi_store.build(engine)


def total(connection: Connection, table: Table, measure: str) -> int:
    return connection.execute(select(func.sum(table.c[measure]))).scalar_one()


def every_row(connection: Connection) -> dict[str, list[tuple]]:
    return {
        table.name: sorted(tuple(row) for row in connection.execute(select(table)))
        for table in (*CONTACT_TABLES, *SURVEY_TABLES)
    }


def add_contact(connection: Connection, ident: str, day: date) -> None:
    connection.execute(
        insert(table_of(Contact)),
        [
            {
                "source_id": ident,
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


def test_every_contact_aggregate_sums_to_the_raw_contacts(store: Engine) -> None:
    # 11 contact rows + 10 calls offered in the one contact-centre report
    with store.connect() as connection:
        raw = connection.execute(select(func.count()).select_from(table_of(Contact))).scalar()
        assert raw == 11
        assert [total(connection, table, "contacts") for table in CONTACT_TABLES] == [
            21,
            21,
            21,
            21,
        ]


def test_the_three_survey_grains_sum_to_the_raw_responses(store: Engine) -> None:
    # cells A (40), B (5) and C (32)
    with store.connect() as connection:
        assert [total(connection, table, "responses") for table in SURVEY_TABLES] == [77, 77, 77]


def test_weekly_rows_are_keyed_by_monday(store: Engine) -> None:
    # contacts on 10, 12 (week of 6 Jan), 13, 15 (13 Jan), 20 (20 Jan); reports and contacts on
    # 3, 5, 6 (3 Feb), 11 (10 Feb), 18, 20 (17 Feb)
    weekly = table_of(ContactWeekly)
    with store.connect() as connection:
        query = select(weekly.c.week, func.sum(weekly.c.contacts)).group_by(weekly.c.week)
        assert sorted(connection.execute(query).all()) == [
            (date(2025, 1, 6), 3),
            (date(2025, 1, 13), 2),
            (date(2025, 1, 20), 1),
            (date(2025, 2, 3), 12),
            (date(2025, 2, 10), 1),
            (date(2025, 2, 17), 2),
        ]


def test_refreshing_the_same_range_again_changes_nothing(store: Engine) -> None:
    with store.connect() as connection:
        before = every_row(connection)
    with store.begin() as connection:
        aggregates.refresh_contacts(connection, date(2025, 1, 1), date(2025, 2, 28))
        aggregates.refresh_surveys(connection, date(2025, 1, 1), date(2025, 2, 28))
    with store.connect() as connection:
        assert every_row(connection) == before


def test_refreshing_one_month_keeps_a_week_straddling_into_it_whole(engine: Engine) -> None:
    # Friday 31 January is refreshed with January, Saturday 1 February later with February
    # alone: the week of 27 January holds both, the months one each
    with engine.begin() as connection:
        add_contact(connection, "jan", date(2025, 1, 31))
        aggregates.refresh_contacts(connection, date(2025, 1, 31), date(2025, 1, 31))
    with engine.begin() as connection:
        add_contact(connection, "feb", date(2025, 2, 1))
        aggregates.refresh_contacts(connection, date(2025, 2, 1), date(2025, 2, 1))
    weekly, monthly = table_of(ContactWeekly), table_of(ContactMonthly)
    with engine.connect() as connection:
        weeks = connection.execute(select(weekly.c.week, weekly.c.contacts)).all()
        months = connection.execute(select(monthly.c.month, monthly.c.contacts)).all()
    assert weeks == [(date(2025, 1, 27), 2)]
    assert sorted(months) == [(date(2025, 1, 1), 1), (date(2025, 2, 1), 1)]


def test_the_province_aggregate_sums_areas_and_topics_per_month_channel_and_segment(
    store: Engine,
) -> None:
    monthly = table_of(ContactMonthly).c
    keys = (monthly.month, monthly.province_code, monthly.channel_code, monthly.segment_code)
    measures = [func.sum(monthly[m]) for m in CONTACT_MEASURES]
    with store.connect() as connection:
        summed = connection.execute(select(*keys, *measures).group_by(*keys)).all()
        kept = connection.execute(select(table_of(ContactProvinceMonthly))).all()
    assert sorted(map(tuple, kept)) == sorted(map(tuple, summed))


def test_a_refresh_after_raw_rows_are_gone_empties_their_weeks(engine: Engine) -> None:
    with engine.begin() as connection:
        add_contact(connection, "jan", date(2025, 1, 31))
        aggregates.refresh_contacts(connection, date(2025, 1, 31), date(2025, 1, 31))
        connection.execute(table_of(Contact).delete())
        aggregates.refresh_contacts(connection, date(2025, 1, 31), date(2025, 1, 31))
        rows = [total(connection, table, "contacts") for table in CONTACT_TABLES]
    assert rows == [None, None, None, None]
