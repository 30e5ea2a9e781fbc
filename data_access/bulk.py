"""Fast multi-row inserts for the importer and the demo generator (parameterised, batched)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert


def insert_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Insert tuples (values in columns' order) into table; return how many were inserted.

    SQLite gets the DB-API's executemany directly (several times faster than the ORM);
    other databases go through SQLAlchemy's insertmanyvalues batching.
    """
    if connection.dialect.name == "sqlite":
        placeholders = ", ".join("?" for _ in columns)
        quoted = ", ".join(connection.dialect.identifier_preparer.quote(c) for c in columns)
        statement = f"INSERT INTO {table.name} ({quoted}) VALUES ({placeholders})"  # noqa: S608 - names from the model, values bound
        cursor = connection.connection.driver_connection.cursor()
        rows = rows if isinstance(rows, list) else list(rows)
        cursor.executemany(statement, rows)
        return len(rows)
    batch = [dict(zip(columns, row, strict=True)) for row in rows]
    if batch:
        connection.execute(insert(table), batch)
    return len(batch)
