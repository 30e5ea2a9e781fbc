"""Each page's whole data computed by DuckDB from the raw rows (exported once to Parquet): the
reference the page data's time is a ratio to.

The overview: its twelve tiles over the period and the comparison period, per month (sparklines)
and per province now and before (what changed, ranking), with the store's data window. Trends:
the service level per month and province now and in the comparison period, and per province.
check() compares DuckDB's whole-period figures with ours, so the reference computes the same
numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access.filters import Filters
from data_access.periods import Period

# The raw tables, with each row's province (area -> province), as exported to Parquet.
EXPORTS = {
    "contact": (
        "SELECT c.day, c.month, a.province_code, ch.kind AS channel_kind, c.queued, c.answered, "
        "c.abandoned, c.wait_seconds, c.is_complaint, c.reply_days "
        "FROM contact c JOIN area a ON a.code = c.area_code "
        "JOIN channel ch ON ch.code = c.channel_code"
    ),
    "survey": (
        "SELECT s.day, s.month, a.province_code, s.csi, s.recommendation "
        "FROM survey_response s JOIN area a ON a.code = s.area_code"
    ),
    "adoption": (
        "SELECT d.month, a.province_code, d.channel_code, d.users, d.registered "
        "FROM channel_adoption d JOIN area a ON a.code = d.area_code"
    ),
    "customers": (
        "SELECT b.month, a.province_code, b.customers "
        "FROM customer_base b JOIN area a ON a.code = b.area_code"
    ),
    "association": (
        "SELECT x.opened_on, x.month, a.province_code, x.reply_days "
        "FROM association_case x JOIN area a ON a.code = x.area_code"
    ),
}
SHAPES = "GROUPING SETS ((p), (p, month), (p, province_code))"

CONTACTS = """
WITH rows AS (
  SELECT CASE WHEN day >= $start THEN 0 ELSE 1 END AS p, * FROM read_parquet('{contact}')
  WHERE day BETWEEN $start AND $end OR day BETWEEN $before_start AND $before_end)
SELECT p, month, province_code,
  count(*) AS contacts,
  100.0 * sum(answered::INT) / nullif(sum(queued::INT), 0) AS service_level,
  sum(CASE WHEN answered THEN wait_seconds END) / nullif(sum(answered::INT), 0) AS average_wait,
  100.0 * sum(abandoned::INT) / nullif(sum(queued::INT), 0) AS abandonment_rate,
  100.0 * count(CASE WHEN channel_kind = 'digital' THEN 1 END) / count(*) AS digital_share,
  sum(CASE WHEN is_complaint THEN reply_days END)
    / nullif(count(CASE WHEN is_complaint THEN reply_days END), 0) AS complaint_reply_days,
  100.0 * count(CASE WHEN is_complaint AND reply_days <= 30 AND day <= $open THEN 1 END)
    / nullif(count(CASE WHEN is_complaint AND day <= $open THEN 1 END), 0) AS complaint_reply_30d,
  count(CASE WHEN is_complaint AND day > $open AND reply_days IS NULL THEN 1 END) AS pending
FROM rows GROUP BY {shapes}
"""

SURVEYS = """
WITH rows AS (
  SELECT CASE WHEN day >= $start THEN 0 ELSE 1 END AS p, * FROM read_parquet('{survey}')
  WHERE day BETWEEN $start AND $end OR day BETWEEN $before_start AND $before_end),
sums AS (
  SELECT p, month, province_code, count(csi) AS n, sum(csi) AS s, sum(csi * csi) AS ss,
    count(recommendation) AS nps_n,
    count(CASE WHEN recommendation >= 9 THEN 1 END) AS promoters,
    count(CASE WHEN recommendation <= 6 THEN 1 END) AS detractors
  FROM rows GROUP BY {shapes})
SELECT p, month, province_code, n AS csi_n,
  CASE WHEN n >= 30 THEN s / n END AS csi,
  1.96 * sqrt((ss - s * s / n) / nullif(n - 1, 0) / n) AS csi_half_width,
  CASE WHEN nps_n >= 30 THEN 100.0 * (promoters - detractors) / nps_n END AS nps
FROM sums
"""

ADOPTION = """
WITH months AS (
  SELECT CASE WHEN month >= $start_month THEN 0 ELSE 1 END AS p, *
  FROM read_parquet('{adoption}')
  WHERE channel_code IN ('web', 'branch')
    AND (month BETWEEN $start_month AND $end OR month BETWEEN $before_month AND $before_end)),
adopters AS (
  SELECT p, month, province_code, channel_code, sum(coalesce(registered, users)) AS adopters
  FROM months GROUP BY GROUPING SETS ((p, month, channel_code),
                                      (p, month, province_code, channel_code))),
customers AS (
  SELECT month, province_code, sum(customers) AS customers FROM read_parquet('{customers}')
  GROUP BY GROUPING SETS ((month), (month, province_code))),
ratios AS (
  SELECT a.p, a.month, a.province_code, a.channel_code, 100.0 * a.adopters / c.customers AS value
  FROM adopters a JOIN customers c ON c.month = a.month
   AND c.province_code IS NOT DISTINCT FROM a.province_code)
SELECT p, NULL AS month, NULL AS province_code, channel_code, value FROM ratios
  WHERE province_code IS NULL QUALIFY row_number() OVER (PARTITION BY p, channel_code
                                                         ORDER BY month DESC) = 1
UNION ALL SELECT p, month, NULL, channel_code, value FROM ratios WHERE province_code IS NULL
UNION ALL SELECT p, NULL, province_code, channel_code, value FROM ratios
  WHERE province_code IS NOT NULL QUALIFY row_number() OVER (
    PARTITION BY p, province_code, channel_code ORDER BY month DESC) = 1
"""

ASSOCIATIONS = """
WITH rows AS (
  SELECT CASE WHEN opened_on >= $start THEN 0 ELSE 1 END AS p, *
  FROM read_parquet('{association}')
  WHERE opened_on BETWEEN $start AND $end OR opened_on BETWEEN $before_start AND $before_end)
SELECT p, month, province_code, count(*) AS cases, avg(reply_days) AS association_reply_days
FROM rows GROUP BY {shapes}
"""

WINDOW = "SELECT min(day), max(day) FROM read_parquet('{contact}')"

TRENDS = """
WITH rows AS (
  SELECT CASE WHEN day >= $start THEN 0 ELSE 1 END AS p, * FROM read_parquet('{contact}')
  WHERE day BETWEEN $start AND $end OR day BETWEEN $before_start AND $before_end)
SELECT p, month, province_code,
  100.0 * sum(answered::INT) / nullif(sum(queued::INT), 0) AS service_level
FROM rows GROUP BY GROUPING SETS ((p, month, province_code), (p, province_code))
"""


def export(engine: Engine, folder: Path, stem: str) -> dict[str, Path]:
    """Each raw table (with its rows' province) as folder/<stem>-<table>.parquet, written once."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = {name: folder / f"{stem}-{name}.parquet" for name in EXPORTS}
    for name, query in EXPORTS.items():
        if paths[name].exists():
            continue
        partial = paths[name].with_suffix(".partial")
        writer = None
        with engine.connect() as connection:
            for chunk in pd.read_sql(text(query), connection, chunksize=1_000_000):
                table = pa.Table.from_pandas(chunk, preserve_index=False)
                writer = writer or pq.ParquetWriter(partial, table.schema)
                writer.write_table(table)
        if writer:
            writer.close()
            partial.rename(paths[name])
    return paths


def _parameters(period: Period, before: Period, latest: date) -> dict[str, str]:
    """The SQL's $parameters, as ISO text (SQLite's dates reach Parquet as text)."""
    from datetime import timedelta

    days = {
        "start": period.start,
        "end": period.end,
        "before_start": before.start,
        "before_end": before.end,
        "start_month": period.start.replace(day=1),
        "before_month": before.start.replace(day=1),
        "open": latest - timedelta(days=30),  # complaints after this are inside their 30 days
    }
    return {name: day.isoformat() for name, day in days.items()}


def _run(paths: dict[str, Path], sql: str, parameters: dict[str, str]) -> pd.DataFrame:
    query = sql.format(shapes=SHAPES, **{name: str(path) for name, path in paths.items()})
    names = {name for name in parameters if re.search(rf"\${name}\b", query)}
    connection = duckdb.connect()
    try:
        return connection.execute(query, {n: parameters[n] for n in names}).df()
    finally:
        connection.close()


def page_queries(
    paths: dict[str, Path], period: Period, before: Period, latest: date
) -> dict[str, Callable[[], dict[str, pd.DataFrame]]]:
    """Per page: a function computing its whole data in DuckDB (a new connection each time)."""
    parameters = _parameters(period, before, latest)

    def window() -> pd.DataFrame:
        return _run(paths, WINDOW, parameters)

    def overview() -> dict[str, pd.DataFrame]:
        window()
        return {
            "contact": _run(paths, CONTACTS, parameters),
            "survey": _run(paths, SURVEYS, parameters),
            "adoption": _run(paths, ADOPTION, parameters),
            "association": _run(paths, ASSOCIATIONS, parameters),
        }

    def trends() -> dict[str, pd.DataFrame]:
        window()
        return {"contact": _run(paths, TRENDS, parameters)}

    return {"overview": overview, "trends": trends}


WHOLE = {  # family -> KPIs whose whole-period value DuckDB's must equal ours
    "contact": (
        "contacts",
        "service_level",
        "average_wait",
        "abandonment_rate",
        "digital_share",
        "complaint_reply_days",
    ),  # fmt: skip
    "survey": ("csi", "nps"),
}
ADOPTION_CHANNEL = {"online_adoption": "web", "branch_usage": "branch"}


def check(found: dict[str, pd.DataFrame], ours: dict[str, float]) -> list[str]:
    """The KPIs whose whole-period value differs between DuckDB's overview and ours (beyond
    1e-6 relative); NaN equals NaN."""
    differ: list[str] = []
    for family, kpis in WHOLE.items():
        frame = found[family]
        whole = frame[(frame["p"] == 0) & frame["month"].isna() & frame["province_code"].isna()]
        for kpi in kpis:
            _compare(kpi, float(whole[kpi].iloc[0]), ours.get(kpi, math.nan), differ)
    adoption = found["adoption"]
    for kpi, channel in ADOPTION_CHANNEL.items():
        row = adoption[
            (adoption["p"] == 0)
            & adoption["month"].isna()
            & adoption["province_code"].isna()
            & (adoption["channel_code"] == channel)
        ]
        value = float(row["value"].iloc[0]) if len(row) else math.nan
        _compare(kpi, value, ours.get(kpi, math.nan), differ)
    return differ


def _compare(kpi: str, theirs: float, mine: float, differ: list[str]) -> None:
    if math.isnan(theirs) and math.isnan(mine):
        return
    if not math.isclose(theirs, mine, rel_tol=1e-6):
        differ.append(f"{kpi} {theirs:.6g} ≠ {mine:.6g}")


def period_of(engine: Engine) -> tuple[Period, Period, date]:
    """The default view's period, its comparison period and the latest data day."""
    from data_access import queries

    latest = queries.latest_day(engine)
    if latest is None:
        raise RuntimeError("the bench store holds no data")
    filters = Filters()
    period = filters.resolve(latest)
    before = filters.comparison(period) if period else None
    if period is None or before is None:
        raise RuntimeError("the default view has no period or comparison period")
    return period, before, latest
