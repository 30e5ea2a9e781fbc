"""Revision 0007 adds the segment to the province-level monthly contacts, and takes it away."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import aggregates, migrate
from data_access.importing import import_file
from tests.test_aggregates_incremental import TABLES, assert_same_rows, every_row
from tests.test_migrations_base import _downgrade

# Bologna (ISTAT 037): two household phone calls and a business one in January, a business web
# contact in February
CONTACTS = """\
source_id,occurred_at,area,channel,segment,topic,queued,answered,abandoned,wait_seconds
h1,2025-01-10 09:15:00,BO,phone,household,bill_info,true,true,false,10
h2,2025-01-13 14:30:00,BO,phone,household,bill_info,true,false,true,
b1,2025-01-14 10:00:00,BO,phone,business,payments,true,true,false,30
b2,2025-02-03 09:05:00,BO,web,business,bill_info,false,false,false,
"""
ROWS = (
    "SELECT month, province_code, channel_code, {segment}contacts, answered "
    "FROM contact_province_monthly ORDER BY month, channel_code{order}"
)


def _imported(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    import_file(engine=engine, kind="contacts", path=path)


def _rows(engine: Engine, *, segments: bool) -> list[tuple]:
    query = ROWS.format(
        segment="segment_code, " if segments else "", order=", segment_code" if segments else ""
    )
    with engine.connect() as connection:
        return [
            (str(row[0]), *row[1:]) for row in connection.execute(text(query)).all()
        ]  # a date on PostgreSQL, text on SQLite


def test_upgrading_to_0007_splits_each_province_row_by_segment(
    engine: Engine, tmp_path: Path
) -> None:
    _imported(engine, tmp_path)
    _downgrade(engine, "0006")
    migrate.upgrade(engine)
    assert _rows(engine, segments=True) == [
        ("2025-01-01", "037", "phone", "business", 1, 1),
        ("2025-01-01", "037", "phone", "household", 2, 1),
        ("2025-02-01", "037", "web", "business", 1, 0),
    ]


def test_the_upgraded_rows_are_what_an_import_computes(engine: Engine, tmp_path: Path) -> None:
    _imported(engine, tmp_path)
    _downgrade(engine, "0006")
    migrate.upgrade(engine)
    with engine.connect() as connection:
        upgraded = every_row(connection)
    with engine.begin() as connection:
        aggregates.refresh_contacts(connection, date(2025, 1, 1), date(2025, 2, 28))
    with engine.connect() as connection:
        recomputed = every_row(connection)
    for table in TABLES:
        assert_same_rows(table, upgraded[table.name], recomputed[table.name])


def test_downgrading_to_0006_sums_the_segments_again(engine: Engine, tmp_path: Path) -> None:
    _imported(engine, tmp_path)
    _downgrade(engine, "0006")
    assert _rows(engine, segments=False) == [
        ("2025-01-01", "037", "phone", 3, 2),
        ("2025-02-01", "037", "web", 1, 0),
    ]
