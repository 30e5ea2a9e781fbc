"""KPI queries for the pages: the only reader of the aggregates, scope applied in every query.

Every public function takes keyword-only `engine`, `filters` and `scope`. The scope is resolved
here (Scope.visible(filters.provinces) -> sigle -> ISTAT codes); an empty scope gives no rows.

Strategy: sum the measures a KPI needs in SQL, grouped by bucket and/or province, in one
statement: whole weeks (week buckets) or whole months (other buckets) from the weekly or monthly
aggregates, the ragged days at either end of the period from the daily ones; without buckets,
whole months, then whole weeks, then days. A period ending on or after the latest data day reads
its last week or month whole. Months roll up to quarters and years in pandas, where the KPI is
computed from the summed measures: every ratio is a ratio of sums, and a zero denominator gives
NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sqlalchemy import ColumnElement, Select, Subquery, Table, case, func, select, union_all
from sqlalchemy.engine import Connection, Engine

from data_access import stats
from data_access.aggregates import CONTACTS, SURVEYS, Aggregates, bucket_span
from data_access.filters import Filters, Period
from data_access.kpis import KPIS, Kpi
from data_access.models import (
    Area,
    AssociationCase,
    Channel,
    ChannelAdoption,
    CustomerBase,
    ImportBatch,
    Province,
    Segment,
    Topic,
)
from data_access.scope import Scope
from data_access.targets import target_for

BY_CHOICES: tuple[tuple[str, ...], ...] = (("bucket",), ("bucket", "province"), ("province",))
DEFAULT_ASSOCIATION_TARGET_DAYS = 30.0
ONE_DAY = timedelta(days=1)

# numerator measure, denominator measure, scale: value = numerator / denominator × scale
CONTACT_RATIOS: dict[str, tuple[str, str, float]] = {
    "service_level": ("answered", "queued", 100.0),
    "average_wait": ("wait_seconds", "answered", 1.0),
    "line_accessibility": ("line_free_seconds", "operator_seconds", 100.0),
    "abandonment_rate": ("abandoned", "queued", 100.0),
    "service_level_80_20": ("answered_20s", "queued", 100.0),
    "fcr": ("fcr_resolved", "fcr_known", 100.0),
    "aht": ("handling_seconds", "handled", 1.0),
    "complaint_reply_days": ("complaint_reply_days", "complaints_replied", 1.0),
    "complaint_reply_30d": ("complaints_replied_30d", "complaints_replied", 100.0),
    "digital_share": ("digital_contacts", "contacts", 100.0),
    "contacts_per_1000": ("contacts", "customers", 1000.0),
}
SURVEY_MEASURES_OF: dict[str, tuple[str, ...]] = {
    "csi": ("csi_n", "csi_sum", "csi_sumsq"),
    "ces": ("ces_n", "ces_sum", "ces_sumsq"),
    "csat": ("csat_n", "csat_positive"),
    "nps": ("nps_n", "promoters", "detractors"),
}
ADOPTION_CHANNEL = {"online_adoption": "web", "branch_usage": "branch"}


@dataclass(frozen=True)
class KpiValue:
    """One KPI over a period, with its comparison period; NaN where undefined or suppressed.

    ci_* are NaN for census KPIs; `change` is value − comparison_value (points for percentages);
    `significant` is None for census KPIs and whenever either side is missing.
    """

    kpi: str
    value: float
    n: float
    ci_low: float
    ci_high: float
    suppressed: bool
    period: Period | None
    comparison_period: Period | None
    comparison_value: float
    comparison_n: float
    comparison_ci_low: float
    comparison_ci_high: float
    comparison_suppressed: bool
    change: float
    significant: bool | None


# --- store-wide facts -------------------------------------------------------------------------


def latest_day(engine: Engine) -> date | None:
    """The latest day with contacts or survey responses; None on an empty store."""
    with engine.connect() as connection:
        found = [
            connection.execute(select(func.max(family.daily.c.day))).scalar()
            for family in (CONTACTS, SURVEYS)
        ]
    days = [day for day in found if day is not None]
    return max(days) if days else None


def freshness(engine: Engine) -> datetime | None:
    """When the last import (or demo build) ran; None when nothing was ever imported."""
    with engine.connect() as connection:
        return connection.execute(select(func.max(ImportBatch.__table__.c.imported_at))).scalar()


def dimension_names(engine: Engine) -> dict[str, dict[str, str]]:
    """Display names per Filters attribute (provinces by sigla), for Filters.sentence."""
    sources = {
        "provinces": (Province.__table__.c.sigla, Province.__table__.c.name),
        "areas": (Area.__table__.c.code, Area.__table__.c.name),
        "channels": (Channel.__table__.c.code, Channel.__table__.c.label),
        "segments": (Segment.__table__.c.code, Segment.__table__.c.label),
        "topics": (Topic.__table__.c.code, Topic.__table__.c.label),
    }
    with engine.connect() as connection:
        return {
            attr: dict(connection.execute(select(key, name)).all())
            for attr, (key, name) in sources.items()
        }


def bucket_start(day: date, grain: str) -> date:
    """First day of the week (Monday), month, quarter or year that day falls in."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if grain == "year":
        return date(day.year, 1, 1)
    raise ValueError(f"unknown grain {grain!r}")


# --- public KPI queries -----------------------------------------------------------------------


def kpi_series(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    kpi: str,
    by: Sequence[str] = ("bucket",),
    period: Period | None = None,
) -> pd.DataFrame:
    """A KPI per bucket and/or province: bucket, province, value, n, ci_low, ci_high, suppressed.

    bucket is the start of the week/month/quarter/year at filters.grain; province is the sigla.
    period defaults to filters.resolve(latest_day(engine)); no data gives an empty frame.
    """
    return kpi_series_many(
        engine=engine, filters=filters, scope=scope, kpis=(kpi,), by=by, period=period
    )[kpi]


def kpi_series_many(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    kpis: Sequence[str],
    by: Sequence[str] = ("bucket",),
    period: Period | None = None,
) -> dict[str, pd.DataFrame]:
    """Several KPIs as kpi_series gives them, reading each family's sums once."""
    keys = tuple(by)
    if keys not in BY_CHOICES:
        raise ValueError(f"by must be one of {BY_CHOICES}, not {keys}")
    definitions = [_kpi(code) for code in dict.fromkeys(kpis)]
    latest = latest_day(engine) if period is None else None
    period = period or filters.resolve(latest)
    frames = _kpi_frames(engine, filters, scope, definitions, keys, [period], latest)
    return {code: found[0].drop(columns="se") for code, found in frames.items()}


def kpi_value(
    *, engine: Engine, filters: Filters, scope: Scope, kpi: str, period: Period | None = None
) -> KpiValue:
    """A KPI over the period and filters' comparison period, with change and significance.

    period defaults to filters.resolve(latest_day(engine)); pass it when already known.
    """
    found = kpi_values(engine=engine, filters=filters, scope=scope, kpis=(kpi,), period=period)
    return found[kpi]


def kpi_values(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    kpis: Sequence[str],
    period: Period | None = None,
) -> dict[str, KpiValue]:
    """Several KPIs as kpi_value gives them, reading each family's sums once per period."""
    definitions = [_kpi(code) for code in dict.fromkeys(kpis)]
    latest = latest_day(engine) if period is None else None
    period = period or filters.resolve(latest)
    compared = filters.comparison(period)
    frames = _kpi_frames(engine, filters, scope, definitions, (), [period, compared], latest)
    return {kpi.code: _kpi_value(kpi, period, compared, *frames[kpi.code]) for kpi in definitions}


def _kpi_value(
    kpi: Kpi,
    period: Period | None,
    compared: Period | None,
    now_frame: pd.DataFrame,
    before_frame: pd.DataFrame,
) -> KpiValue:
    now = now_frame.iloc[0]
    before = before_frame.iloc[0] if compared is not None else None
    significant = None
    if before is not None and kpi.is_estimate:
        significant = stats.significant_change(_estimate(now), _estimate(before))
    nan = math.nan
    return KpiValue(
        kpi=kpi.code,
        value=float(now["value"]),
        n=float(now["n"]),
        ci_low=float(now["ci_low"]),
        ci_high=float(now["ci_high"]),
        suppressed=bool(now["suppressed"]),
        period=period,
        comparison_period=compared,
        comparison_value=nan if before is None else float(before["value"]),
        comparison_n=nan if before is None else float(before["n"]),
        comparison_ci_low=nan if before is None else float(before["ci_low"]),
        comparison_ci_high=nan if before is None else float(before["ci_high"]),
        comparison_suppressed=False if before is None else bool(before["suppressed"]),
        change=nan if before is None else float(now["value"]) - float(before["value"]),
        significant=significant,
    )


# --- internals --------------------------------------------------------------------------------

Measures = dict[str, Callable[[Table], ColumnElement[Any]] | None]  # None: sum of the column
Part = tuple[str, Period]  # grain of the aggregate to read ("day", "week", "month"), its days
RESULT_DTYPES = {
    "value": "float64",
    "n": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "se": "float64",
    "suppressed": "bool",
}
RESULT_COLUMNS = tuple(RESULT_DTYPES)
MISSING_ROW = {**dict.fromkeys(RESULT_COLUMNS, np.nan), "n": 0.0, "suppressed": False}


@dataclass(frozen=True)
class _Ask:
    """One resolved question: where to read, which provinces, grouped how, over which days."""

    connection: Connection
    filters: Filters
    codes: frozenset[str] | None  # visible ISTAT codes; None means no limit
    keys: tuple[str, ...]
    period: Period
    latest: date | None

    @property
    def group(self) -> list[str]:
        """Column names of the grouping keys (province as its ISTAT code)."""
        return [("province_code" if key == "province" else key) for key in self.keys]

    def conditions(self, table: Table | Subquery, date_column: str) -> list[Any]:
        """Filters' conditions with the scope-checked provinces, over the period."""
        return self.filters.conditions(
            table, period=self.period, province_codes=self.codes, date_column=date_column
        )


def _kpi(code: str) -> Kpi:
    try:
        return KPIS[code]
    except KeyError:
        raise ValueError(f"unknown KPI {code!r}") from None


def _estimate(row: pd.Series) -> stats.Estimate:
    return stats.Estimate(*(np.float64(row[c]) for c in ("value", "ci_low", "ci_high", "se")))


def _province_codes(connection: Connection, siglas: frozenset[str] | None) -> frozenset[str] | None:
    """ISTAT codes of the visible sigle (None: no limit; unknown sigle match nothing)."""
    if siglas is None:
        return None
    if not siglas:
        return frozenset()
    province = Province.__table__.c
    found = connection.execute(select(province.code).where(province.sigla.in_(sorted(siglas))))
    return frozenset(found.scalars())


def _kpi_frames(
    engine: Engine,
    filters: Filters,
    scope: Scope,
    kpis: Sequence[Kpi],
    keys: tuple[str, ...],
    periods: Sequence[Period | None],
    latest: date | None,
) -> dict[str, list[pd.DataFrame]]:
    """Per KPI code, one frame per period: keys, value, n, ci_low, ci_high, se, suppressed.

    Contact and survey KPIs of one family share a single statement per period.
    """
    frames: dict[str, list[pd.DataFrame]] = {kpi.code: [] for kpi in kpis}
    with engine.connect() as connection:
        codes = _province_codes(connection, scope.visible(filters.provinces))
        sigla_of: dict[str, str] = {}
        if "province" in keys:
            province = Province.__table__.c
            sigla_of = dict(connection.execute(select(province.code, province.sigla)).all())
        for period in periods:
            if period is None:
                for kpi in kpis:
                    frames[kpi.code].append(_finished(_no_rows(keys), keys, sigla_of))
                continue
            ask = _Ask(connection, filters, codes, keys, period, latest)
            summed = {
                family: _summed(ask, TABLES[family], _needs(ask, members))
                for family in TABLES
                if (members := [kpi for kpi in kpis if kpi.family == family])
            }
            for kpi in kpis:
                frame = FAMILIES[kpi.family](ask, kpi, summed.get(kpi.family))
                frames[kpi.code].append(_finished(frame, keys, sigla_of))
    return frames


def _no_rows(keys: tuple[str, ...]) -> pd.DataFrame:
    group = [("province_code" if key == "province" else key) for key in keys]
    return pd.DataFrame(columns=[*group, *RESULT_COLUMNS])


def _finished(frame: pd.DataFrame, keys: tuple[str, ...], sigla_of: dict[str, str]) -> pd.DataFrame:
    """Province codes as sigle, keys sorted; one missing row when a whole period has no data."""
    if not keys:
        return frame if len(frame) else pd.DataFrame([MISSING_ROW])
    if "province" in keys:
        frame = frame.assign(province=frame["province_code"].map(sigla_of))
    frame = frame[[*keys, *RESULT_COLUMNS]].astype(RESULT_DTYPES)
    return frame.sort_values(list(keys)).reset_index(drop=True)


def _result(
    ask: _Ask,
    frame: pd.DataFrame,
    value: ArrayLike,
    n: ArrayLike,
    *,
    low: ArrayLike = np.nan,
    high: ArrayLike = np.nan,
    se: ArrayLike = np.nan,
    suppressed: ArrayLike = False,
) -> pd.DataFrame:
    """Group keys of frame with the KPI's columns (scalars broadcast)."""
    size = len(frame)
    data: dict[str, Any] = {column: frame[column].to_numpy() for column in ask.group}
    data |= {
        "value": np.broadcast_to(np.asarray(value, dtype="float64"), size),
        "n": np.broadcast_to(np.asarray(n, dtype="float64"), size),
        "ci_low": np.broadcast_to(np.asarray(low, dtype="float64"), size),
        "ci_high": np.broadcast_to(np.asarray(high, dtype="float64"), size),
        "se": np.broadcast_to(np.asarray(se, dtype="float64"), size),
        "suppressed": np.broadcast_to(np.asarray(suppressed, dtype=bool), size),
    }
    return pd.DataFrame(data)


def _ratio(
    ask: _Ask, frame: pd.DataFrame, numerator: str, denominator: str, scale: float
) -> pd.DataFrame:
    """value = numerator ÷ denominator × scale where the denominator is > 0, else NaN."""
    num = frame[numerator].to_numpy(dtype="float64", na_value=np.nan)
    den = frame[denominator].to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(den > 0, num / den * scale, np.nan)
    return _result(ask, frame, value, np.nan_to_num(den))


# --- reading the contact and survey aggregates ------------------------------------------------


def _parts(ask: _Ask) -> list[Part]:
    """Split the period into (grain, days) parts, each read from that grain's aggregate."""
    if "bucket" not in ask.keys:
        return _cover(ask.period, ("month", "week"), ask.latest)
    return _cover(ask.period, ("week",) if ask.filters.grain == "week" else ("month",), ask.latest)


def _cover(period: Period, grains: tuple[str, ...], latest: date | None) -> list[Part]:
    """Whole buckets of grains[0] inside the period, the ragged ends covered by the finer grains
    and finally by days. A period ending on or after the latest data day ends with a whole
    bucket: nothing lies beyond it.
    """
    if not grains:
        return [("day", period)]
    grain, finer = grains[0], grains[1:]
    first_start, first_end = bucket_span(grain, period.start, period.start)
    first = period.start if first_start == period.start else first_end + ONE_DAY
    last_start, last_end = bucket_span(grain, period.end, period.end)
    ends_whole = period.end == last_end or (latest is not None and period.end >= latest)
    last = period.end if ends_whole else last_start - ONE_DAY
    if first > last:
        return _cover(period, finer, latest)
    parts = [(grain, Period(first, last))]
    if first > period.start:
        parts = _cover(Period(period.start, first - ONE_DAY), finer, latest) + parts
    if last < period.end:
        parts += _cover(Period(last + ONE_DAY, period.end), finer, latest)
    return parts


def _summed(ask: _Ask, family: Aggregates, measures: Measures) -> pd.DataFrame:
    """Measures summed per group keys over the period, in one statement."""
    tables = {"day": family.daily, "week": family.weekly, "month": family.monthly}
    bucket_column = "week" if ask.filters.grain == "week" else "month"
    selects = []
    for grain, part in _parts(ask):
        table = tables[grain]
        conditions = replace(ask, period=part).conditions(table, grain)
        group = []
        if "bucket" in ask.keys:
            group.append(table.c[bucket_column].label("bucket"))
        if "province" in ask.keys:
            group.append(table.c.province_code)
        sums = [
            (func.sum(table.c[name]) if build is None else build(table)).label(name)
            for name, build in measures.items()
        ]
        selects.append(select(*group, *sums).where(*conditions).group_by(*group))
    if len(selects) == 1:
        query = selects[0]
    else:
        rows = union_all(*selects).subquery()
        group = [rows.c[column] for column in ask.group]
        query = select(*group, *(func.sum(rows.c[m]).label(m) for m in measures)).group_by(*group)
    frame = pd.DataFrame(_rows(ask, query), columns=[*ask.group, *measures])
    frame[list(measures)] = frame[list(measures)].astype("float64").fillna(0.0)
    if not ask.group and (frame.empty or not frame.to_numpy().any()):
        return frame.iloc[0:0]
    if "bucket" in ask.keys and ask.filters.grain in ("quarter", "year"):
        frame["bucket"] = [bucket_start(b, ask.filters.grain) for b in frame["bucket"]]
        frame = frame.groupby(ask.group, as_index=False, sort=False).sum()
    return frame


def _rows(ask: _Ask, query: Select[Any]) -> list[tuple[Any, ...]]:
    """Run query on the question's connection and return all rows as plain tuples.

    Plain tuples: pandas builds a frame from SQLAlchemy Row objects about ten times slower.
    """
    return [tuple(row) for row in ask.connection.execute(query).all()]


def _needs(ask: _Ask, kpis: Sequence[Kpi]) -> Measures:
    """The measures a set of contact or survey KPIs read, each summed once."""
    measures: Measures = {}
    for kpi in kpis:
        if kpi.family == "survey":
            measures |= dict.fromkeys(SURVEY_MEASURES_OF[kpi.code])
        elif kpi.code == "digital_share":
            channel = Channel.__table__.c
            query = select(channel.code).where(channel.kind == "digital")
            digital = sorted(ask.connection.execute(query).scalars())
            measures["digital_contacts"] = _contacts_on(digital)
            measures["contacts"] = None
        elif kpi.code in CONTACT_RATIOS:
            numerator, denominator, _ = CONTACT_RATIOS[kpi.code]
            measures |= dict.fromkeys(
                m for m in (numerator, denominator) if m not in ("customers", "digital_contacts")
            )
        else:
            measures["contacts"] = None
    return measures


def _contacts_on(channels: list[str]) -> Callable[[Table], ColumnElement[Any]]:
    """A measure builder: contacts summed over the given channels only."""

    def build(table: Table) -> ColumnElement[Any]:
        return func.sum(case((table.c.channel_code.in_(channels), table.c.contacts), else_=0))

    return build


def _contact_kpi(ask: _Ask, kpi: Kpi, frame: pd.DataFrame | None) -> pd.DataFrame:
    """Contact KPIs: ratios of summed contact measures (contacts itself is a plain sum)."""
    if frame is None:
        frame = _summed(ask, TABLES["contact"], _needs(ask, [kpi]))
    if kpi.code == "contacts":
        count = frame["contacts"].to_numpy()
        return _result(ask, frame, np.where(count > 0, count, np.nan), count)
    numerator, denominator, scale = CONTACT_RATIOS[kpi.code]
    if kpi.code == "contacts_per_1000":
        frame = _with_customers(ask, frame)
    return _ratio(ask, frame, numerator, denominator, scale)


def _survey_kpi(ask: _Ask, kpi: Kpi, frame: pd.DataFrame | None) -> pd.DataFrame:
    """Survey KPIs with 95% intervals; cells under MIN_RESPONSES are suppressed, n kept.

    Surveys carry no topic: a topic filter does not narrow them.
    """
    names = SURVEY_MEASURES_OF[kpi.code]
    if frame is None:
        frame = _summed(ask, TABLES["survey"], _needs(ask, [kpi]))
    n = frame[names[0]].to_numpy()
    if kpi.code in ("csi", "ces"):
        estimate = stats.mean_estimate(n, frame[names[1]], frame[names[2]])
    elif kpi.code == "csat":
        estimate = stats.proportion_estimate(frame["csat_positive"], n)
    else:
        estimate = stats.nps_estimate(n, frame["promoters"], frame["detractors"])
    suppressed = (n > 0) & (n < stats.MIN_RESPONSES)
    value, low, high, se = (np.where(suppressed, np.nan, part) for part in estimate)
    return _result(ask, frame, value, n, low=low, high=high, se=se, suppressed=suppressed)


# --- customer base, channel adoption, association cases ---------------------------------------


def _with_province(table: Table, *columns: str, where: Any = None) -> Subquery:
    """A subquery of table's columns plus the province of each row's area."""
    area = Area.__table__
    query = select(*(table.c[c] for c in columns), area.c.province_code).join(
        area, area.c.code == table.c.area_code
    )
    if where is not None:
        query = query.where(where)
    return query.subquery()


def _monthly_customers(ask: _Ask) -> pd.DataFrame:
    """Customers per month (and province_code) in the filters' provinces, areas and segments."""
    base = _with_province(CustomerBase.__table__, "month", "area_code", "segment_code", "customers")
    group = [base.c.month, *([base.c.province_code] if "province" in ask.keys else [])]
    query = (
        select(*group, func.sum(base.c.customers).label("customers"))
        .where(*ask.conditions(base, "month"))
        .group_by(*group)
    )
    frame = pd.DataFrame(_rows(ask, query), columns=[c.name for c in group] + ["customers"])
    return frame.astype({"customers": "float64"})


def _with_customers(ask: _Ask, frame: pd.DataFrame) -> pd.DataFrame:
    """Add `customers`: the mean monthly customer base over each bucket.

    A week takes the base of the month it starts in (or of the period's first month).
    """
    customers = _monthly_customers(ask)
    by_province = "province" in ask.keys
    if not ask.group:
        return frame.assign(customers=customers["customers"].mean())
    if "bucket" in ask.keys and ask.filters.grain == "week":
        start = ask.period.start
        frame = frame.assign(month=[max(b, start).replace(day=1) for b in frame["bucket"]])
        merge_on = ["month", *(["province_code"] if by_province else [])]
        return frame.merge(customers, on=merge_on, how="left")
    if "bucket" in ask.keys:
        customers["bucket"] = [bucket_start(m, ask.filters.grain) for m in customers["month"]]
    average = customers.groupby(ask.group, as_index=False)["customers"].mean()
    return frame.merge(average, on=ask.group, how="left")


def _adoption_kpi(ask: _Ask, kpi: Kpi, _frame: pd.DataFrame | None) -> pd.DataFrame:
    """Channel adoption at each bucket's last month with data.

    channel_adoption.users counts customers who used the channel in the 12 months to that month;
    registered counts accounts registered at month end. The numerator takes registered where it
    is known and users otherwise, summed over the filters' provinces, areas and segments; the
    denominator is customer_base for the same month, areas and segments. The filters' channels
    and topics do not apply: the KPI names its own channel. On a week grain a month's figure
    sits in the week holding its first day (or the period's first day).
    """
    adoption = ChannelAdoption.__table__
    rows = _with_province(
        adoption,
        "month",
        "area_code",
        "segment_code",
        "users",
        "registered",
        where=adoption.c.channel_code == ADOPTION_CHANNEL[kpi.code],
    )
    group = [rows.c.month, *([rows.c.province_code] if "province" in ask.keys else [])]
    adopters = func.sum(func.coalesce(rows.c.registered, rows.c.users)).label("adopters")
    query = select(*group, adopters).where(*ask.conditions(rows, "month")).group_by(*group)
    names = [c.name for c in group]
    frame = pd.DataFrame(_rows(ask, query), columns=[*names, "adopters"])
    frame = frame.merge(_monthly_customers(ask), on=names, how="left").sort_values("month")
    if "bucket" in ask.keys:
        start, grain = ask.period.start, ask.filters.grain
        frame["bucket"] = [bucket_start(max(m, start), grain) for m in frame["month"]]
    last = frame.groupby(ask.group).tail(1) if ask.group else frame.tail(1)
    return _ratio(ask, last, "adopters", "customers", 100.0)


def _association_kpi(ask: _Ask, kpi: Kpi, _frame: pd.DataFrame | None) -> pd.DataFrame:
    """Association cases by opening day: mean days to answer and % answered within target.

    Cases not answered yet are left out of both (like complaints without a reply). The target
    is the general kpi_target for 'association_reply_days' in force at the period's end (30 days
    when there is none). Channels and segments do not apply: cases carry neither. The database
    sums per opening day (and province); days become buckets here.
    """
    target = target_for(
        engine=ask.connection.engine, kpi="association_reply_days", on=ask.period.end
    )
    limit = target.threshold if target is not None else DEFAULT_ASSOCIATION_TARGET_DAYS
    cases = _with_province(
        AssociationCase.__table__, "opened_on", "reply_days", "area_code", "topic_code"
    )
    by_day = [cases.c.opened_on]
    if "province" in ask.keys:
        by_day.append(cases.c.province_code)
    query = (
        select(
            *by_day,
            func.count().label("answered"),
            func.sum(cases.c.reply_days).label("days"),
            func.sum(case((cases.c.reply_days <= limit, 1), else_=0)).label("within"),
        )
        .where(cases.c.reply_days.is_not(None), *ask.conditions(cases, "opened_on"))
        .group_by(*by_day)
    )
    names = [column.name for column in by_day]
    measures = ["answered", "days", "within"]
    frame = pd.DataFrame(_rows(ask, query), columns=[*names, *measures])
    frame[measures] = frame[measures].astype("float64")
    if "bucket" in ask.keys:
        frame["bucket"] = _bucket_starts(pd.to_datetime(frame["opened_on"]), ask.filters.grain)
    if ask.group:
        summed = frame.groupby(ask.group, as_index=False)[measures].sum()
    else:
        summed = frame[measures].sum().to_frame().T.iloc[0 : int(len(frame) > 0)]
    if kpi.code == "association_reply_days":
        return _ratio(ask, summed, "days", "answered", 1.0)
    return _ratio(ask, summed, "within", "answered", 100.0)


def _bucket_starts(days: pd.Series, grain: str) -> list[date]:
    """bucket_start for a whole column of datetimes at once."""
    frequency = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}[grain]
    return [d.date() for d in days.dt.to_period(frequency).dt.start_time]


TABLES: dict[str, Aggregates] = {"contact": CONTACTS, "survey": SURVEYS}
FAMILIES: dict[str, Callable[[_Ask, Kpi, pd.DataFrame | None], pd.DataFrame]] = {
    "contact": _contact_kpi,
    "survey": _survey_kpi,
    "adoption": _adoption_kpi,
    "association": _association_kpi,
}
