"""Writing prepared rows in one transaction: duplicates, references, batch, aggregates."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY

from data_access.bulk import insert_columns
from data_access.importing import convert
from data_access.importing.rules import Prepared, satisfaction_scores
from data_access.models import SQLModel
from data_access.progress import Progress

CHUNK = 50_000
LOOKUP_CHUNK = 100_000
CSAT_SUFFIX = "#csat"


def table_of(name: str) -> Table:
    """The store's table called name."""
    return SQLModel.metadata.tables[name]


def _sqlite_text(values: np.ndarray, with_time: bool) -> list[str | None]:
    """Dates as the text sqlite3's own adapters write (YYYY-MM-DD[ HH:MM:SS]), made in bulk."""
    # few distinct days: format each once
    days, which = np.unique(values.astype("datetime64[D]"), return_inverse=True)
    day_text = np.datetime_as_string(days)
    fixed = day_text.astype("U10")
    if not with_time:
        text = day_text.astype(object)[which].tolist()
    elif (fixed == day_text).all():  # no 5-digit years: paste in the time's digits
        text = _with_time_of_day(values, fixed, which)
    else:
        text = np.datetime_as_string(values.astype("datetime64[s]")).tolist()
        text = [t.replace("T", " ") for t in text]
    missing = np.isnat(values)
    if missing.any():
        array = np.array(text, dtype=object)
        array[missing] = None
        return array.tolist()
    return text


def _with_time_of_day(values: np.ndarray, day_text: np.ndarray, which: np.ndarray) -> list[str]:
    """'YYYY-MM-DD HH:MM:SS' for each value, as UCS-4 code points written column by column."""
    seconds = values.astype("datetime64[s]")
    of_day = (seconds - seconds.astype("datetime64[D]")).astype(np.int64)
    codes = np.empty((len(values), 19), dtype=np.uint32)
    codes[:, :10] = day_text.view(np.uint32).reshape(len(day_text), 10)[which]
    codes[:, 10] = ord(" ")
    codes[:, 13] = codes[:, 16] = ord(":")
    for column, part in ((11, of_day // 3600), (14, of_day // 60 % 60), (17, of_day % 60)):
        codes[:, column] = ord("0") + part // 10
        codes[:, column + 1] = ord("0") + part % 10
    return codes.view("U19").ravel().tolist()


def _sqlite_flags(values: np.ndarray) -> list[int | None]:
    """Flags as 1, 0 or None: the driver binds ints directly but looks up an adapter per bool."""
    flags = np.asarray(values == True, dtype=np.int64)  # noqa: E712 - object array of True/False/None
    if values.dtype.kind == "b" or not (missing := convert.absent(values)).any():
        return flags.tolist()
    out = flags.astype(object)
    out[missing] = None
    return out.tolist()


def python_values(values: np.ndarray, column: Column, sqlite: bool = False) -> list[Any]:
    """A column of numpy values as Python objects the database driver binds (None for gaps).

    On SQLite dates go as ISO text, which is what the driver would make of date objects,
    at a fraction of the cost, and booleans as the 1 and 0 SQLite stores for them.
    """
    kind = column.type
    if sqlite and isinstance(kind, Boolean) and values.dtype.kind in "bO":
        return _sqlite_flags(values)
    if isinstance(kind, DateTime | Date) and values.dtype.kind == "M":
        if sqlite:
            return _sqlite_text(values, isinstance(kind, DateTime))
        unit = "datetime64[D]" if not isinstance(kind, DateTime) else "datetime64[us]"
        return values.astype(unit).tolist()
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        if isinstance(kind, Integer) and not isinstance(kind, Boolean):
            out = np.full(len(values), None, dtype=object)
            out[~missing] = values[~missing].astype(np.int64).tolist()
            return out.tolist()
        if not missing.any():
            return values.tolist()
        out = values.astype(object)
        out[missing] = None
        return out.tolist()
    if isinstance(kind, Float):
        return [None if v is None else float(v) for v in values.tolist()]
    return values.tolist()


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _among(connection: Connection, column: Column, values: list[str]) -> ColumnElement[bool]:
    """column IN values, as one bound parameter where the database allows it."""
    if connection.dialect.name == "sqlite":
        listed = func.json_each(bindparam("listed", json.dumps(values))).table_valued("value")
        return column.in_(select(listed.c.value))
    if connection.dialect.name == "postgresql":
        return column == func.any(bindparam("listed", values, type_=ARRAY(String)))
    return column.in_(values)


def ids_by_source(
    connection: Connection, table: Table, source_ids: Sequence[str]
) -> dict[str, int]:
    """The id of every row of table whose source_id is in source_ids."""
    found: dict[str, int] = {}
    if connection.execute(select(table.c.id).limit(1)).first() is None:
        return found
    unique = list(dict.fromkeys(s for s in source_ids if s is not None))
    for chunk in _chunks(unique, LOOKUP_CHUNK):
        query = select(table.c.source_id, table.c.id).where(
            _among(connection, table.c.source_id, list(chunk))
        )
        found.update(connection.execute(query).all())
    return found


@dataclass
class UpsertPlan:
    """For keyed tables: which rows are new, which replace stored values, how many match."""

    new: np.ndarray  # bool per row
    changed: list[tuple[int, tuple[Any, ...]]]  # (stored id, new values)
    same: int


def plan_upserts(connection: Connection, prepared: Prepared) -> UpsertPlan:
    """Compare the file's keyed rows with the store's rows of the same months."""
    table = table_of(prepared.table)
    keys = list(
        zip(*(python_values(prepared.columns[k], table.c[k]) for k in prepared.keys), strict=True)
    )
    values = list(
        zip(*(python_values(prepared.columns[v], table.c[v]) for v in prepared.values), strict=True)
    )
    stored: dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]] = {}
    months = prepared.columns["month"]
    if len(months):
        first, last = months.min().astype(date), months.max().astype(date)
        query = select(
            *(table.c[k] for k in prepared.keys), table.c.id, *(table.c[v] for v in prepared.values)
        ).where(table.c.month >= first, table.c.month <= last)
        width = len(prepared.keys)
        stored = {
            tuple(row[:width]): (row[width], tuple(row[width + 1 :]))
            for row in connection.execute(query).all()
        }
    new = np.array([k not in stored for k in keys], dtype=bool)
    changed = [
        (stored[k][0], v)
        for k, v in zip(keys, values, strict=True)
        if k in stored and stored[k][1] != v
    ]
    return UpsertPlan(new, changed, len(keys) - int(new.sum()) - len(changed))


def start_batch(
    connection: Connection, *, kind: str, file_name: str, checksum: str, user: str
) -> int:
    """Record an import batch (counts filled in by finish_batch) and return its id."""
    result = connection.execute(
        insert(table_of("import_batch")).values(
            kind=kind,
            file_name=file_name,
            checksum=checksum,
            imported_by=user,
            imported_at=datetime.now(UTC).replace(microsecond=0),
        )
    )
    key = result.inserted_primary_key
    if key is None:  # every supported driver returns it; say so rather than fail on None[0]
        raise RuntimeError("the database did not return the new import batch's id")
    return int(key[0])


def finish_batch(connection: Connection, batch_id: int, **counts: int) -> None:
    """Store a batch's row counts."""
    table = table_of("import_batch")
    connection.execute(update(table).where(table.c.id == batch_id).values(**counts))


def kept(columns: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    """The rows of columns marked in keep."""
    if keep.all():
        return columns
    return {name: values[keep] for name, values in columns.items()}


def _all_missing(values: np.ndarray) -> bool:
    if values.dtype.kind == "M":
        return bool(np.isnat(values).all())
    if values.dtype.kind == "f":
        return bool(np.isnan(values).all())
    if len(values) and values[0] is not None:  # the usual filled column: no need to scan
        return False
    return bool((values == None).all())  # noqa: E711 - elementwise


def write_rows(
    connection: Connection,
    table: Table,
    columns: dict[str, np.ndarray],
    keep: np.ndarray,
    batch_id: int,
    progress: Progress,
    stage: str = "scrittura",
) -> int:
    """Insert the rows marked in keep, in chunks, tagged with batch_id; return how many."""
    columns = kept(columns, keep)
    # columns with no value at all are left to their NULL default: less to bind
    names = [n for n in columns if not _all_missing(columns[n])]
    sqlite = connection.dialect.name == "sqlite"
    lists = [python_values(columns[n], table.c[n], sqlite) for n in names]
    total = int(keep.sum())
    lists.append([batch_id] * total)
    done = 0
    progress(stage, 0, total)
    for start in range(0, total, CHUNK):
        chunk = [values[start : start + CHUNK] for values in lists]
        done += insert_columns(connection, table, [*names, "batch_id"], chunk)
        progress(stage, done, total)
    return done


def write_upserts(
    connection: Connection,
    prepared: Prepared,
    plan: UpsertPlan,
    batch_id: int,
    progress: Progress,
) -> None:
    """Insert the plan's new keys and replace the values of its changed ones."""
    table = table_of(prepared.table)
    write_rows(connection, table, prepared.columns, plan.new, batch_id, progress)
    if plan.changed:
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values(batch_id=bindparam("_batch"), **{v: bindparam(v) for v in prepared.values})
        )
        parameters = [
            {"_id": id_, "_batch": batch_id, **dict(zip(prepared.values, values, strict=True))}
            for id_, values in plan.changed
        ]
        connection.execute(statement, parameters)


def csat_surveys(
    connection: Connection, prepared: Prepared, keep: np.ndarray, batch_id: int
) -> dict[str, np.ndarray]:
    """Survey rows for the rated contacts just written (source id + #csat, 1-5 scale)."""
    rating = prepared.extra["satisfaction"]
    rated = keep & ~np.isnan(rating)
    if not rated.any():
        return {}
    contacts = table_of("contact")
    source_ids = prepared.columns["source_id"][rated]
    query = select(contacts.c.source_id, contacts.c.id).where(contacts.c.batch_id == batch_id)
    ids = dict(connection.execute(query).all())
    raw = rating[rated]
    low, high = np.ones(len(raw)), np.full(len(raw), 5.0)
    csi, positive = satisfaction_scores(raw, low, high)
    c = prepared.columns
    none = np.full(len(raw), None, dtype=object)
    return {
        "source_id": np.array([s + CSAT_SUFFIX for s in source_ids], dtype=object),
        "responded_at": c["occurred_at"][rated],
        "day": c["day"][rated],
        "week": c["week"][rated],
        "month": c["month"][rated],
        "area_code": c["area_code"][rated],
        "channel_code": c["channel_code"][rated],
        "segment_code": c["segment_code"][rated],
        "contact_id": np.array([ids[s] for s in source_ids], dtype=object),
        "satisfaction_raw": raw,
        "scale_min": low,
        "scale_max": high,
        "csi": csi,
        "csat_positive": positive,
        "recommendation": none,
        "effort": none,
        "comment": none,
    }
