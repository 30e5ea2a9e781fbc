"""The audit's cost: one data_access.audit.record_page on the bench store, against a bare sqlite3
INSERT + commit of the same row into a table of the same shape in the same file, interleaved
so that both see the same disk and the same moment."""

from __future__ import annotations

import sqlite3
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from data_access import audit
from data_access.db import get_engine

WRITES = 300  # of each, after WARM_UP
WARM_UP = 20
PERSON = "bench-audit@ascolto.example"  # the rows written here, deleted afterwards
PAGE = {"user": PERSON, "role": "executive", "page": "overview", "url": "/overview?province=RA"}
REFERENCE = "bench_audit_reference"
SHAPE = f"""CREATE TABLE {REFERENCE} (
    id INTEGER NOT NULL PRIMARY KEY, at DATETIME NOT NULL, "user" VARCHAR(254) NOT NULL,
    role VARCHAR(32) NOT NULL, event VARCHAR(16) NOT NULL, page VARCHAR(64) NOT NULL,
    url VARCHAR NOT NULL, kind VARCHAR(64), format VARCHAR(16), "rows" INTEGER,
    viewed_as VARCHAR(254))"""
INDEXES = (
    f"CREATE INDEX ix_{REFERENCE}_at ON {REFERENCE} (at)",
    f'CREATE INDEX ix_{REFERENCE}_user ON {REFERENCE} ("user")',
)
BARE = (
    f'INSERT INTO {REFERENCE} (at, "user", role, event, page, url, kind, format, "rows", '
    "viewed_as) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def audit_times(store: Path) -> tuple[float, float]:
    """Median seconds of (one record_page, one bare INSERT + commit) on store."""
    engine = get_engine(f"sqlite:///{store}")
    bare = sqlite3.connect(store)
    bare.execute("PRAGMA synchronous=NORMAL")  # as the app's connections (data_access.db)
    bare.execute(f"DROP TABLE IF EXISTS {REFERENCE}")
    for statement in (SHAPE, *INDEXES):
        bare.execute(statement)
    bare.commit()

    def insert() -> None:
        at = datetime.now(UTC).isoformat(" ")
        bare.execute(BARE, (at, PERSON, "executive", "page", "overview", PAGE["url"], *[None] * 4))
        bare.commit()

    def record() -> None:
        if not audit.record_page(engine, **PAGE):
            raise RuntimeError("the audit write failed: see the ERROR above")

    samples: dict[str, list[float]] = {"audit": [], "bare": []}
    try:
        for index in range(WARM_UP + WRITES):
            for name, write in (("audit", record), ("bare", insert)):
                start = time.perf_counter()
                write()
                if index >= WARM_UP:
                    samples[name].append(time.perf_counter() - start)
    finally:
        bare.execute(f"DROP TABLE IF EXISTS {REFERENCE}")
        bare.execute('DELETE FROM audit WHERE "user" = ?', (PERSON,))
        bare.commit()
        bare.close()
    return statistics.median(samples["audit"]), statistics.median(samples["bare"])
