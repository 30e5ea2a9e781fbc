"""Revision 0009 indexes contact_hourly for the weekday × hour grid, and takes the index away."""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine

from data_access import migrate
from data_access.filters import Filters
from data_access.queries.waits import hour_grid
from data_access.scope import Scope
from tests.test_migrations_base import _downgrade


def _indexes(engine: Engine) -> dict[str, list[str]]:
    found = inspect(engine).get_indexes("contact_hourly")
    return {index["name"]: index["column_names"] for index in found}


def test_upgrading_to_0009_indexes_the_hours_by_cell(engine: Engine) -> None:
    _downgrade(engine, "0008")
    assert "ix_contact_hourly_cell" not in _indexes(engine)
    migrate.upgrade(engine)
    assert _indexes(engine)["ix_contact_hourly_cell"] == [
        "weekday", "hour", "month", "contacts", "queued", "answered",
    ]  # fmt: skip


def test_on_sqlite_the_hour_grid_reads_each_cell_from_the_index_without_a_sort(
    sqlite_engine: Engine,
) -> None:
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
        statements.append((statement, parameters))

    event.listen(sqlite_engine, "before_cursor_execute", record)
    filters = Filters(period="2025", provinces=("BO",), channels=("phone",))
    hour_grid(engine=sqlite_engine, filters=filters, scope=Scope.all_provinces("test"))
    event.remove(sqlite_engine, "before_cursor_execute", record)
    grid_statement, parameters = statements[-1]
    with sqlite_engine.connect() as connection:
        explained = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + grid_statement, parameters)
        plan = [row[3] for row in explained]
    assert not any("TEMP B-TREE" in step for step in plan)
    assert any(
        step.startswith("SEARCH contact_hourly USING COVERING INDEX ix_contact_hourly_cell")
        and "weekday=? AND hour=?" in step
        for step in plan
    )


def test_downgrading_0009_takes_the_index_away(engine: Engine) -> None:
    _downgrade(engine, "0008")
    assert "ix_contact_hourly_cell" not in _indexes(engine)
    assert "contact_hourly" in inspect(engine).get_table_names()
