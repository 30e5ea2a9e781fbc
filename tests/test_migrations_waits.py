"""Revision 0004 gives a store's existing contacts their wait bands and weekday × hour rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from data_access import aggregates, migrate
from data_access.importing import import_file
from data_access.models import ContactHourly, table_of
from tests.test_aggregates_incremental import TABLES, assert_same_rows, every_row
from tests.test_migrations_base import _downgrade
from tests.test_waits_queries import CONTACTS, REPORT


def test_upgrading_a_filled_store_fills_the_bands_and_hours_as_a_recomputation_would(
    engine: Engine, tmp_path: Path
) -> None:
    for kind, text in (("contacts", CONTACTS), ("contact-aggregates", REPORT)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(engine=engine, kind=kind, path=path)
    _downgrade(engine, "0003")
    migrate.upgrade(engine)
    with engine.connect() as connection:
        upgraded = every_row(connection)
        hours = connection.execute(select(func.count()).select_from(table_of(ContactHourly)))
        assert hours.scalar_one() == 6  # the six weekday × hour cells the contacts fall in
    with engine.begin() as connection:
        aggregates.refresh_contacts(connection, date(2025, 1, 1), date(2025, 2, 28))
    with engine.connect() as connection:
        recomputed = every_row(connection)
    for table in TABLES:
        assert_same_rows(table, upgraded[table.name], recomputed[table.name])
