"""Each page's whole data computed by DuckDB from the raw rows (exported once to Parquet): the
reference the page data's time is a ratio to.

The overview: its twelve tiles over the period and the comparison period, per month (sparklines)
and per province now and before (what changed, ranking), with the store's data window. Trends:
the service level per month and province now and in the comparison period, and per province.
Channels: online area and branch adoption per month and province and at each province's latest
month, the month each province first reached the online mark, every channel's adoption per
month, contacts per month and channel with their shares, contacts, CSI and NPS per channel now
and before, digital share per province and segment, contacts per 1,000 customers per channel.
Contact centre: LS per month and province against the standard in force (targets), months met
and the water rule's months, 80/20, AHT and FCR over the period, per month and per province now
and before, calls per month, wait bands per month and per province, contacts and answer rate by
weekday × hour, contacts per month and topic, and per topic FCR, complaint share and change.
check() and check_page() compare DuckDB's figures with ours, so the reference computes the same
numbers.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access.filters import Filters
from data_access.periods import Period
from data_access.stats import MIN_RESPONSES, Z95

# The raw tables, with each row's province (area -> province), as exported to Parquet.
EXPORTS = {
    "contact": (
        "SELECT c.day, c.month, c.occurred_at, a.province_code, c.channel_code, "
        "ch.kind AS channel_kind, c.segment_code, c.topic_code, c.queued, c.answered, "
        "c.abandoned, c.wait_seconds, c.handling_seconds, c.resolved_first_contact, "
        "c.is_complaint, c.reply_days "
        "FROM contact c JOIN area a ON a.code = c.area_code "
        "JOIN channel ch ON ch.code = c.channel_code"
    ),
    "survey": (
        "SELECT s.day, s.month, a.province_code, s.channel_code, s.csi, s.recommendation "
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
    "target": (
        "SELECT t.id, t.kpi, t.province_code, t.threshold, t.direction, t.source, t.valid_from "
        "FROM kpi_target t"
    ),
}
TIMESTAMPS = ("occurred_at",)  # text in SQLite: exported as timestamps, as the column is
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

WINDOW = """
SELECT min(first) AS first, max(last) AS last FROM (
  SELECT min(day) AS first, max(day) AS last FROM read_parquet('{contact}')
  UNION ALL SELECT min(day), max(day) FROM read_parquet('{survey}'))
"""

TRENDS = """
WITH rows AS (
  SELECT CASE WHEN day >= $start THEN 0 ELSE 1 END AS p, * FROM read_parquet('{contact}')
  WHERE day BETWEEN $start AND $end OR day BETWEEN $before_start AND $before_end)
SELECT p, month, province_code,
  100.0 * sum(answered::INT) / nullif(sum(queued::INT), 0) AS service_level
FROM rows GROUP BY GROUPING SETS ((p, month, province_code), (p, province_code))
"""

# --- channels -------------------------------------------------------------------------------------

# contacts per channel now and before, per month and channel with their share of the month,
# per province and segment with the digital share; per 1,000 customers: over the mean monthly
# customer base of the period
CHANNEL_CONTACTS = """
WITH rows AS (
  SELECT CASE WHEN day >= $start THEN 0 ELSE 1 END AS p, month, province_code, segment_code,
    channel_code, channel_kind
  FROM read_parquet('{contact}')
  WHERE day BETWEEN $start AND $end OR day BETWEEN $before_start AND $before_end),
base AS (
  SELECT avg(customers) AS customers FROM (
    SELECT month, sum(customers) AS customers FROM read_parquet('{customers}')
    WHERE month BETWEEN $start_month AND $end GROUP BY month)),
sums AS (
  SELECT grouping(month, province_code, segment_code, channel_code) AS shape, p, month,
    province_code, segment_code, channel_code, count(*) AS contacts,
    count(CASE WHEN channel_kind = 'digital' THEN 1 END) AS digital
  FROM rows GROUP BY GROUPING SETS ((p, channel_code), (p, month, channel_code),
                                    (p, province_code, segment_code)))
SELECT p, month, province_code, segment_code, channel_code, contacts,
  100.0 * contacts / sum(contacts) OVER (PARTITION BY shape, p, month) AS share,
  100.0 * digital / contacts AS digital_share,
  1000.0 * contacts / base.customers AS contacts_per_1000
FROM sums, base
"""

# CSI and NPS per channel now and before, with n and the 95% interval; small cells suppressed
CHANNEL_SURVEYS = f"""
WITH rows AS (
  SELECT CASE WHEN day >= $start THEN 0 ELSE 1 END AS p, channel_code, csi, recommendation
  FROM read_parquet('{{survey}}')
  WHERE day BETWEEN $start AND $end OR day BETWEEN $before_start AND $before_end),
sums AS (
  SELECT p, channel_code, count(csi) AS n, sum(csi) AS s, sum(csi * csi) AS ss,
    count(recommendation) AS nps_n,
    count(CASE WHEN recommendation >= 9 THEN 1 END) / count(recommendation) AS pp,
    count(CASE WHEN recommendation <= 6 THEN 1 END) / count(recommendation) AS pd
  FROM rows GROUP BY p, channel_code),
estimates AS (
  SELECT *, s / n AS mean,
    sqrt(greatest((ss - s * s / n) / nullif(n - 1, 0), 0) / n) AS csi_se,
    100.0 * (pp - pd) AS score,
    100.0 * sqrt(greatest(pp + pd - (pp - pd) * (pp - pd), 0) / nps_n) AS nps_se
  FROM sums)
SELECT p, channel_code, n AS csi_n,
  CASE WHEN n >= {MIN_RESPONSES} THEN mean END AS csi,
  CASE WHEN n >= {MIN_RESPONSES} THEN mean - {Z95} * csi_se END AS csi_low,
  CASE WHEN n >= {MIN_RESPONSES} THEN mean + {Z95} * csi_se END AS csi_high,
  nps_n,
  CASE WHEN nps_n >= {MIN_RESPONSES} THEN score END AS nps,
  CASE WHEN nps_n >= {MIN_RESPONSES} THEN score - {Z95} * nps_se END AS nps_low,
  CASE WHEN nps_n >= {MIN_RESPONSES} THEN score + {Z95} * nps_se END AS nps_high
FROM estimates
"""

# adoption (adopters ÷ customers of the same month and province × 100): the online area and
# branches per month and province and at each province's latest month of the period, every
# channel per month, and per province the month the online area first read at or above its
# reference (the target in force at the period's end) over the store's data window ($first_month
# to $last, from the window the page reads first)
CHANNEL_ADOPTION = """
WITH adopters AS (
  SELECT month, province_code, channel_code, sum(coalesce(registered, users)) AS adopters
  FROM read_parquet('{adoption}')
  GROUP BY GROUPING SETS ((month, province_code, channel_code), (month, channel_code))),
customers AS (
  SELECT month, province_code, sum(customers) AS customers FROM read_parquet('{customers}')
  GROUP BY GROUPING SETS ((month, province_code), (month))),
ratios AS (
  SELECT a.month, a.province_code, a.channel_code, 100.0 * a.adopters / c.customers AS value,
    c.customers AS n
  FROM adopters a JOIN customers c ON c.month = a.month
   AND c.province_code IS NOT DISTINCT FROM a.province_code),
marks AS (
  SELECT * FROM ratios
  WHERE province_code IS NOT NULL AND channel_code IN ('web', 'branch')
    AND month BETWEEN $start_month AND $end),
reference AS (
  SELECT threshold FROM read_parquet('{target}')
  WHERE kpi = 'online_adoption' AND province_code IS NULL AND valid_from <= $end
  ORDER BY valid_from DESC, id DESC LIMIT 1),
online AS (
  SELECT r.month, r.province_code, r.value, round(r.value, 1) >= round(f.threshold, 1) AS reached
  FROM ratios r, reference f
  WHERE r.channel_code = 'web' AND r.province_code IS NOT NULL
    AND r.month BETWEEN $first_month AND $last)
SELECT 'series' AS part, month, province_code, channel_code, value, n, NULL AS first_month,
  NULL AS latest FROM marks
UNION ALL SELECT 'latest', month, province_code, channel_code, value, n, NULL, NULL FROM marks
  QUALIFY row_number() OVER (PARTITION BY province_code, channel_code ORDER BY month DESC) = 1
UNION ALL SELECT 'channels', month, NULL, channel_code, value, n, NULL, NULL FROM ratios
  WHERE province_code IS NULL AND month BETWEEN $start_month AND $end
UNION ALL SELECT 'reaching', min(month) FILTER (WHERE reached), province_code, 'web',
  arg_min(value, month) FILTER (WHERE reached), NULL, min(month), arg_max(value, month)
  FROM online GROUP BY province_code
"""

# --- contact centre -------------------------------------------------------------------------------

# the contact measures of the page, now and before: whole, per month, per province, per month and
# province (the grid), per topic and per month and topic
CENTRE_SUMS = """
CREATE TEMP TABLE sums AS
WITH rows AS (
  SELECT CASE WHEN day >= $start THEN 0 ELSE 1 END AS p, * FROM read_parquet('{contact}')
  WHERE day BETWEEN $start AND $end OR day BETWEEN $before_start AND $before_end)
SELECT p, month, province_code, topic_code, count(*) AS contacts,
  sum(queued::INT) AS offered, sum(answered::INT) AS answered, sum(abandoned::INT) AS abandoned,
  count(CASE WHEN answered AND wait_seconds IS NOT NULL THEN 1 END) AS banded,
  count(CASE WHEN answered AND wait_seconds <= 20 THEN 1 END) AS answered_20s,
  count(CASE WHEN answered AND wait_seconds <= 60 THEN 1 END) AS answered_60s,
  count(CASE WHEN answered AND wait_seconds <= 120 THEN 1 END) AS answered_120s,
  count(CASE WHEN answered AND wait_seconds <= 180 THEN 1 END) AS answered_180s,
  count(CASE WHEN answered AND wait_seconds <= 240 THEN 1 END) AS answered_240s,
  sum(handling_seconds) AS handling_seconds, count(handling_seconds) AS handled,
  count(resolved_first_contact) AS fcr_known,
  count(CASE WHEN resolved_first_contact THEN 1 END) AS fcr_resolved,
  sum(is_complaint::INT) AS complaints
FROM rows GROUP BY GROUPING SETS ((p), (p, month), (p, province_code), (p, month, province_code),
                                  (p, topic_code), (p, month, topic_code))
"""

# the KPIs and counts of the page's calls and waits, from the sums
CENTRE_CONTACTS = """
SELECT p, month, province_code, topic_code, contacts, offered, answered, abandoned,
  offered - answered - abandoned AS other, banded,
  100.0 * answered / nullif(offered, 0) AS service_level,
  100.0 * answered_20s / nullif(offered, 0) AS service_level_80_20,
  handling_seconds / nullif(handled, 0) AS aht,
  100.0 * fcr_resolved / nullif(fcr_known, 0) AS fcr,
  100.0 * answered_20s / nullif(banded, 0) AS within_20s,
  100.0 * answered_60s / nullif(banded, 0) AS within_60s,
  100.0 * answered_120s / nullif(banded, 0) AS within_120s,
  100.0 * answered_180s / nullif(banded, 0) AS within_180s,
  100.0 * answered_240s / nullif(banded, 0) AS within_240s
FROM sums
"""

# LS per month and province against the standard in force on the month's first day (a
# province's own first, then the latest valid_from, then the latest row), judged as shown
CENTRE_GRID = """
CREATE TEMP TABLE grid AS
WITH ls AS (
  SELECT month, province_code, 100.0 * answered / nullif(offered, 0) AS value, offered AS n
  FROM sums WHERE p = 0 AND month IS NOT NULL AND province_code IS NOT NULL),
standards AS (
  SELECT ls.*, t.threshold, t.direction, t.source, t.valid_from
  FROM ls LEFT JOIN read_parquet('{target}') t ON t.kpi = 'service_level'
   AND t.valid_from <= ls.month
   AND (t.province_code IS NULL OR t.province_code = ls.province_code)
  QUALIFY row_number() OVER (PARTITION BY ls.month, ls.province_code
    ORDER BY t.province_code IS NULL, t.valid_from DESC, t.id DESC) = 1)
SELECT *, CASE
  WHEN value IS NULL THEN 'no_data'
  WHEN threshold IS NULL THEN 'no_standard'
  WHEN direction = 'min' AND round(value, 1) >= round(threshold, 1) THEN 'met'
  WHEN direction = 'max' AND round(value, 1) <= round(threshold, 1) THEN 'met'
  ELSE 'missed' END AS status
FROM standards
"""

CENTRE_MONTHS = """
SELECT province_code, count(value) AS months, count(*) FILTER (WHERE status = 'met') AS met,
  count(*) FILTER (WHERE status = 'missed') AS missed,
  count(*) FILTER (WHERE round(value, 1) >= 80.0) AS water_months
FROM grid GROUP BY province_code
"""

# contacts, queued and answered calls by ISO weekday × hour over the period's whole months
CENTRE_HOURS = """
SELECT isodow(occurred_at) AS weekday, hour(occurred_at) AS hour, count(*) AS contacts,
  sum(queued::INT) AS queued, sum(answered::INT) AS answered,
  100.0 * sum(answered::INT) / nullif(sum(queued::INT), 0) AS answer_rate
FROM read_parquet('{contact}') WHERE month BETWEEN $start_month AND $end GROUP BY ALL
"""

# per topic over the period: share of contacts, FCR, complaint share, change against before
CENTRE_TOPICS = """
WITH topics AS (SELECT * FROM sums WHERE topic_code IS NOT NULL AND month IS NULL)
SELECT n.topic_code, n.contacts, 100.0 * n.contacts / sum(n.contacts) OVER () AS share,
  100.0 * n.fcr_resolved / nullif(n.fcr_known, 0) AS fcr,
  100.0 * n.complaints / n.contacts AS complaint_share,
  coalesce(b.contacts, 0) AS contacts_before,
  100.0 * (n.contacts - b.contacts) / b.contacts AS change
FROM topics n LEFT JOIN topics b ON b.topic_code = n.topic_code AND b.p = 1
WHERE n.p = 0
"""


def export(engine: Engine, folder: Path, stem: str) -> dict[str, Path]:
    """Each raw table (with its rows' province) as folder/<stem>-<table>-<query digest>.parquet,
    written once: a changed export query (new columns) writes a new file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = {
        name: folder / f"{stem}-{name}-{_digest(query)}.parquet" for name, query in EXPORTS.items()
    }
    for name, query in EXPORTS.items():
        if paths[name].exists():
            continue
        partial = paths[name].with_suffix(".partial")
        writer = None
        with engine.connect() as connection:
            for chunk in pd.read_sql(text(query), connection, chunksize=1_000_000):
                for column in TIMESTAMPS:
                    if column in chunk:
                        chunk[column] = pd.to_datetime(chunk[column], format="ISO8601")
                # later chunks take the first one's types (a column all NULL in a chunk)
                schema: pa.Schema | None = writer.schema if writer else None
                table = pa.Table.from_pandas(chunk, schema=schema, preserve_index=False)
                writer = writer or pq.ParquetWriter(partial, table.schema)
                writer.write_table(table)
        if writer:
            writer.close()
            partial.rename(paths[name])
    return paths


def _digest(query: str) -> str:
    """Eight hex digits naming an export query."""
    return hashlib.sha1(query.encode()).hexdigest()[:8]


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
    return _session(paths, [sql], parameters)[0]


def _session(
    paths: dict[str, Path], statements: list[str], parameters: dict[str, str]
) -> list[pd.DataFrame]:
    """Run statements in order on one new connection (a CREATE TEMP TABLE for the next ones);
    the frames of those that return rows."""
    connection = duckdb.connect()
    frames = []
    try:
        for sql in statements:
            query = sql.format(shapes=SHAPES, **{name: str(path) for name, path in paths.items()})
            names = {name for name in parameters if re.search(rf"\${name}\b", query)}
            result = connection.execute(query, {n: parameters[n] for n in names})
            if result.description is not None and not sql.lstrip().startswith("CREATE"):
                frames.append(result.df())
        return frames
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

    def channels() -> dict[str, pd.DataFrame]:
        first, last = window().iloc[0]  # the first month at the online mark: over all the data
        edges = {"first_month": f"{str(first)[:7]}-01", "last": str(last)[:10]}
        statements = [CHANNEL_CONTACTS, CHANNEL_SURVEYS, CHANNEL_ADOPTION]
        contact, survey, adoption = _session(paths, statements, parameters | edges)
        return {"contact": contact, "survey": survey, "adoption": adoption}

    def centre() -> dict[str, pd.DataFrame]:
        window()
        statements = [CENTRE_SUMS, CENTRE_CONTACTS, CENTRE_GRID, "SELECT * FROM grid",
                      CENTRE_MONTHS, CENTRE_HOURS, CENTRE_TOPICS]  # fmt: skip
        contact, grid, months, hours, topics = _session(paths, statements, parameters)
        return {"contact": contact, "grid": grid, "months": months, "hours": hours,
                "topics": topics}  # fmt: skip

    return {"overview": overview, "trends": trends, "channels": channels, "contact centre": centre}


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


# --- the new pages' figures against ours ------------------------------------------------------

KEYS = ("month", "province", "segment_code", "channel_code", "topic_code")  # DuckDB's key columns


def provinces(engine: Engine) -> dict[str, str]:
    """ISTAT code -> sigla: DuckDB's rows carry the code, the pages the sigla."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT code, sigla FROM province"))
        return {str(code): str(sigla) for code, sigla in rows}


def check_page(
    page: str, found: dict[str, pd.DataFrame], ours: Mapping[Any, Any], names: Mapping[str, str]
) -> list[str]:
    """Where DuckDB's figures for a page (page_queries) differ from what the page's recipe read
    (bench.pages), table by table; [] when they are the same."""
    theirs = {
        name: frame.assign(province=frame["province_code"].map(names))
        if "province_code" in frame
        else frame
        for name, frame in found.items()
    }
    differ: list[str] = []
    {"channels": _check_channels, "contact centre": _check_centre}[page](theirs, ours, differ)
    return differ


def _check_channels(
    found: dict[str, pd.DataFrame], ours: Mapping[Any, Any], differ: list[str]
) -> None:
    contact, survey, adoption = found["contact"], found["survey"], found["adoption"]
    month, channel = {"bucket": "month"}, {"channel": "channel_code"}
    _same(
        "mix",
        _shape(contact, 0, "month", "channel_code"),
        ours["mix"],
        month | channel,
        {"value": "contacts", "share": "share"},
        differ,
    )
    for p, when in ((0, ()), (1, ("before",))):
        if ("contacts", "channel", *when) not in ours:
            continue
        rows = _shape(contact, p, "channel_code")
        _same(
            " ".join(("contacts per channel", *when)),
            rows,
            ours["contacts", "channel", *when],
            channel,
            {"value": "contacts"},
            differ,
        )
        for kpi in ("csi", "nps"):
            values = {
                "value": kpi,
                "n": f"{kpi}_n",
                "ci_low": f"{kpi}_low",
                "ci_high": f"{kpi}_high",
            }
            _same(
                " ".join((kpi, "per channel", *when)),
                survey[survey["p"] == p],
                ours[kpi, "channel", *when],
                channel,
                values,
                differ,
            )
    _same(
        "contacts per 1,000 customers",
        _shape(contact, 0, "channel_code"),
        ours["contacts_per_1000", "channel"],
        channel,
        {"value": "contacts_per_1000"},
        differ,
    )
    _same(
        "digital share",
        _shape(contact, 0, "province", "segment_code"),
        ours["digital_share", "province", "segment"],
        {"province": "province", "segment": "segment_code"},
        {"value": "digital_share"},
        differ,
    )
    part = {
        name: adoption[adoption["part"] == name]
        for name in ("series", "latest", "channels", "reaching")
    }
    for kpi, code in ADOPTION_CHANNEL.items():
        mine = part["series"][part["series"]["channel_code"] == code]
        _same(
            f"{kpi} per month and province",
            mine,
            ours[kpi, "bucket", "province"],
            month | {"province": "province"},
            {"value": "value", "n": "n"},
            differ,
        )
        mine = part["latest"][part["latest"]["channel_code"] == code]
        _same(
            f"{kpi} per province",
            mine,
            ours[kpi, "province"],
            {"province": "province"},
            {"value": "value", "n": "n"},
            differ,
        )
    _same(
        "adoption per month and channel",
        part["channels"],
        ours["adoption", "bucket", "channel"],
        month | channel,
        {"value": "value", "n": "n"},
        differ,
    )
    if "reaching" in ours:
        keys = {"province": "province", "first_month": "first_month", "month": "month"}
        _same(
            "first month at the online mark",
            part["reaching"],
            ours["reaching"],
            keys,
            {"value": "value", "latest": "latest"},
            differ,
        )


def _check_centre(
    found: dict[str, pd.DataFrame], ours: Mapping[Any, Any], differ: list[str]
) -> None:
    contact, month, province = found["contact"], {"bucket": "month"}, {"province": "province"}
    _same(
        "LS grid",
        found["grid"],
        ours["grid"],
        month | province | {"status": "status"},
        {"value": "value", "n": "n", "threshold": "threshold"},
        differ,
    )
    met = ours["months met"].merge(ours["water rule"][["province", "months_at"]], on="province")
    _same(
        "months met",
        found["months"],
        met,
        province,
        {"months": "months", "met": "met", "missed": "missed", "months_at": "water_months"},
        differ,
    )
    board = ours["board"]
    whole = {p: _shape(contact, p) for p in (0, 1)}
    for kpi in board.values:
        value = board.values[kpi]
        _compare(f"{kpi} over the period", float(whole[0][kpi].iloc[0]), value.value, differ)
        _compare(f"{kpi} before", float(whole[1][kpi].iloc[0]), value.comparison_value, differ)
        _same(
            f"{kpi} per month",
            _shape(contact, 0, "month"),
            board.by_bucket[kpi],
            month,
            {"value": kpi},
            differ,
        )
        _same(
            f"{kpi} per province",
            _shape(contact, 0, "province"),
            board.by_province[kpi],
            province,
            {"value": kpi},
            differ,
        )
        _same(
            f"{kpi} per province before",
            _shape(contact, 1, "province"),
            board.by_province_before[kpi],
            province,
            {"value": kpi},
            differ,
        )
    counts = {name: name for name in ("offered", "answered", "abandoned", "other")}
    _same("calls per month", _shape(contact, 0, "month"), ours["calls"], month, counts, differ)
    bands = {
        name: name
        for name in ("answered", "banded", *(f"within_{s}s" for s in (20, 60, 120, 180, 240)))
    }
    _same(
        "wait bands per month",
        _shape(contact, 0, "month"),
        ours["bands", "bucket"],
        month,
        bands,
        differ,
    )
    _same(
        "wait bands per province",
        _shape(contact, 0, "province"),
        ours["bands", "province"],
        province,
        bands,
        differ,
    )
    hours = {name: name for name in ("contacts", "queued", "answered", "answer_rate")}
    _same(
        "weekday × hour",
        found["hours"],
        ours["hours"].cells,
        {"weekday": "weekday", "hour": "hour"},
        hours,
        differ,
    )
    _same(
        "contacts per month and topic",
        _shape(contact, 0, "month", "topic_code"),
        ours["topics", "bucket"],
        month | {"topic": "topic_code"},
        {"contacts": "contacts"},
        differ,
    )
    summary = ("contacts", "share", "fcr", "complaint_share", "contacts_before", "change")
    _same(
        "topics",
        found["topics"],
        ours["topics"],
        {"topic": "topic_code"},
        {name: name for name in summary},
        differ,
    )


def _shape(frame: pd.DataFrame, p: int, *keys: str) -> pd.DataFrame:
    """The rows of a GROUPING SETS frame for period p (0 now, 1 before) grouped by keys only."""
    rows = frame["p"] == p
    for column in KEYS:
        if column in frame:
            rows &= frame[column].notna() if column in keys else frame[column].isna()
    return frame[rows]


def _same(
    label: str,
    theirs: pd.DataFrame,
    ours: pd.DataFrame,
    keys: Mapping[str, str],
    values: Mapping[str, str],
    differ: list[str],
) -> None:
    """Add a line to differ when any of values (our column -> DuckDB's) differs beyond 1e-6
    relative between rows of the same keys (our column -> DuckDB's). NaN equals NaN; a row one
    side lacks equals the other side's row when its values are all NaN or 0."""
    mine = pd.DataFrame({key: [_key(v) for v in ours[key]] for key in keys})
    other = pd.DataFrame({key: [_key(v) for v in theirs[column]] for key, column in keys.items()})
    for value, column in values.items():
        mine[f"{value} ours"] = pd.to_numeric(ours[value], errors="coerce").to_numpy(dtype=float)
        other[f"{value} duck"] = pd.to_numeric(theirs[column], errors="coerce").to_numpy(
            dtype=float
        )
    merged = other.merge(mine, on=list(keys), how="outer")
    theirs_v = merged[[f"{v} duck" for v in values]].to_numpy(dtype=float)
    mine_v = merged[[f"{v} ours" for v in values]].to_numpy(dtype=float)
    lone = np.isnan(theirs_v).all(axis=1) | np.isnan(mine_v).all(axis=1)  # a row one side lacks
    theirs_v = np.where(lone[:, None], np.nan_to_num(theirs_v), theirs_v)
    mine_v = np.where(lone[:, None], np.nan_to_num(mine_v), mine_v)
    same = (np.isnan(theirs_v) & np.isnan(mine_v)) | np.isclose(theirs_v, mine_v, rtol=1e-6, atol=0)
    bad = np.argwhere(~same)
    if len(bad):
        row, column = bad[0]
        where = " ".join(str(merged.iloc[row][k]) for k in keys)
        value = list(values)[column]
        differ.append(
            f"{label}: {len({r for r, _ in bad})} of {len(merged)} rows differ, e.g. {where} "
            f"{value} {theirs_v[row, column]:.6g} ≠ {mine_v[row, column]:.6g}"
        )


def _key(value: object) -> str:
    """A key as text: a day as YYYY-MM-DD whatever its type, a whole number without '.0'."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, (date, pd.Timestamp)):
        return pd.Timestamp(value).date().isoformat()
    if isinstance(value, str):
        return value[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value) else value
    if isinstance(value, (int, float, np.integer, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


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
