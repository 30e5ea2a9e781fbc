"""The demo fills the wait bands and the weekday × hour rows as a recomputation would."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access.hourly import HOURLY, refresh_hourly
from data_access.models import ContactMonthly, table_of
from fixtures.demo import build_demo, world

SMALL = 20_000


def test_the_demos_weekday_and_hour_rows_equal_a_recomputation(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    with engine.connect() as connection:
        built = sorted(tuple(row) for row in connection.execute(select(HOURLY)))
    with engine.begin() as connection:
        refresh_hourly(connection, world.START, world.END)
    with engine.connect() as connection:
        recomputed = sorted(tuple(row) for row in connection.execute(select(HOURLY)))
    assert built and built == recomputed


def test_every_answered_demo_call_has_a_wait_band(engine: Engine) -> None:
    build_demo(engine=engine, contacts=SMALL, seed=7)
    monthly = table_of(ContactMonthly).c
    sums = select(func.sum(monthly.answered), func.sum(monthly.banded))
    with engine.connect() as connection:
        answered, banded = connection.execute(sums).one()
    assert answered > 0 and banded == answered
