"""The schema comes from Alembic migrations that match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from data_access import migrate
from data_access.models import KpiTarget, Province


def test_migrations_leave_nothing_for_autogenerate(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, SQLModel.metadata) == []


def test_migrating_twice_keeps_reference_rows_once(engine: Engine) -> None:
    migrate.prepare(engine)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Province)).scalar_one() == 107
        assert connection.execute(select(func.count()).select_from(KpiTarget)).scalar_one() == 10


def test_napoli_keeps_its_sigla_na(engine: Engine) -> None:
    with engine.connect() as connection:
        name = connection.execute(select(Province.name).where(Province.sigla == "NA")).scalar_one()
    assert name == "Napoli"
