"""Fast multi-row inserts and additive upserts for the importer and the demo (parameterised)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

ROWS_PER_STATEMENT = 200  # SQLite: rows bound to one multi-row INSERT
STATEMENTS_PER_SLICE = 100  # SQLite: multi-row INSERTs' values interleaved at a time


def insert_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Insert tuples (values in columns' order) into table; return how many were inserted.

    SQLite gets the DB-API's executemany of multi-row INSERTs (several times faster than the ORM);
    PostgreSQL through psycopg gets COPY; other databases SQLAlchemy's insertmanyvalues.
    """
    if connection.dialect.name == "sqlite":
        return _sqlite_rows(connection, table, columns, rows)
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        return _copy_rows(connection, table, columns, rows)
    batch = [dict(zip(columns, row, strict=True)) for row in rows]
    if batch:
        connection.execute(insert(table), batch)
    return len(batch)


def insert_columns(
    connection: Connection, table: Table, columns: Sequence[str], values: Sequence[list[Any]]
) -> int:
    """insert_rows for values given as one list per column (of equal lengths)."""
    if not values or not len(values[0]):
        return 0
    if connection.dialect.name == "sqlite":
        return _sqlite_columns(connection, table, columns, values)
    return insert_rows(connection, table, columns, zip(*values, strict=True))


def add_columns(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    measures: Sequence[str],
    values: Sequence[list[Any]],
) -> None:
    """Upsert rows (one list of values per column), adding measures to those of a stored row.

    A row whose primary key is not in table is inserted; otherwise the stored row's measures
    grow by the row's and its other columns stay. Each primary key comes at most once in rows.
    """
    if not values or not len(values[0]):
        return
    keys = [c.name for c in table.primary_key.columns]
    if connection.dialect.name == "sqlite":
        quote = connection.dialect.identifier_preparer.quote
        sums = ", ".join(
            f"{quote(m)} = {table.name}.{quote(m)} + excluded.{quote(m)}" for m in measures
        )
        clause = f" ON CONFLICT ({', '.join(map(quote, keys))}) DO UPDATE SET {sums}"
        _sqlite_columns(connection, table, columns, values, clause)
        return
    if connection.dialect.name == "postgresql":
        statement = pg_insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=keys, set_={m: table.c[m] + statement.excluded[m] for m in measures}
        )
        rows = [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]
        connection.execute(statement, rows)
    else:
        _add_one_by_one(connection, table, columns, measures, values)


def _add_one_by_one(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    measures: Sequence[str],
    values: Sequence[list[Any]],
) -> None:
    """add_columns without ON CONFLICT: an UPDATE per row, and an INSERT where it matched none."""
    keys = [c.name for c in table.primary_key.columns]
    increase = (
        update(table)
        .where(*(table.c[k] == bindparam(f"_{k}") for k in keys))
        .values({m: table.c[m] + bindparam(f"_{m}") for m in measures})
    )
    for row in zip(*values, strict=True):
        named = dict(zip(columns, row, strict=True))
        bound = {f"_{c}": named[c] for c in (*keys, *measures)}
        if connection.execute(increase, bound).rowcount == 0:
            connection.execute(insert(table), named)


def _driver(connection: Connection) -> Any:
    """The DB-API connection under connection (sqlite3's or psycopg's)."""
    driver = connection.connection.driver_connection
    if driver is None:  # only once the pooled connection has been invalidated
        raise RuntimeError("the database connection has been closed")
    return driver


def _sqlite_statements(
    connection: Connection, table: Table, columns: Sequence[str], clause: str
) -> tuple[int, str, str]:
    """(rows per statement, the multi-row INSERT, the one-row INSERT), each ending in clause."""
    driver = _driver(connection)
    width = len(columns)
    limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(ROWS_PER_STATEMENT, limit // width))
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(c) for c in columns)
    one = f"({', '.join(['?'] * width)})"
    head = f"INSERT INTO {table.name} ({quoted}) VALUES "  # names from the model, values bound
    return per, head + ", ".join([one] * per) + clause, head + one + clause


def _sqlite_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """executemany of multi-row INSERTs (far less per-row work in the driver), then the rest."""
    per, many, one = _sqlite_statements(connection, table, columns, "")
    rest: list[Sequence[Any]] = []

    def groups(iterator: Iterator[Sequence[Any]]) -> Iterator[list[Any]]:
        while len(group := list(islice(iterator, per))) == per:
            yield list(chain.from_iterable(group))
        rest.extend(group)

    return _execute(connection, many, one, groups(iter(rows)), lambda: rest)  # never all in memory


def _sqlite_columns(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    values: Sequence[list[Any]],
    clause: str = "",
) -> int:
    """_sqlite_rows for values given column by column, interleaved a slice at a time."""
    per, many, one = _sqlite_statements(connection, table, columns, clause)
    width, total = len(columns), len(values[0])
    whole = total - total % per
    step = per * width

    def groups() -> Iterator[list[Any]]:
        for start in range(0, whole, per * STATEMENTS_PER_SLICE):
            stop = min(start + per * STATEMENTS_PER_SLICE, whole)
            flat: list[Any] = [None] * ((stop - start) * width)
            for position, column in enumerate(values):
                flat[position::width] = column[start:stop]
            for offset in range(0, len(flat), step):
                yield flat[offset : offset + step]

    return _execute(
        connection, many, one, groups(), lambda: zip(*(c[whole:] for c in values), strict=True)
    )


def _execute(
    connection: Connection,
    many: str,
    one: str,
    groups: Iterator[list[Any]],
    rest: Callable[[], Iterable[Sequence[Any]]],
) -> int:
    """executemany of the multi-row INSERT over groups, then of the one-row INSERT over the
    rows left (asked for once the groups are spent); return how many rows were written.
    """
    cursor = _driver(connection).cursor()
    cursor.executemany(many, groups)
    count = max(cursor.rowcount, 0)
    left = list(rest())
    if left:
        cursor.executemany(one, left)
        count += cursor.rowcount
    return count


def _copy_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """COPY rows into a PostgreSQL table through psycopg (values travel as data, not SQL)."""
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    with _driver(connection).cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
