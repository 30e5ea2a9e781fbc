"""Import throughput: write a large canonical contacts file and time its import."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

AREAS = ("BO", "IMOLA", "FE", "FC", "MO", "RA", "RN")
CHANNELS = ("phone", "web", "app", "chat", "whatsapp", "chatbot", "branch", "written")
TOPICS = ("bill_info", "bill_dispute", "payments", "social_bonus", "contracts", "outages")


def write_contacts_csv(path: Path, rows: int, seed: int = 1) -> Path:
    """Write a canonical contacts file of rows random but valid contacts (2024)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T08:00:00")
    seconds = np.sort(rng.integers(0, 365 * 86_400, rows)).astype("timedelta64[s]")
    answered = rng.random(rows) < 0.9
    phone = rng.random(rows) < 0.6
    frame = pd.DataFrame(
        {
            "source_id": [f"B{i:09d}" for i in range(rows)],
            "occurred_at": np.datetime_as_string(start + seconds, unit="s"),
            "area": rng.choice(AREAS, rows),
            "channel": np.where(phone, "phone", rng.choice(CHANNELS, rows)),
            "segment": np.where(rng.random(rows) < 0.85, "household", "business"),
            "topic": rng.choice(TOPICS, rows),
            "queued": np.where(phone, "true", "false"),
            "answered": np.where(phone & answered, "true", "false"),
            "abandoned": np.where(phone & ~answered, "true", "false"),
            "wait_seconds": np.where(phone, rng.integers(0, 300, rows).astype(str), ""),
            "handling_seconds": rng.integers(30, 900, rows),
            "resolved_first_contact": np.where(rng.random(rows) < 0.8, "true", "false"),
        }
    )
    frame["occurred_at"] = frame["occurred_at"].str.replace("T", " ")
    frame.to_csv(path, index=False)
    return path


def measure(engine: Engine, path: Path) -> tuple[int, float]:
    """Import path as contacts into engine; return (rows, seconds)."""
    from data_access.importing import import_file

    began = time.perf_counter()
    report = import_file(engine=engine, kind="contacts", path=path)
    return report.rows_accepted, time.perf_counter() - began


def bare_executemany(source: Engine, target: Engine) -> tuple[int, float]:
    """The floor of writing the same rows: source's contact rows (as the import stored them)
    inserted into target's (empty, migrated) contact table by one DB-API executemany of a plain
    INSERT and a commit; return (rows, seconds)."""
    from data_access.models import Contact, table_of

    names = [column.name for column in table_of(Contact).c if column.name != "id"]
    listed = ", ".join(names)
    with source.connect() as connection:
        rows = connection.exec_driver_sql(f"SELECT {listed} FROM contact ORDER BY id").all()
        batches = connection.exec_driver_sql("SELECT * FROM import_batch").all()
    with target.begin() as connection:  # the rows' import batch, not timed
        marks = ", ".join("?" for _ in batches[0]) if batches else ""
        for batch in batches:
            connection.exec_driver_sql(f"INSERT INTO import_batch VALUES ({marks})", tuple(batch))
    statement = f"INSERT INTO contact ({listed}) VALUES ({', '.join('?' for _ in names)})"
    raw = target.raw_connection()
    try:
        began = time.perf_counter()
        cursor = raw.cursor()
        cursor.executemany(statement, [tuple(row) for row in rows])
        raw.commit()
        return len(rows), time.perf_counter() - began
    finally:
        raw.close()
