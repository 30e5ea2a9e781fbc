"""The one place that knows how to reach the store: URL, engine, sessions, SQLite pragmas, and
the slow-query log."""

from __future__ import annotations

import logging
import os
import time
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'ascolto.db'}"
SLOW_QUERY_VARIABLE = "ASCOLTO_SLOW_QUERY_MS"
DEFAULT_SLOW_QUERY_MS = 500.0
READS = frozenset({"SELECT", "WITH"})
STATEMENT_SHOWN = 200  # characters of a slow statement in the log

logger = logging.getLogger(__name__)


def database_url() -> str:
    """Return the store's SQLAlchemy URL: DATABASE_URL, or the SQLite file under data/."""
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # DB-API objects
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _sqlite_writer_pragmas(dbapi_connection, _record) -> None:  # DB-API objects
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def slow_query_ms() -> float:
    """The slow-query threshold in milliseconds: ASCOLTO_SLOW_QUERY_MS, else 500."""
    try:
        return float(os.environ.get(SLOW_QUERY_VARIABLE) or DEFAULT_SLOW_QUERY_MS)
    except ValueError:
        return DEFAULT_SLOW_QUERY_MS


def _query_started(conn: Connection, *_event: object) -> None:
    conn.info["query_started"] = time.perf_counter()


def _query_ended(conn: Connection, _cursor: object, statement: str, *_event: object) -> None:
    """Log a statement that took at least the threshold: its time and its start, never values."""
    started = conn.info.pop("query_started", None)
    if started is None:
        return
    elapsed_ms = (time.perf_counter() - started) * 1000
    if elapsed_ms >= slow_query_ms() and _is_read(statement):
        head = statement.strip().splitlines()[0]
        logger.warning("slow query: %.0f ms: %s", elapsed_ms, head[:STATEMENT_SHOWN])


def _is_read(statement: str) -> bool:
    """A query a page waits for; long writes (demo build, import) show their own progress."""
    words = statement.split(None, 1)
    return bool(words) and words[0].upper() in READS


def _watch_queries(engine: Engine) -> Engine:
    """Time every statement engine runs (see _query_ended)."""
    event.listen(engine, "before_cursor_execute", _query_started)
    event.listen(engine, "after_cursor_execute", _query_ended)
    return engine


@cache
def get_engine(url: str | None = None) -> Engine:
    """Return the (cached) engine for url, creating the SQLite folder and pragmas as needed."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return _watch_queries(engine)
    return _watch_queries(create_engine(url, pool_pre_ping=True))


@cache
def writer_engine(engine: Engine) -> Engine:
    """The engine for one-row writes beside engine's readers (the audit): on a SQLite file its
    own connections with SQLite's default page cache, elsewhere engine itself.

    SQLite empties a connection's page cache when another connection wrote since its last
    transaction: a reader's connection (64 MB of cache once pages were drawn) paid that on
    every audit write that followed another's write (×3 a bare insert; the bench's audit).
    """
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return engine
    writer = create_engine(url, connect_args={"check_same_thread": False})
    event.listen(writer, "connect", _sqlite_writer_pragmas)
    return writer
