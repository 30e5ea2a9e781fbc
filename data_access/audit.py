"""The audit: who signed in, opened which page with which view, and exported what, with time.

Each record_* call writes one row in its own short transaction, committed before it returns:
there is no buffer in memory, so stopping the app (or the command line) loses no record that a
call has returned from. Writing the audit must never break a page: a write that fails (store
unreachable, table missing, disk full) is logged as an ERROR naming the event and the person,
and the call returns False; the page goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import cache

from sqlalchemy import Dialect, Row, insert, select
from sqlalchemy.engine import Engine

from data_access.db import writer_engine
from data_access.models import Audit, table_of

SIGN_IN, PAGE, EXPORT = "sign_in", "page", "export"
EVENTS = (SIGN_IN, PAGE, EXPORT)
COLUMNS = ("at", "user", "role", "event", "page", "url", "kind", "format", "rows", "viewed_as")
CLI_PAGE = "cli"  # the page of an export made on the command line

logger = logging.getLogger(__name__)
_TABLE = table_of(Audit)


@cache
def _statement(dialect: Dialect) -> tuple[str, tuple[str, ...] | None, Callable | None]:
    """The INSERT in dialect's SQL, its parameters' order (None: by name) and at's converter.

    A page's record goes straight to the pooled DB-API connection: SQLAlchemy's Connection
    (events, transaction bookkeeping) tripled the cost of one write (bench: the audit section).
    """
    compiled = insert(_TABLE).compile(dialect=dialect, column_keys=list(COLUMNS))
    order = tuple(compiled.positiontup) if compiled.positiontup else None
    return str(compiled), order, _TABLE.c.at.type.bind_processor(dialect)


def _now() -> datetime:
    return datetime.now(UTC)


def _record(engine: Engine, values: dict[str, object]) -> bool:
    """Write one audit row in its own committed transaction; False (and an ERROR) on failure."""
    try:
        sql, order, convert = _statement(engine.dialect)
        row = {name: values.get(name) for name in COLUMNS} | {"at": _now()}
        if convert is not None:
            row["at"] = convert(row["at"])
        connection = writer_engine(engine).raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, tuple(row[name] for name in order) if order else row)
            connection.commit()
        finally:
            connection.close()  # back to the pool, rolled back if the commit did not happen
    except Exception as problem:  # whatever the cause, the page must go on (module docstring)
        logger.error(
            "audit: %s of %s not recorded: %s",
            values.get("event"),
            values.get("user") or "(nobody)",
            problem,
        )
        return False
    return True


def record_sign_in(engine: Engine, *, user: str, role: str, url: str = "") -> bool:
    """Record that user (with role) started a session, on url; True when it is written."""
    return _record(engine, {"user": user, "role": role, "event": SIGN_IN, "page": "", "url": url})


def record_page(
    engine: Engine, *, user: str, role: str, page: str, url: str, viewed_as: str | None = None
) -> bool:
    """Record that user opened page (its URL path) with the view url, as an admin previewing
    viewed_as when given; True when it is written."""
    values = {"user": user, "role": role, "event": PAGE, "page": page, "url": url}
    return _record(engine, values | {"viewed_as": viewed_as})


def record_export(
    engine: Engine,
    *,
    user: str,
    role: str,
    page: str,
    url: str,
    kind: str,
    fmt: str,
    rows: int,
    viewed_as: str | None = None,
) -> bool:
    """Record that user exported rows of kind in fmt from page's view url (as an admin
    previewing viewed_as when given); True when it is written."""
    values = {"user": user, "role": role, "event": EXPORT, "page": page, "url": url}
    return _record(
        engine, values | {"kind": kind, "format": fmt, "rows": rows, "viewed_as": viewed_as}
    )


def read(engine: Engine, *, since: date | None = None, user: str | None = None) -> Sequence[Row]:
    """The audit's rows, oldest first: from the day since (UTC) on, of user only when given."""
    query = select(*(_TABLE.c[name] for name in COLUMNS)).order_by(_TABLE.c.at, _TABLE.c.id)
    if since is not None:
        query = query.where(_TABLE.c.at >= datetime(since.year, since.month, since.day, tzinfo=UTC))
    if user is not None:
        query = query.where(_TABLE.c.user == user)
    with engine.connect() as connection:
        return connection.execute(query).all()
