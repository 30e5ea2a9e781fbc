"""make bench: every page at Hera scale, each figure beside a reference measured in the same run.

Builds (once, cached under bench/.cache) a SQLite store of 10M contacts and ~500k survey
responses, 2019-2025, then prints:
- the demo build time;
- per page, the time to read all its data through data_access on a cold cache: no cached
  results and a new SQLite connection with an empty page cache, in a warm process (imports,
  engine and compiled SQL kept, as in the running app); the OS file cache stays warm; and its
  ratio to DuckDB computing the page's whole data from the raw rows exported to Parquet;
- one page aggregate done the naive ways (SQLite over raw rows, pandas read-all, DuckDB);
- each page's server-side render (AppTest);
- what a person waits in Chromium on a warm server, against the framework's floor served and
  visited the same way (bench/browser.py);
- the app process's peak resident memory once its pages are open in Chromium;
- the audit's cost: one page record against a bare sqlite3 INSERT + commit of the same row, and
  its share of the overview's server-side render;
- import speed of a canonical contacts file, and its ratio to a bare executemany of its rows;
- the command line's raw contacts export to csv and parquet, for about a tenth of the store and
  for all of it: rows/s and the exporting process's peak memory (bench/exporting.py), beside a
  bare sqlite3-to-csv.writer loop of the same SELECT and pd.read_parquet of the file.
Absolute times move with the machine: the budgets are the ratios (and memory); the absolute
budgets of DESIGN.md are printed beside the times for information. The last line sums up.

Run: make bench. Development: BENCH_CONTACTS=N (a smaller store; the default 10M is the
benchmark) and BENCH_VISITS=N (Chromium visits per figure, default 5). One section alone, with
its references measured in the same run: `python -m bench data` (page data against DuckDB) or
`python -m bench chromium trends channels` (the floor, then those pages in Chromium; every
page when none is named).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Quiet logs, for this process and the apps it starts: no INFO or slow-query lines in the table.
os.environ["ASCOLTO_LOG_LEVEL"] = "WARNING"
os.environ["ASCOLTO_SLOW_QUERY_MS"] = "1000000"

import pandas as pd  # noqa: E402
import streamlit.logger  # noqa: E402
from sqlalchemy import text  # noqa: E402

streamlit.logger.set_log_level(logging.ERROR)  # before the pages' modules warn on import

from bench import auditing, browser, duck, exporting, importing, memory, pages, render  # noqa: E402
from data_access import migrate  # noqa: E402
from data_access.db import PROJECT_ROOT, get_engine  # noqa: E402
from data_access.filters import Filters  # noqa: E402
from data_access.progress import terminal_progress  # noqa: E402
from data_access.scope import Scope  # noqa: E402

CACHE = PROJECT_ROOT / "bench" / ".cache"
CONTACTS = int(os.environ.get("BENCH_CONTACTS", "10000000"))
SEED = 7
REPEATS = 5
VISITS = int(os.environ.get("BENCH_VISITS", "5"))
IMPORT_ROWS = 300_000
DATA_RATIO = 10.0  # a page's data at least this many times faster than DuckDB over raw rows
OPEN_RATIO = 1.5  # opening a page from a link: at most this many times the floor's
RERUN_RATIO = 2.0  # filter change, chart click, page switch: at most this × the floor's rerun
IMPORT_RATIO = 1 / 3  # import at least a third as fast as a bare executemany of its rows
MEMORY_MB = 400.0
EXPORT_MB = 300.0  # the exporting process's peak resident memory, whatever the row count
EXPORT_GROWTH = 1.25  # the whole store's export peak at most this × the tenth's: flat memory
AUDIT_RATIO = 3.0  # one audit write at most this × a bare sqlite3 INSERT + commit of its row
AUDIT_SHARE = 0.05  # and at most this share of the overview's server-side render
# tables a later revision adds to a cached store (migrate.prepare), holding no bench data: left
# out of the schema digest, so that they do not make the 10M store be built again
MIGRATED_INTO_CACHE = frozenset({"audit"})


def quiet_streamlit() -> None:
    """No Streamlit runtime warnings ("No runtime found", "missing ScriptRunContext") from
    AppTest and the page modules imported outside `streamlit run`."""
    streamlit.logger.set_log_level(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    for name in ("data_access", "ui", "pages"):
        logging.getLogger(name).setLevel(logging.WARNING)


@dataclass(frozen=True)
class Check:
    """A figure against its budget: within when value ≤ limit (or ≥ limit when at_least)."""

    name: str
    value: float
    limit: float
    shown: str  # the figure as the summary names it ("52 ms", "×1.7 of the floor")
    at_least: bool = False

    @property
    def within(self) -> bool:
        """True when the figure meets its budget."""
        return self.value >= self.limit if self.at_least else self.value <= self.limit

    @property
    def verdict(self) -> str:
        """ "ok" or "OVER"."""
        return "ok" if self.within else "OVER"


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
        f"{t.name}.{c.name}:{c.type}"
        for t in SQLModel.metadata.tables.values()
        if t.name not in MIGRATED_INTO_CACHE
        for c in t.c
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


def bench_baselines(path: Path, contacts_parquet: Path) -> list[tuple[str, float]]:
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
            raw = pd.read_sql(text(RAW_ROWS), connection)
        raw = raw[(raw["day"] >= window["start"]) & (raw["day"] <= window["end"])]
        raw.groupby(["province_code", "month"])[["queued", "answered"]].sum()

    results.append(("pandas read-all + groupby", timed(pandas_raw, 1)[0]))
    query = (
        "SELECT province_code, month, count(*), sum(answered::INT), sum(queued::INT) "
        f"FROM read_parquet('{contacts_parquet}') WHERE day BETWEEN ? AND ? GROUP BY ALL"
    )

    def duck_raw() -> None:
        duckdb.connect().execute(query, [window["start"], window["end"]]).fetchall()

    results.append(("DuckDB over raw rows (Parquet)", timed(duck_raw, 3)[0]))
    return results


def bench_duckdb(
    path: Path, parquets: dict[str, Path]
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """DuckDB's time for each page's whole data from the raw rows (median of REPEATS), and per
    page checked the figures where its numbers differ from ours (none, when it computes the
    same): the overview's tiles, and what the channels and contact-centre recipes read."""
    from data_access import queries
    from pages import overview

    engine = cold_engine(path)
    period, before, latest = duck.period_of(engine)
    found = duck.page_queries(parquets, period, before, latest)
    times = {name: timed(compute)[0] for name, compute in found.items()}
    scope = Scope.all_provinces("bench")
    board = queries.kpi_board(engine=engine, filters=Filters(), scope=scope, kpis=overview.TILES)
    ours = {code: value.value for code, value in board.values.items()}
    differ = {"overview": duck.check(found["overview"](), ours)}
    names = duck.provinces(engine)
    for page, recipe in (("channels", pages.channels_data), ("contact centre", pages.centre_data)):
        read = recipe(engine, Filters(), scope)
        differ[page] = duck.check_page(page, found[page](), read, names)
    return times, differ


def bench_import() -> tuple[int, float, float]:
    """Import a canonical contacts file of IMPORT_ROWS rows into a fresh store; then the same
    rows by a bare executemany into another fresh store: (rows, import s, executemany s)."""
    with tempfile.TemporaryDirectory() as folder:
        path = importing.write_contacts_csv(Path(folder) / "contacts.csv", IMPORT_ROWS)
        engine = get_engine(f"sqlite:///{Path(folder) / 'import.db'}")
        migrate.prepare(engine)
        rows, seconds = importing.measure(engine, path)
        bare = get_engine(f"sqlite:///{Path(folder) / 'bare.db'}")
        migrate.prepare(bare)
        _, bare_seconds = importing.bare_executemany(engine, bare)
        engine.dispose()
        bare.dispose()
        return rows, seconds, bare_seconds


def live_pages() -> tuple[list[str], list[str]]:
    """(pages that exist, pages still 'in preparation'), by URL path in menu order."""
    from ui.page_list import PAGES

    paths = [item.url_path for item in PAGES]
    return [p for p in paths if not browser.placeholder(p)], [
        p for p in paths if browser.placeholder(p)
    ]


ACTIONS = (
    ("open", "(a) open from a link"),
    ("filter", "(b) add a province"),
    ("click", "(b) click the chart"),
    ("switch", "(c) switch from the menu"),
)


def chromium_section(
    path: Path, live: list[str], checks: list[Check], only: set[str] | None = None
) -> None:
    """What a person waits in Chromium, each page (or those in only) against the floor
    (printed; checks added)."""
    print(
        f"\nWhat a person waits in Chromium, warm server (median of {VISITS} visits; budget "
        f"(a) ≤ ×{OPEN_RATIO:g} the floor's open, (b) and (c) ≤ ×{RERUN_RATIO:g} its rerun)"
    )
    if not browser.CHROMIUM.exists():
        print(f"  skipped: {browser.CHROMIUM} is missing (apt-get install chromium)")
        return
    references = browser.reference_times(VISITS)
    floor = references["floor"]
    assert floor.filter is not None  # the floor has every action
    rerun = floor.filter.median
    print(
        f"  floor (one plotly chart, one st.dataframe): open {floor.open.median:.2f} s, "
        f"rerun on a filter change {rerun:.2f} s, on a chart click "
        f"{_seconds(floor.click)}, switch to it from a one-line page {_seconds(floor.switch)}"
    )
    print(f"  one-line page: open {references['one line'].open.median:.2f} s")
    for url_path, times in browser.page_times(path, live, VISITS, only).items():
        print(f"  /{url_path}")
        for field, label in ACTIONS:
            measured = getattr(times, field)
            if measured is None or measured.skipped:
                print(f"    {label:<26} skipped: {measured.skipped if measured else 'n/a'}")
                continue
            opening = field == "open"
            base, limit = (floor.open.median, OPEN_RATIO) if opening else (rerun, RERUN_RATIO)
            base_name = "open" if opening else "rerun"
            ratio = measured.median / base
            check = Check(
                f"/{url_path} {label[4:]}",
                ratio,
                limit,
                f"{measured.median:.2f} s = ×{ratio:.2f} the floor's {base_name}"
                f" (budget ×{limit:g})",
            )
            checks.append(check)
            starts = measured.first_run
            began = "" if starts is None else f", script starts at {starts:.2f} s"
            print(
                f"    {label:<26} {measured.median:6.2f} s  ×{ratio:5.2f}  {check.verdict:<4}"
                f"  ({measured.runs:g} script run{'s' if measured.runs != 1 else ''}, "
                f"{measured.received_kb:,.0f} KB{began})"
            )
        drawn, held = times.open.counts, times.open.profile
        print(
            f"    drawn: {drawn['plotly']} plotly charts ({held['traces']:g} traces, "
            f"{held['points']:g} points, GeoJSON {held['geojson_kb']:,.0f} KB), "
            f"{drawn['dataframes']} tables, {drawn['sparklines']} sparklines"
        )


def export_section(path: Path, checks: list[Check]) -> None:
    """The raw contacts export at two row counts, each format in its own process (printed;
    checks added), and its references."""
    runs = exporting.export_runs(cold_engine(path), path, CACHE)
    print(
        "\nRaw contacts export (python -m data_access export contacts --from D --to D --format F"
        f" -o FILE --as {exporting.PERSON}: every province), each run in its own process, timed"
        f" start to exit; budget: peak resident memory ≤ {EXPORT_MB:.0f} MB, and flat (the"
        f" larger export's peak ≤ ×{EXPORT_GROWTH:g} the smaller's)"
    )
    print(f"  {'period':<36} {'rows':>11}  {'format':<8} {'time':>8} {'rows/s':>10} {'peak':>7}")
    for run in runs:
        period = f"{run.label} {run.period.start} – {run.period.end}"
        for fmt, measured in run.exports.items():
            check = Check(
                f"{fmt} export memory, {measured.rows:,} rows",
                measured.peak_mb,
                EXPORT_MB,
                f"{measured.peak_mb:.0f} MB (budget {EXPORT_MB:.0f})",
            )
            checks.append(check)
            print(
                f"  {period:<36} {measured.rows:>11,}  {fmt:<8} {measured.seconds:6.2f} s"
                f" {measured.rate:>10,.0f} {measured.peak_mb:4.0f} MB  {check.verdict:<4}"
                f"  file {measured.size / 1e6:,.1f} MB"
            )
            period = ""
            if measured.rows != run.rows:
                print(f"    the store holds {run.rows:,} contacts in that period")
    small, large = runs
    growths = []
    for fmt in exporting.FORMATS:
        before, after = small.exports[fmt], large.exports[fmt]
        ratio = after.peak_mb / before.peak_mb
        check = Check(
            f"{fmt} export memory growth",
            ratio,
            EXPORT_GROWTH,
            f"×{ratio:.2f} from {before.rows:,} to {after.rows:,} rows (budget ×{EXPORT_GROWTH:g})",
        )
        checks.append(check)
        growths.append(
            f"{fmt} {after.peak_mb:.0f} / {before.peak_mb:.0f} MB = ×{ratio:.2f} {check.verdict}"
        )
    times = large.rows / small.rows
    print(
        f"  flat with the row count (×{times:.1f} the rows): {'; '.join(growths)}"
        f"  (budget ≤ ×{EXPORT_GROWTH:g})"
    )
    print("  references, each in its own process, for information:")
    bare = [
        f"{run.bare_csv.rows:,} rows {run.bare_csv.seconds:.2f} s = {run.bare_csv.rate:,.0f}"
        f" rows/s, {run.bare_csv.peak_mb:.0f} MB (the export ×"
        f"{run.exports['csv'].seconds / run.bare_csv.seconds:.1f} its time)"
        for run in runs
    ]
    print(f"    bare sqlite3 cursor to csv.writer, the export's SELECT: {'; '.join(bare)}")
    read = [
        f"{run.read_parquet.rows:,} rows {run.read_parquet.seconds:.2f} s ="
        f" {run.read_parquet.rate:,.0f} rows/s, {run.read_parquet.peak_mb:.0f} MB"
        for run in runs
    ]
    print(f"    pd.read_parquet(FILE), the read itself: {'; '.join(read)}")


def audit_section(path: Path, overview_render: float | None, checks: list[Check]) -> None:
    """One audit write against a bare insert and against the overview's render (printed;
    checks added)."""
    seconds, bare = auditing.audit_times(path)
    ratio = seconds / bare
    check = Check(
        "audit write",
        ratio,
        AUDIT_RATIO,
        f"{seconds * 1e6:.0f} µs = ×{ratio:.2f} a bare INSERT + commit (budget ×{AUDIT_RATIO:g})",
    )
    checks.append(check)
    print(
        f"\nAudit: one page record (data_access.audit.record_page, its own committed transaction;"
        f" median of {auditing.WRITES}) {seconds * 1e6:.0f} µs; a bare sqlite3 INSERT + commit of"
        f" the same row {bare * 1e6:.0f} µs; ×{ratio:.2f}  budget ≤ ×{AUDIT_RATIO:g}"
        f"  {check.verdict}"
    )
    if overview_render is None:
        print("  the overview's render was not measured: no share of it")
        return
    share = seconds / overview_render
    check = Check(
        "audit share of the overview's render",
        share,
        AUDIT_SHARE,
        f"{share:.2%} of {overview_render * 1000:.0f} ms (budget {AUDIT_SHARE:.0%})",
    )
    checks.append(check)
    print(
        f"  {share:.3%} of the overview's server-side render ({overview_render * 1000:.0f} ms);"
        f" budget ≤ {AUDIT_SHARE:.0%}  {check.verdict}"
    )


def _seconds(measured: browser.Measured | None) -> str:
    return "-" if measured is None or measured.skipped else f"{measured.median:.2f} s"


def main(arguments: list[str] | None = None) -> int:
    """Run the benchmark (or one section: module docstring), print its table and a summary
    line; 0 when every budget holds."""
    section, *named = arguments if arguments else ["all"]
    if section not in ("all", "data", "chromium"):
        raise SystemExit(f"unknown section {section!r}: data or chromium (or none: everything)")
    quiet_streamlit()
    checks: list[Check] = []
    path, build_seconds, built_now = build_store()
    live, soon = live_pages()
    print(f"\nAscolto benchmark: {CONTACTS:,} contacts, seed {SEED}, store {path.name}")
    print(
        f"  demo build: {build_seconds:7.1f} s {'(this run)' if built_now else '(cached)'}"
        "   DESIGN.md ≤ 180 s"
    )
    if soon:
        print(f"  in preparation, not measured: {', '.join('/' + p for p in soon)}")
    if section == "chromium":
        chromium_section(path, live, checks, only=set(named) if named else None)
        print(summary(checks))
        return 0 if all(c.within for c in checks) else 1
    contact_parquet = data_section(path, checks)
    if section == "data":
        print(summary(checks))
        return 0 if all(c.within for c in checks) else 1
    rest(path, live, checks, contact_parquet)
    print(summary(checks))
    return 0 if all(c.within for c in checks) else 1


def data_section(path: Path, checks: list[Check]) -> Path:
    """Each page's data against DuckDB's (printed; checks added); the raw contacts' Parquet."""
    parquets = duck.export(cold_engine(path), CACHE, path.stem)
    duck_times, differ = bench_duckdb(path, parquets)
    print(
        f"\nPage data, cold cache (median of {REPEATS}; budget ≥ ×{DATA_RATIO:g} faster than "
        "DuckDB computing the page's whole data from the raw rows; DESIGN.md ≤ 50 ms)"
    )
    for name, median, fastest in bench_pages(path):
        line = f"  {name:<28} {median * 1000:8.1f} ms  (min {fastest * 1000:.1f})"
        if name in duck_times:
            ratio = duck_times[name] / median
            check = Check(
                f"{name} page data",
                ratio,
                DATA_RATIO,
                f"{median * 1000:.0f} ms = ×{ratio:.1f} faster than DuckDB"
                f" (budget ×{DATA_RATIO:g})",
                at_least=True,
            )
            checks.append(check)
            line += f"  DuckDB {duck_times[name] * 1000:7.1f} ms  ×{ratio:6.1f}  {check.verdict}"
        print(line)
    for page, lines in differ.items():
        if lines:
            print(f"  DuckDB's {page} differs from ours: {'; '.join(lines)}")
    if equal := [page for page, lines in differ.items() if not lines]:
        print(f"  (DuckDB's figures equal ours over the period: {', '.join(equal)})")
    return parquets["contact"]


def rest(path: Path, live: list[str], checks: list[Check], parquet: Path) -> None:
    """Everything after the page data (parquet: the raw contacts): the naive aggregates,
    render, Chromium, memory, import and export (printed; checks added)."""
    print("\nMonthly service level per province, last 12 months (one aggregate, for information)")
    baselines = bench_baselines(path, parquet)
    ours = baselines[0][1]
    for name, seconds in baselines:
        print(f"  {name:<34} {seconds * 1000:10.1f} ms   ×{seconds / ours:8.1f}")
    print(
        "\nServer-side render, AppTest, warm process, cold cache (median of 5; DESIGN.md ≤ 300 ms)"
    )
    rendered = render.render_times(path, live)
    for url_path, seconds in rendered.items():
        print(f"  {url_path:<28} {seconds * 1000:8.1f} ms")
    audit_section(path, rendered.get("overview"), checks)
    chromium_section(path, live, checks)
    megabytes, opened = memory.app_memory(path)
    print(f"\nApp process, peak resident memory (budget ≤ {MEMORY_MB:.0f} MB)")
    if megabytes is None:
        print(f"  {opened}")
    else:
        check = Check(
            "app memory", megabytes, MEMORY_MB, f"{megabytes:.0f} MB (budget {MEMORY_MB:.0f})"
        )
        checks.append(check)
        print(f"  after {opened}: {megabytes:.0f} MB  {check.verdict}")
    rows, seconds, bare_seconds = bench_import()
    ratio = bare_seconds / seconds
    check = Check(
        "import",
        ratio,
        IMPORT_RATIO,
        f"{rows / seconds:,.0f} rows/s = ×{ratio:.2f} a bare executemany"
        f" (budget ×{IMPORT_RATIO:.2f})",
        at_least=True,
    )
    checks.append(check)
    print(
        f"\nImport: {rows:,} canonical contacts in {seconds:.1f} s = {rows / seconds:,.0f} rows/s;"
        f" bare executemany of the same rows {rows / bare_seconds:,.0f} rows/s;"
        f" ×{ratio:.2f}  budget ≥ ×{IMPORT_RATIO:.2f}  {check.verdict}"
        "  (DESIGN.md ≥ 100,000 rows/s)"
    )
    export_section(path, checks)


def summary(checks: list[Check]) -> str:
    """One line: how many figures are within budget, and which are over by how much."""
    over = [c for c in checks if not c.within]
    line = f"\nbench: {len(checks) - len(over)} of {len(checks)} within budget"
    if over:
        line += "; over: " + "; ".join(f"{c.name} {c.shown}" for c in over)
    return line


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
