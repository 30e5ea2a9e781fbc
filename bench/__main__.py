"""make bench: every page's data at Hera scale, beside the naive ways of computing it.

Builds (once, cached under bench/.cache) a SQLite store of 10M contacts and ~500k survey
responses, 2019-2025, then prints:
- the demo build time;
- per page, the time to read all its data through data_access on a cold cache: no cached
  results and a new SQLite connection with an empty page cache, in a warm process (imports,
  engine and compiled SQL kept, as in the running app); the OS file cache stays warm;
- one page aggregate done the naive ways (SQLite GROUP BY over raw rows, pandas read-all +
  groupby, DuckDB over the raw rows exported to Parquet) and their ratio to ours;
- the app process's peak resident memory once its pages are open in Chromium;
- import speed of a canonical contacts file.
Budgets from DESIGN.md are printed beside each figure. Run: make bench [BENCH_CONTACTS=N].
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import text

from bench import importing, memory, pages, render
from data_access import migrate
from data_access.db import PROJECT_ROOT, get_engine
from data_access.filters import Filters
from data_access.progress import terminal_progress
from data_access.scope import Scope

CACHE = PROJECT_ROOT / "bench" / ".cache"
CONTACTS = int(os.environ.get("BENCH_CONTACTS", "10000000"))
SEED = 7
REPEATS = 5
IMPORT_ROWS = 300_000


def timed(function: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    """Run function repeats times; return (median, min) seconds."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def schema_digest() -> str:
    """Eight hex digits naming the schema, so a cached store never outlives a model change."""
    from sqlmodel import SQLModel

    shape = sorted(
        f"{t.name}.{c.name}:{c.type}" for t in SQLModel.metadata.tables.values() for c in t.c
    )
    return hashlib.sha1("\n".join(shape).encode()).hexdigest()[:8]


def build_store() -> tuple[Path, float, bool]:
    """The cached Hera-scale store: (path, build seconds, built now?)."""
    from fixtures.demo import build_demo

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"hera-{CONTACTS}-seed{SEED}-{schema_digest()}.db"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        engine = get_engine(f"sqlite:///{path}")
        migrate.prepare(engine)  # later revisions (indexes) apply to the cached store
        engine.dispose()
        return path, json.loads(meta.read_text())["build_seconds"], False
    path.unlink(missing_ok=True)
    engine = get_engine(f"sqlite:///{path}")
    migrate.prepare(engine)
    start = time.perf_counter()
    with terminal_progress() as progress:
        build_demo(engine=engine, contacts=CONTACTS, seed=SEED, progress=progress)
    seconds = time.perf_counter() - start
    meta.write_text(json.dumps({"build_seconds": seconds, "contacts": CONTACTS}))
    engine.dispose()
    return path, seconds, True


def cold_engine(path: Path):  # an Engine
    """The store's engine with no open connection: the next one starts with an empty SQLite
    page cache. The process stays warm (imports, engine, compiled SQL), as the running app is
    when its data cache is cleared by an import.
    """
    engine = get_engine(f"sqlite:///{path}")
    engine.dispose()
    return engine


def bench_pages(path: Path) -> list[tuple[str, float, float]]:
    """(page, median s, min s) for every page's data, cold cache each run."""
    scope = Scope.all_provinces("bench")
    rows = []
    for name, recipe in pages.PAGES.items():

        def run(recipe=recipe) -> None:
            recipe(cold_engine(path), Filters(), scope)

        run()  # warm the process: imports and compiled SQL, as a running app has them
        rows.append((name, *timed(run)))
    return rows


RAW_ROWS = (
    "SELECT c.day, c.month, c.queued, c.answered, a.province_code "
    "FROM contact c JOIN area a ON a.code = c.area_code"
)
NAIVE_SQL = """
SELECT a.province_code, c.month, count(*) AS contacts,
       sum(CASE WHEN c.answered THEN 1 ELSE 0 END) AS answered,
       sum(CASE WHEN c.queued THEN 1 ELSE 0 END) AS queued
FROM contact c JOIN area a ON a.code = c.area_code
WHERE c.day >= :start AND c.day <= :end
GROUP BY a.province_code, c.month
"""


def bench_baselines(path: Path) -> list[tuple[str, float]]:
    """Monthly service level per province for the last 12 months, four ways."""
    import duckdb

    engine = cold_engine(path)
    period = Filters().resolve(pages.latest(engine))
    if period is None:
        raise RuntimeError(pages.EMPTY_STORE)
    window = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    scope = Scope.all_provinces("bench")
    results = [
        ("Ascolto (aggregates)", timed(lambda: pages.trend_query(cold_engine(path), scope))[0])
    ]

    def sqlite_raw() -> None:
        with cold_engine(path).connect() as connection:
            connection.execute(text(NAIVE_SQL), window).all()

    results.append(("SQLite GROUP BY over raw rows", timed(sqlite_raw, 1)[0]))

    def pandas_raw() -> None:
        with cold_engine(path).connect() as connection:
            raw = pd.read_sql(
                text(RAW_ROWS),
                connection,
            )
        raw = raw[(raw["day"] >= window["start"]) & (raw["day"] <= window["end"])]
        raw.groupby(["province_code", "month"])[["queued", "answered"]].sum()

    results.append(("pandas read-all + groupby", timed(pandas_raw, 1)[0]))

    parquet = CACHE / f"contacts-{CONTACTS}.parquet"
    if not parquet.exists():
        export_parquet(path, parquet)
    query = (
        "SELECT province_code, month, count(*), sum(answered::INT), sum(queued::INT) "
        f"FROM read_parquet('{parquet}') WHERE day BETWEEN ? AND ? GROUP BY ALL"
    )

    def duck() -> None:
        duckdb.connect().execute(query, [window["start"], window["end"]]).fetchall()

    results.append(("DuckDB over raw rows (Parquet)", timed(duck, 3)[0]))
    return results


def export_parquet(path: Path, target: Path) -> None:
    """Write the raw contacts (with province) to Parquet once, for DuckDB."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    with cold_engine(path).connect() as connection:
        chunks = pd.read_sql(
            text(RAW_ROWS),
            connection,
            chunksize=1_000_000,
        )
        for chunk in chunks:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            writer = writer or pq.ParquetWriter(target, table.schema)
            writer.write_table(table)
    if writer:
        writer.close()


def bench_import() -> tuple[int, float]:
    """Import a canonical contacts file of IMPORT_ROWS rows into a fresh store: (rows, s)."""
    with tempfile.TemporaryDirectory() as folder:
        path = importing.write_contacts_csv(Path(folder) / "contacts.csv", IMPORT_ROWS)
        engine = get_engine(f"sqlite:///{Path(folder) / 'import.db'}")
        migrate.prepare(engine)
        return importing.measure(engine, path)


def main() -> int:
    """Run the benchmark and print its table."""
    path, build_seconds, built_now = build_store()
    print(f"\nAscolto benchmark: {CONTACTS:,} contacts, seed {SEED}, store {path.name}")
    print(
        f"  demo build: {build_seconds:7.1f} s {'(this run)' if built_now else '(cached)'}"
        "   budget ≤ 180 s"
    )
    print("\nPage data, cold cache (median of 5; budget ≤ 50 ms per page)")
    for name, median, fastest in bench_pages(path):
        verdict = "ok" if median <= 0.050 else "OVER"
        print(f"  {name:<28} {median * 1000:8.1f} ms  (min {fastest * 1000:.1f})  {verdict}")
    print("\nMonthly service level per province, last 12 months")
    baselines = bench_baselines(path)
    ours = baselines[0][1]
    for name, seconds in baselines:
        print(f"  {name:<34} {seconds * 1000:10.1f} ms   ×{seconds / ours:8.1f}")
    print("\nServer-side render, AppTest, warm process, cold cache (median of 5; budget ≤ 300 ms)")
    for url_path, seconds in render.render_times(path, ["overview", "trends"]).items():
        verdict = "ok" if seconds <= 0.300 else "OVER"
        print(f"  {url_path:<28} {seconds * 1000:8.1f} ms  {verdict}")
    megabytes, opened = memory.app_memory(path)
    print("\nApp process, peak resident memory (budget ≤ 400 MB)")
    if megabytes is None:
        print(f"  {opened}")
    else:
        verdict = "ok" if megabytes <= 400 else "OVER"
        print(f"  after {opened}: {megabytes:.0f} MB  {verdict}")
    rows, seconds = bench_import()
    print(
        f"\nImport: {rows:,} canonical contacts in {seconds:.1f} s = {rows / seconds:,.0f} rows/s"
        "   budget ≥ 100,000 rows/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
