"""data_access.audit: each record is one committed row; reading filters by day and person; a
failing write logs an ERROR and never raises."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from data_access import audit, db, migrate
from tests.test_migrations_base import _downgrade

RAVENNA = "ra@x.it"
BOSS = "boss@x.it"


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The times the next records are written at, in order (append before recording)."""
    times: list[datetime] = []
    monkeypatch.setattr(audit, "_now", lambda: times.pop(0))
    return times


def fields(rows) -> list[tuple]:
    return [tuple(row) for row in rows]


def test_a_sign_in_is_recorded_with_time_person_role_and_url(engine: Engine, at) -> None:
    at.append(datetime(2026, 12, 3, 9, 30, 5, tzinfo=UTC))
    assert audit.record_sign_in(engine, user=RAVENNA, role="regional_manager", url="/overview")
    assert fields(audit.read(engine)) == [
        (
            datetime(2026, 12, 3, 9, 30, 5, tzinfo=UTC),
            RAVENNA,
            "regional_manager",
            "sign_in",
            "",
            "/overview",
            None,
            None,
            None,
            None,
        )
    ]


def test_a_page_is_recorded_with_its_view(engine: Engine, at) -> None:
    at.append(datetime(2026, 12, 3, 9, 31, tzinfo=UTC))
    audit.record_page(
        engine, user=RAVENNA, role="regional_manager", page="trends", url="/trends?province=RA"
    )
    (row,) = audit.read(engine)
    assert (row.event, row.page, row.url, row.kind) == (
        "page",
        "trends",
        "/trends?province=RA",
        None,
    )


def test_an_export_is_recorded_with_kind_format_and_rows(engine: Engine, at) -> None:
    at.append(datetime(2026, 12, 3, 9, 32, tzinfo=UTC))
    audit.record_export(
        engine,
        user=BOSS,
        role="executive",
        page="export",
        url="/export?kind=contacts",
        kind="contacts",
        fmt="parquet",
        rows=1234,
    )
    (row,) = audit.read(engine)
    assert (row.user, row.event, row.kind, row.format, row.rows) == (
        BOSS,
        "export",
        "contacts",
        "parquet",
        1234,
    )


def test_an_admins_preview_names_the_admin_and_the_person_previewed(engine: Engine) -> None:
    audit.record_page(
        engine, user=BOSS, role="admin", page="trends", url="/trends", viewed_as=RAVENNA
    )
    (row,) = audit.read(engine)
    assert (row.user, row.role, row.viewed_as) == (BOSS, "admin", RAVENNA)


def test_a_local_time_is_kept_as_the_same_moment_in_utc(engine: Engine, at) -> None:
    from zoneinfo import ZoneInfo

    at.append(datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Europe/Rome")))
    audit.record_page(engine, user=BOSS, role="executive", page="overview", url="/overview")
    assert audit.read(engine)[0].at == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


def _three_days(engine: Engine, at: list[datetime]) -> None:
    for day, user in ((1, RAVENNA), (2, BOSS), (3, RAVENNA)):
        at.append(datetime(2026, 12, day, 23, 59, tzinfo=UTC))
        audit.record_page(engine, user=user, role="", page="overview", url=f"/overview?d={day}")


def test_reading_gives_the_rows_oldest_first(engine: Engine, at) -> None:
    at.append(datetime(2026, 12, 2, tzinfo=UTC))
    audit.record_page(engine, user=BOSS, role="", page="trends", url="/trends")
    at.append(datetime(2026, 12, 1, tzinfo=UTC))  # a clock set back: still in time order
    audit.record_page(engine, user=BOSS, role="", page="overview", url="/overview")
    assert [row.page for row in audit.read(engine)] == ["overview", "trends"]


def test_since_keeps_the_rows_from_that_day_on(engine: Engine, at) -> None:
    _three_days(engine, at)
    assert [row.url for row in audit.read(engine, since=date(2026, 12, 2))] == [
        "/overview?d=2",
        "/overview?d=3",
    ]


def test_user_keeps_that_persons_rows(engine: Engine, at) -> None:
    _three_days(engine, at)
    assert [row.url for row in audit.read(engine, user=RAVENNA)] == [
        "/overview?d=1",
        "/overview?d=3",
    ]


def test_a_record_is_committed_when_the_call_returns(engine: Engine) -> None:
    audit.record_page(engine, user=BOSS, role="executive", page="overview", url="/overview")
    engine.dispose()  # as when the app stops: every connection closed, nothing flushed later
    other = create_engine(engine.url)
    with other.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit")).scalar_one() == 1
    other.dispose()


def test_a_failing_write_logs_an_error_and_returns_false(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    _downgrade(engine, "0004")  # no audit table: every write fails
    with caplog.at_level(logging.ERROR, logger="data_access.audit"):
        written = audit.record_page(
            engine, user=RAVENNA, role="regional_manager", page="trends", url="/trends"
        )
    assert written is False
    assert [r.getMessage().split(":")[:2] for r in caplog.records] == [
        ["audit", " page of ra@x.it not recorded"]
    ]
    migrate.upgrade(engine)
    assert audit.read(engine) == []


def test_on_sqlite_records_are_written_without_the_readers_64_mb_page_cache(
    engine: Engine,
) -> None:
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL: the next test
    cache_size = text("PRAGMA cache_size")
    with engine.connect() as connection:
        assert connection.execute(cache_size).scalar_one() == -65536
    with db.writer_engine(engine).connect() as connection:
        assert connection.execute(cache_size).scalar_one() == -2000  # SQLite's default
    audit.record_page(engine, user=BOSS, role="executive", page="overview", url="/overview")
    assert fields(audit.read(engine))[0][1:5] == (BOSS, "executive", "page", "overview")


def test_on_postgresql_records_are_written_through_the_readers_engine(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return
    assert db.writer_engine(engine) is engine
