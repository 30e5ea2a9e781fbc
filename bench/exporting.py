"""Analyst export at scale: the command line's raw contacts export, each run in its own process,
timed start to exit with its peak resident memory, beside two references of the same rows: a bare
sqlite3 cursor writing csv.writer rows of the export's own SELECT, and pd.read_parquet of the file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Engine

from data_access.db import PROJECT_ROOT
from data_access.filters import Filters
from data_access.periods import Period
from data_access.queries import first_day, latest_day

PERSON = "analisi@ascolto.example"  # access.toml: an analyst, every province and raw rows
FORMATS = ("csv", "parquet")
WRITTEN = re.compile(r"([\d,]+) rows of contacts written")

# Runs argv[2:], then writes to argv[1] its wall seconds and peak resident KB. Measured from here,
# not from the bench: Linux starts a new process's ru_maxrss at its parent's resident set (the
# bench holds a few hundred MB), while this launcher holds about 10 MB.
LAUNCHER = """
import resource, subprocess, sys, time
began = time.perf_counter()
code = subprocess.run(sys.argv[2:]).returncode
seconds = time.perf_counter() - began
with open(sys.argv[1], "w") as report:
    report.write(f"{seconds} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
sys.exit(code)
"""
# A bare floor: the same SELECT through the standard library's sqlite3, rows to csv.writer.
BARE_CSV = """
import csv, sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
cursor = connection.execute(sys.argv[2])
rows = 0
with open(sys.argv[3], "w", newline="", encoding="utf-8") as out:
    writer = csv.writer(out)
    writer.writerow(column[0] for column in cursor.description)
    while batch := cursor.fetchmany(50_000):
        writer.writerows(batch)
        rows += len(batch)
print(rows)
"""
# The analyst's line, timed around the read itself (not the interpreter's start or imports).
READ_PARQUET = """
import sys, time
import pandas as pd
began = time.perf_counter()
frame = pd.read_parquet(sys.argv[1])
print(len(frame), time.perf_counter() - began)
"""


@dataclass(frozen=True)
class Measured:
    """One process's run: rows it handled, seconds, its peak resident set (MB), file bytes."""

    rows: int
    seconds: float
    peak_mb: float
    size: int = 0

    @property
    def rate(self) -> float:
        """Rows per second."""
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class SizeRun:
    """Everything measured for one period of the store."""

    label: str  # "whole store" or "latest days"
    period: Period
    rows: int  # rows in the period, counted in the store
    exports: dict[str, Measured]  # per format
    bare_csv: Measured
    read_parquet: Measured


def run_measured(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float, str, str]:
    """Run argv in a new process: (wall seconds, its peak resident MB, stdout, stderr).

    It runs under a small launcher (LAUNCHER), whose only child it is, so RUSAGE_CHILDREN is its
    own peak. Output goes to files, not pipes: a progress bar must never block the child.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        with tempfile.NamedTemporaryFile("r") as report:
            launcher = [sys.executable, "-I", "-c", LAUNCHER, report.name, *argv]
            done = subprocess.run(launcher, stdout=out, stderr=err, env=env, cwd=PROJECT_ROOT)
            seconds, peak_kb = report.read().split()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:5])} exited {done.returncode}: {stderr[-2000:]}")
    return float(seconds), int(peak_kb) / 1024, stdout, stderr  # ru_maxrss is in KB on Linux


def whole_store(engine: Engine) -> Period:
    """The store's whole data window, as --from and --to."""
    first, latest = first_day(engine), latest_day(engine)
    if first is None or latest is None:
        raise RuntimeError("the bench store is empty")
    return Period(first, latest)


def latest_days(engine: Engine, rows: int) -> Period:
    """The shortest period ending on the latest day that holds at least rows contacts."""
    window = whole_store(engine)
    with engine.connect() as connection:
        day = connection.execute(
            text("SELECT day FROM contact ORDER BY day DESC LIMIT 1 OFFSET :skip"),
            {"skip": rows - 1},
        ).scalar()
    start = date.fromisoformat(str(day)) if day is not None else window.start
    return Period(start, window.end)


def contacts_in(engine: Engine, period: Period) -> int:
    """Contacts whose day lies in period."""
    with engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM contact WHERE day BETWEEN :start AND :end"),
                {"start": period.start.isoformat(), "end": period.end.isoformat()},
            ).scalar_one()
        )


def export_select(period: Period) -> str:
    """The export's own SELECT of raw contacts for period and every province, as SQLite text."""
    from data_access.export.kinds import _raw_query  # the exact statement the export runs

    query = _raw_query("contacts", Filters(), None, period)
    return str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def export_once(store: Path, period: Period, fmt: str, target: Path) -> Measured:
    """The command line's export of period's raw contacts to target, in its own process."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{store}"}
    argv = [
        sys.executable, "-m", "data_access", "export", "contacts",
        "--from", period.start.isoformat(), "--to", period.end.isoformat(),
        "--format", fmt, "--as", PERSON, "-o", str(target),
    ]  # fmt: skip
    seconds, peak, _out, err = run_measured(argv, env)
    written = WRITTEN.search(err)
    if written is None:
        raise RuntimeError(f"export said no row count: {err[-500:]}")
    rows = int(written.group(1).replace(",", ""))
    return Measured(rows, seconds, peak, target.stat().st_size)


def bare_csv_once(store: Path, period: Period, target: Path) -> Measured:
    """The bare floor: the export's SELECT by a sqlite3 cursor to csv.writer, own process."""
    argv = [sys.executable, "-c", BARE_CSV, str(store), export_select(period), str(target)]
    seconds, peak, out, _err = run_measured(argv, dict(os.environ))
    return Measured(int(out.split()[0]), seconds, peak, target.stat().st_size)


def read_parquet_once(source: Path) -> Measured:
    """pd.read_parquet(source) in a fresh process: rows, the read's seconds, peak MB."""
    argv = [sys.executable, "-c", READ_PARQUET, str(source)]
    _wall, peak, out, _err = run_measured(argv, dict(os.environ))
    rows, seconds = out.split()
    return Measured(int(rows), float(seconds), peak, source.stat().st_size)


def measure(engine: Engine, store: Path, label: str, period: Period, folder: Path) -> SizeRun:
    """Export period's raw contacts to every format and measure the references; files go."""
    exports: dict[str, Measured] = {}
    files = {fmt: folder / f"contacts.{fmt}" for fmt in FORMATS}
    bare_file = folder / "bare.csv"
    try:
        exports["csv"] = export_once(store, period, "csv", files["csv"])
        files["csv"].unlink()
        bare = bare_csv_once(store, period, bare_file)
        bare_file.unlink()
        exports["parquet"] = export_once(store, period, "parquet", files["parquet"])
        read = read_parquet_once(files["parquet"])
    finally:
        for path in (*files.values(), bare_file):
            path.unlink(missing_ok=True)
    return SizeRun(label, period, contacts_in(engine, period), exports, bare, read)


def export_runs(engine: Engine, store: Path, cache: Path) -> list[SizeRun]:
    """About a tenth of the store's contacts (its latest days), then the whole store."""
    whole = whole_store(engine)
    tenth = max(1, contacts_in(engine, whole) // 10)
    periods = (("latest days", latest_days(engine, tenth)), ("whole store", whole))
    with tempfile.TemporaryDirectory(dir=cache, prefix="export-") as folder:
        return [measure(engine, store, label, period, Path(folder)) for label, period in periods]
