"""KPI queries for the pages: the only reader of the aggregates, scope applied in every query.

Every public function takes keyword-only `engine`, `filters` and `scope`. The scope is resolved
here (Scope.visible(filters.provinces) -> sigle -> ISTAT codes); an empty scope gives no rows.

Strategy: sum the measures a KPI family needs in SQL, grouped by bucket and/or province, in one
statement per period: whole weeks (week buckets) or whole months (other buckets) from the weekly
or monthly aggregates, the ragged days at either end of the period from the daily ones; without
buckets, whole months, then whole weeks, then days. A period ending on or after the latest data
day reads its last week or month whole. Each family is read once per period at the finest keys
asked for (a KpiBoard asks bucket × province) and rolled up from there in numpy: months to
quarters and years, provinces to the whole. KPIs are computed from the summed measures: every
ratio is a ratio of sums, and a zero denominator gives NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    Table,
    case,
    func,
    select,
    union_all,
)
from sqlalchemy.engine import Connection, Engine

from data_access import stats
from data_access.aggregates import CONTACTS, SURVEYS, Aggregates, bucket_span
from data_access.filters import Filters, Period, add_months, month_end
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
ASSOCIATION_MEASURES = ("cases", "answered", "days", "days_squared", "within", "pending",
                        "open", "open_within")  # fmt: skip
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
COMPLAINT_MEASURES = ("complaints", "complaints_replied", "complaint_reply_days",
                      "complaints_replied_30d")  # fmt: skip
COMPLAINT_DEADLINE_DAYS = 30


@dataclass(frozen=True)
class KpiValue:
    """One KPI over a period, with its comparison period; NaN where undefined or suppressed.

    ci_* are NaN for KPIs without an interval (Kpi.has_interval); `change` is value −
    comparison_value (points for percentages); `significant` is None for KPIs without an
    interval and whenever either side is missing or provisional.

    Time-to-reply KPIs (Kpi.is_censored) are censored at the latest data: `pending` counts the
    cases without a reply whose deadline had not passed by then (left out of an on-time share;
    a case past its deadline without a reply is late), `provisional` says there are some (the
    value can still change), `unanswered` counts every case without a reply (pending or late).
    `not_applicable` names the view's dimensions the KPI does not depend on (Kpi.ignored_by):
    when any, there is no value (NaN, n 0) and kpis.not_applicable_text says why.
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
    provisional: bool = False
    pending: float = 0.0
    unanswered: float = 0.0
    comparison_provisional: bool = False
    not_applicable: tuple[str, ...] = ()


# --- store-wide facts -------------------------------------------------------------------------


def latest_day(engine: Engine) -> date | None:
    """The latest day with contacts or survey responses; None on an empty store."""
    with engine.connect() as connection:
        return _latest(connection)


def first_day(engine: Engine) -> date | None:
    """The first day with contacts or survey responses; None on an empty store."""
    with engine.connect() as connection:
        return _edge_day(connection, first=True)


def _latest(connection: Connection) -> date | None:
    return _edge_day(connection, first=False)


def _edge_day(connection: Connection, *, first: bool) -> date | None:
    """The first (or latest) day of the contact and survey daily aggregates together."""
    edge = func.min if first else func.max
    found = [
        connection.execute(select(edge(family.daily.c.day))).scalar()
        for family in (CONTACTS, SURVEYS)
    ]
    days = [day for day in found if day is not None]
    return (min if first else max)(days) if days else None


# the measure (on contact_province_monthly) or table telling whether a KPI has any source data
SOURCE_MEASURE = {"contacts": "contacts", "digital_share": "contacts",
                  "contacts_per_1000": "contacts", "complaint_reply_days": "complaints",
                  "complaint_reply_30d": "complaints"}  # fmt: skip


def kpis_with_data(engine: Engine, kpis: Sequence[str]) -> frozenset[str]:
    """The KPIs of kpis with any source data in the store (any period, any province).

    One limit-1 query per KPI on small tables (the province-level monthly contacts, the survey
    months, channel adoption by channel, association cases): e.g. line accessibility needs
    line-time data, which only some contact-centre reports carry.
    """
    found = set()
    with engine.connect() as connection:
        for code in dict.fromkeys(kpis):
            kpi = _kpi(code)
            if kpi.family == "contact":
                table = CONTACTS.by_province
                measure = SOURCE_MEASURE.get(code) or CONTACT_RATIOS[code][1]
                query = select(table.c.month).where(table.c[measure] > 0)
            elif kpi.family == "survey":
                table = SURVEYS.monthly
                query = select(table.c.month).where(table.c[SURVEY_MEASURES_OF[code][0]] > 0)
            elif kpi.family == "adoption":
                table = ChannelAdoption.__table__
                query = select(table.c.id).where(table.c.channel_code == ADOPTION_CHANNEL[code])
            else:
                query = select(AssociationCase.__table__.c.id)
            if connection.execute(query.limit(1)).first() is not None:
                found.add(code)
    return frozenset(found)


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

Keys = tuple[str, ...]
Shape = tuple[Keys, int]  # grouping keys, index of the period it is over


@dataclass(frozen=True)
class KpiBoard:
    """Several KPIs over one period, read together: what an overview of them shows.

    values: each KPI over the period against the comparison period; by_bucket: each per bucket of
    the period; by_province and by_province_before: each per province over the period and over
    the comparison period (empty frames when there is none).
    """

    values: dict[str, KpiValue]
    by_bucket: Mapping[str, pd.DataFrame]
    by_province: Mapping[str, pd.DataFrame]
    by_province_before: Mapping[str, pd.DataFrame]


class _Frames(Mapping[str, pd.DataFrame]):
    """KPI code -> result frame, each built when first read: a page reads a few of the frames
    a board holds, and building a DataFrame costs ~0.4 ms (a third of the overview's budget
    for all of them)."""

    def __init__(self, results: dict[str, Columns], keys: Keys) -> None:
        self._results, self._keys = results, keys
        self._built: dict[str, pd.DataFrame] = {}

    def __getitem__(self, code: str) -> pd.DataFrame:
        if code not in self._built:
            self._built[code] = _frame(self._results[code], self._keys)
        return self._built[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._results)

    def __len__(self) -> int:
        return len(self._results)


def kpi_series(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    kpi: str,
    by: Sequence[str] = ("bucket",),
    period: Period | None = None,
) -> pd.DataFrame:
    """A KPI per bucket and/or province: bucket, province, value, n, ci_low, ci_high,
    suppressed, provisional (bool), pending and unanswered (int).

    bucket is the start of the week/month/quarter/year at filters.grain; province is the sigla.
    provisional, pending and unanswered are as in KpiValue (False, 0, 0 for KPIs that are not
    time-to-reply KPIs). period defaults to filters.resolve(latest_day(engine)); no data, or a
    KPI not applicable to the view (Kpi.ignored_by), gives an empty frame.
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
    found = _kpi_results(engine, filters, scope, definitions, [(keys, 0)], [period], latest)
    return {kpi.code: _frame(found[kpi.code, keys, 0], keys) for kpi in definitions}


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
    periods = [period, filters.comparison(period)]
    shapes: list[Shape] = [((), 0), ((), 1)]
    found = _kpi_results(engine, filters, scope, definitions, shapes, periods, latest)
    return {kpi.code: _kpi_value(kpi, filters, periods, found) for kpi in definitions}


def kpi_board(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    kpis: Sequence[str],
    period: Period | None = None,
) -> KpiBoard:
    """Several KPIs over the period in every shape an overview shows, each family read once
    per period (at bucket × province) and rolled up from there.
    """
    definitions = [_kpi(code) for code in dict.fromkeys(kpis)]
    latest = latest_day(engine) if period is None else None
    period = period or filters.resolve(latest)
    periods = [period, filters.comparison(period)]
    by_bucket, by_province = ("bucket",), ("province",)
    shapes = [((), 0), ((), 1), (by_bucket, 0), (by_province, 0), (by_province, 1)]
    found = _kpi_results(engine, filters, scope, definitions, shapes, periods, latest)
    codes = [kpi.code for kpi in definitions]
    return KpiBoard(
        values={kpi.code: _kpi_value(kpi, filters, periods, found) for kpi in definitions},
        by_bucket=_Frames({code: found[code, by_bucket, 0] for code in codes}, by_bucket),
        by_province=_Frames({code: found[code, by_province, 0] for code in codes}, by_province),
        by_province_before=_Frames(
            {code: found[code, by_province, 1] for code in codes}, by_province
        ),
    )


# --- internals --------------------------------------------------------------------------------

Columns = dict[str, np.ndarray]  # columns of equal length: group keys, then measures or results
Results = dict[tuple[str, Keys, int], Columns]  # per (KPI code, keys, period index)
Measures = dict[str, Callable[[Table], ColumnElement[Any]] | None]  # None: sum of the column
Part = tuple[str, Period]  # grain of the aggregate to read ("day", "week", "month"), its days
RESULT_COLUMNS = ("value", "n", "ci_low", "ci_high", "suppressed", "provisional", "pending",
                  "unanswered")  # fmt: skip
COUNT_COLUMNS = ("pending", "unanswered")
KEY_ORDER = ("bucket", "province")
KEY_COLUMNS = frozenset({"bucket", "province", "month", "opened_on", "channel_code"})
MISSING_ROW = {"value": math.nan, "n": 0.0, "ci_low": math.nan, "ci_high": math.nan,
               "se": math.nan, "suppressed": False, "provisional": False, "pending": 0.0,
               "unanswered": 0.0}  # fmt: skip


@dataclass(frozen=True)
class _Ask:
    """One resolved question: where to read, which provinces, grouped how, over which days.

    A family's sums are read once per period at the finest keys any result needs, then rolled
    up to each result's keys (the same question with coarser keys).
    """

    connection: Connection
    filters: Filters
    codes: frozenset[str] | None  # visible ISTAT codes; None means no limit
    keys: Keys
    period: Period
    latest: date | None
    sigla_of: dict[str, str]  # ISTAT code -> sigla
    censor: date | None = None  # the latest data day: time-to-reply KPIs are censored there

    def conditions(self, table: Table | Subquery, date_column: str) -> list[Any]:
        """Filters' conditions with the scope-checked provinces, over the period."""
        return self.filters.conditions(
            table, period=self.period, province_codes=self.codes, date_column=date_column
        )

    def fetch(self, query: Select[Any], names: Sequence[str]) -> Columns:
        """Run query; its columns as arrays: keys as objects (province_code becomes the
        province's sigla), measures as floats with NULL as NaN.
        """
        rows = self.connection.execute(query).all()
        values = list(zip(*rows, strict=True)) if rows else [()] * len(names)
        columns: Columns = {}
        for name, column in zip(names, values, strict=True):
            if name == "province_code":
                columns["province"] = _objects([self.sigla_of[code] for code in column])
            elif name in KEY_COLUMNS:
                columns[name] = _objects(column)
            else:
                columns[name] = np.array(column, dtype="float64")
        return columns


def _objects(values: Sequence[Any]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _kpi(code: str) -> Kpi:
    try:
        return KPIS[code]
    except KeyError:
        raise ValueError(f"unknown KPI {code!r}") from None


def _size(columns: Columns) -> int:
    return len(next(iter(columns.values()))) if columns else 0


def _frame(result: Columns, keys: Keys) -> pd.DataFrame:
    """A keyed result as the frame kpi_series returns (without the standard error)."""
    columns = {name: result[name] for name in (*keys, *RESULT_COLUMNS)}
    for name in COUNT_COLUMNS:  # counts as integers (numpy, cheaper than DataFrame.astype)
        columns[name] = columns[name].astype(np.int64)
    return pd.DataFrame(columns)


def _row(result: Columns) -> dict[str, Any]:
    """A whole-period result as one row; a period without data gives the missing row."""
    if not _size(result):
        return MISSING_ROW
    return {name: column[0].item() for name, column in result.items()}


def _kpi_value(
    kpi: Kpi, filters: Filters, periods: Sequence[Period | None], found: Results
) -> KpiValue:
    """The KpiValue of kpi from its whole-period results over periods[0] and periods[1]."""
    period, compared = periods
    now = _row(found[kpi.code, (), 0])
    before = _row(found[kpi.code, (), 1]) if compared is not None else None
    significant = None
    provisional = bool(now["provisional"]) or bool(before is not None and before["provisional"])
    if before is not None and kpi.has_interval and not provisional:
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
        provisional=bool(now["provisional"]),
        pending=float(now["pending"]),
        unanswered=float(now["unanswered"]),
        comparison_provisional=False if before is None else bool(before["provisional"]),
        not_applicable=kpi.ignored_by(filters),
    )


def _estimate(row: dict[str, Any]) -> stats.Estimate:
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


def _kpi_results(
    engine: Engine,
    filters: Filters,
    scope: Scope,
    kpis: Sequence[Kpi],
    shapes: Sequence[Shape],
    periods: Sequence[Period | None],
    latest: date | None,
) -> Results:
    """Per (KPI code, keys, period index) of shapes: the keys, value, n, ci_low, ci_high, se
    and suppressed columns. No period (no comparison) gives no rows.

    Each family is read once per period, at the finest keys the shapes ask of that period.
    A KPI not applicable to the view (Kpi.ignored_by) is not read and gives no rows.
    """
    found: Results = {}
    for kpi in kpis:
        if kpi.ignored_by(filters):
            for keys, index in shapes:
                found[kpi.code, keys, index] = _no_rows(keys)
    kpis = [kpi for kpi in kpis if not kpi.ignored_by(filters)]
    families = {kpi.family: [k for k in kpis if k.family == kpi.family] for kpi in kpis}
    with engine.connect() as connection:
        censor = latest
        if censor is None and any(kpi.is_censored for kpi in kpis):
            censor = _latest(connection)
        codes = _province_codes(connection, scope.visible(filters.provinces))
        sigla_of: dict[str, str] = {}
        if any("province" in keys for keys, _ in shapes):
            province = Province.__table__.c
            sigla_of = dict(connection.execute(select(province.code, province.sigla)).all())
        for index, period in enumerate(periods):
            wanted = list(dict.fromkeys(keys for keys, at in shapes if at == index))
            if period is None:
                for keys in wanted:
                    for kpi in kpis:
                        found[kpi.code, keys, index] = _no_rows(keys)
                continue
            finest = tuple(key for key in KEY_ORDER if any(key in keys for keys in wanted))
            ask = _Ask(connection, filters, codes, finest, period, latest, sigla_of, censor)
            sums = {family: READ[family](ask, members) for family, members in families.items()}
            for keys in wanted:
                shaped = replace(ask, keys=keys)
                for family, members in families.items():
                    for code, result in COMPUTE[family](shaped, members, sums[family]).items():
                        found[code, keys, index] = result
    return found


def _no_rows(keys: Keys) -> Columns:
    empty: Columns = {key: _objects([]) for key in keys}
    measures = ("value", "n", "ci_low", "ci_high", "se", *COUNT_COLUMNS)
    empty |= {name: np.empty(0) for name in measures}
    return empty | {name: np.empty(0, dtype=bool) for name in ("suppressed", "provisional")}


def _groups(columns: Columns, keys: Sequence[str]) -> tuple[Columns, np.ndarray]:
    """The distinct combinations of keys, sorted, and each row's group number."""
    size = _size(columns)
    if not keys:
        return {}, np.zeros(size, dtype=np.intp)
    combined = np.zeros(size, dtype=np.int64)
    for key in keys:
        distinct, codes = np.unique(columns[key], return_inverse=True)
        combined = combined * max(len(distinct), 1) + codes.reshape(-1)
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    return {key: columns[key][first] for key in keys}, inverse.reshape(-1)


def _take(columns: Columns, rows: np.ndarray) -> Columns:
    return {name: column[rows] for name, column in columns.items()}


def _summed_by(columns: Columns, keys: Sequence[str], measures: Sequence[str]) -> Columns:
    """Measures summed per distinct keys, sorted by them."""
    groups, inverse = _groups(columns, keys)
    count = len(next(iter(groups.values()))) if groups else int(_size(columns) > 0)
    return groups | {
        name: np.bincount(inverse, weights=columns[name], minlength=count) for name in measures
    }


def _rolled(ask: _Ask, columns: Columns, measures: Sequence[str]) -> Columns:
    """Measures summed from finer keys to the question's keys, sorted by them.

    Without keys, a period with nothing but zeros counts as no data (no rows).
    """
    if not ask.keys and not any(columns[name].any() for name in measures):
        return {name: np.empty(0) for name in measures}
    return _summed_by(columns, ask.keys, measures)


def _result(
    ask: _Ask,
    columns: Columns,
    value: ArrayLike,
    n: ArrayLike,
    *,
    low: ArrayLike = np.nan,
    high: ArrayLike = np.nan,
    se: ArrayLike = np.nan,
    suppressed: ArrayLike = False,
    pending: ArrayLike = 0.0,
    unanswered: ArrayLike = 0.0,
) -> Columns:
    """Group keys of columns with the KPI's columns (scalars broadcast); provisional where
    pending > 0.
    """
    size = _size(columns)
    result: Columns = {key: columns[key] for key in ask.keys}
    for name, values in (("value", value), ("n", n), ("ci_low", low), ("ci_high", high),
                         ("se", se), ("pending", pending),
                         ("unanswered", unanswered)):  # fmt: skip
        result[name] = np.broadcast_to(np.asarray(values, dtype="float64"), size)
    result["suppressed"] = np.broadcast_to(np.asarray(suppressed, dtype=bool), size)
    result["provisional"] = result["pending"] > 0
    return result


def _ratio(ask: _Ask, columns: Columns, numerator: str, denominator: str, scale: float) -> Columns:
    """value = numerator ÷ denominator × scale where the denominator is > 0, else NaN."""
    num, den = columns[numerator], columns[denominator]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(den > 0, num / den * scale, np.nan)
    return _result(ask, columns, value, np.nan_to_num(den))


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


def _summed(ask: _Ask, family: Aggregates, measures: Measures) -> Columns:
    """Measures summed per the question's keys over the period, in one statement."""
    tables = {"day": family.daily, "week": family.weekly, "month": family.monthly}
    filters = ask.filters
    if family.by_province is not None and not (filters.areas or filters.segments or filters.topics):
        tables["month"] = family.by_province  # same sums, a few rows a month
    bucket_column = "week" if ask.filters.grain == "week" else "month"
    names = [("province_code" if key == "province" else key) for key in ask.keys]
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
        group = [rows.c[column] for column in names]
        query = select(*group, *(func.sum(rows.c[m]).label(m) for m in measures)).group_by(*group)
    columns = ask.fetch(query, [*names, *measures])
    for name in measures:
        columns[name] = np.nan_to_num(columns[name])
    if "bucket" in ask.keys and ask.filters.grain in ("quarter", "year"):
        grain = ask.filters.grain
        columns["bucket"] = _objects([bucket_start(b, grain) for b in columns["bucket"]])
    return columns


def _needs(ask: _Ask, kpis: Sequence[Kpi]) -> Measures:
    """The measures a set of contact or survey KPIs read, each summed once."""
    measures: Measures = {}
    for kpi in kpis:
        if kpi.family == "survey":
            measures |= dict.fromkeys(SURVEY_MEASURES_OF[kpi.code])
        elif kpi.is_censored:
            measures |= dict.fromkeys(COMPLAINT_MEASURES)
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


def _read_contacts(ask: _Ask, kpis: Sequence[Kpi]) -> Columns:
    sums = _summed(ask, CONTACTS, _needs(ask, kpis))
    if any(kpi.is_censored for kpi in kpis):
        sums["pending"], sums["open"], sums["open_within"] = _open_complaints(ask, sums)
    return sums


def _open_complaints(ask: _Ask, sums: Columns) -> tuple[np.ndarray, ...]:
    """Per row of sums: (pending, open, open_within) complaints received on a day whose 30-day
    deadline had not passed by the latest data (day + 30 > latest day): open counts them all,
    pending those without a reply, open_within those replied within 30 days. Every earlier
    complaint without a reply is late.

    Buckets starting on or after the first open day are open whole: their complaints (already in
    sums) are all open, those without a reply pending. Only the bucket holding the first open
    day is split, by one more read of its open days without a bucket key (whole weeks and at
    most six days, from the weekly and daily aggregates).
    """
    pending, opened_whole, within_whole = (np.zeros(_size(sums)) for _ in range(3))
    if ask.censor is None or not _size(sums):
        return pending, opened_whole, within_whole
    first = max(ask.period.start, ask.censor - timedelta(days=COMPLAINT_DEADLINE_DAYS - 1))
    if first > ask.period.end:
        return pending, opened_whole, within_whole
    unanswered = sums["complaints"] - sums["complaints_replied"]
    keys = tuple(key for key in ask.keys if key != "bucket")
    split = Period(first, ask.period.end)
    opened = np.ones(_size(sums), dtype=bool)
    if "bucket" in ask.keys:
        start = bucket_start(first, ask.filters.grain)
        split = Period(first, min(ask.period.end, _bucket_end(start, ask.filters.grain)))
        buckets = sums["bucket"]
        pending = np.where(buckets > start, unanswered, 0.0)
        opened_whole = np.where(buckets > start, sums["complaints"], 0.0)
        within_whole = np.where(buckets > start, sums["complaints_replied_30d"], 0.0)
        opened = buckets == start
    found = _summed(
        replace(ask, keys=keys, period=split),
        CONTACTS,
        {"pending": _unanswered, "open": _all_complaints, "open_within": _replied_30d},
    )
    _, group = _groups(sums, ask.keys)  # a quarter's or year's months are rows of one bucket:
    once = np.zeros(_size(sums), dtype=bool)  # its split count goes on the first one only
    once[np.unique(group, return_index=True)[1]] = True
    result = []
    wholes = (("pending", pending), ("open", opened_whole), ("open_within", within_whole))
    for name, whole in wholes:
        if keys:
            counts = np.nan_to_num(_lookup(found, keys, sums, name))
        else:
            counts = np.full(_size(sums), found[name].sum())
        result.append(np.where(opened, np.where(once, counts, 0.0), whole))
    return tuple(result)


def _bucket_end(start: date, grain: str) -> date:
    """Last day of the week, month, quarter or year starting on start."""
    if grain == "week":
        return start + timedelta(days=6)
    months = {"month": 0, "quarter": 2, "year": 11}[grain]
    return month_end(add_months(start, months))


def _unanswered(table: Table) -> ColumnElement[Any]:
    return func.sum(table.c.complaints - table.c.complaints_replied)


def _all_complaints(table: Table) -> ColumnElement[Any]:
    return func.sum(table.c.complaints)


def _replied_30d(table: Table) -> ColumnElement[Any]:
    return func.sum(table.c.complaints_replied_30d)


def _read_surveys(ask: _Ask, kpis: Sequence[Kpi]) -> Columns:
    return _summed(ask, SURVEYS, _needs(ask, kpis))


def _measures(columns: Columns) -> list[str]:
    return [name for name in columns if name not in KEY_COLUMNS]


def _contact_kpis(ask: _Ask, kpis: Sequence[Kpi], sums: Columns) -> dict[str, Columns]:
    """Contact KPIs: ratios of summed contact measures (contacts itself is a plain sum)."""
    rolled = _rolled(ask, sums, _measures(sums))
    found = {}
    for kpi in kpis:
        if kpi.is_censored:
            found[kpi.code] = _complaint_kpi(ask, kpi, rolled)
            continue
        if kpi.code == "contacts":
            count = rolled["contacts"]
            found[kpi.code] = _result(ask, rolled, np.where(count > 0, count, np.nan), count)
            continue
        numerator, denominator, scale = CONTACT_RATIOS[kpi.code]
        source = _with_customers(ask, rolled) if kpi.code == "contacts_per_1000" else rolled
        found[kpi.code] = _ratio(ask, source, numerator, denominator, scale)
    return found


def _complaint_kpi(ask: _Ask, kpi: Kpi, rolled: Columns) -> Columns:
    """Written-complaint reply time, censored at the latest data.

    complaint_reply_30d: complaints replied within 30 days ÷ complaints whose 30 days have
    passed by the latest data × 100, with a Wilson interval (a complaint without a reply past
    its 30 days is late, like one replied late). The open window (30 days not passed) is left
    out whole: its replies so far are only the quick ones, so counting them without the pending
    would lift a month still open towards 100%. complaint_reply_days: mean days of the replied
    complaints (n); those without a reply are counted in `unanswered`.
    Fewer than Kpi.min_n complaints in a cell suppress its value (n kept).
    """
    complaints, replied = rolled["complaints"], rolled["complaints_replied"]
    pending = rolled.get("pending", np.zeros(_size(rolled)))
    opened = rolled.get("open", np.zeros(_size(rolled)))
    opened_within = rolled.get("open_within", np.zeros(_size(rolled)))
    nan = np.full(_size(rolled), np.nan)
    if kpi.code == "complaint_reply_days":
        n = replied
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = np.where(n > 0, rolled["complaint_reply_days"] / n, np.nan)
        estimate = stats.Estimate(mean, nan, nan, nan)
    else:
        n = complaints - opened
        within = rolled["complaints_replied_30d"] - opened_within
        estimate = stats.proportion_estimate(within, n)
    left_out = 0.0 if kpi.code == "complaint_reply_days" else opened
    return _censored(ask, kpi, rolled, estimate, n, pending, complaints - replied, left_out)


def _censored(
    ask: _Ask,
    kpi: Kpi,
    columns: Columns,
    estimate: stats.Estimate,
    n: np.ndarray,
    pending: np.ndarray,
    unanswered: np.ndarray,
    opened: np.ndarray | float = 0.0,
) -> Columns:
    """A time-to-reply result: cells on fewer than kpi.min_n cases suppressed (n kept).

    opened: cases of the open window, left out of a share's n. A share whose open window holds
    more cases than its n has no value yet (NaN, not suppressed, provisional): its few settled
    cases would stand for a bucket that is mostly still open.
    """
    suppressed = (n > 0) & (n < kpi.min_n)
    early = np.asarray(opened) > n
    value, low, high, se = (np.where(suppressed | early, np.nan, part) for part in estimate)
    return _result(
        ask, columns, value, n, low=low, high=high, se=se, suppressed=suppressed,
        pending=pending, unanswered=unanswered,
    )  # fmt: skip


def _survey_kpis(ask: _Ask, kpis: Sequence[Kpi], sums: Columns) -> dict[str, Columns]:
    """Survey KPIs with 95% intervals; cells under MIN_RESPONSES are suppressed, n kept.

    Surveys carry no topic: a topic filter does not narrow them.
    """
    rolled = _rolled(ask, sums, _measures(sums))
    found = {}
    for kpi in kpis:
        names = SURVEY_MEASURES_OF[kpi.code]
        n = rolled[names[0]]
        if kpi.code in ("csi", "ces"):
            estimate = stats.mean_estimate(n, rolled[names[1]], rolled[names[2]])
        elif kpi.code == "csat":
            estimate = stats.proportion_estimate(rolled["csat_positive"], n)
        else:
            estimate = stats.nps_estimate(n, rolled["promoters"], rolled["detractors"])
        suppressed = (n > 0) & (n < stats.MIN_RESPONSES)
        value, low, high, se = (np.where(suppressed, np.nan, part) for part in estimate)
        found[kpi.code] = _result(
            ask, rolled, value, n, low=low, high=high, se=se, suppressed=suppressed
        )
    return found


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


def _monthly_customers(ask: _Ask) -> Columns:
    """Customers per month (and province) in the filters' provinces, areas and segments."""
    base = _with_province(CustomerBase.__table__, "month", "area_code", "segment_code", "customers")
    group = [base.c.month, *([base.c.province_code] if "province" in ask.keys else [])]
    query = (
        select(*group, func.sum(base.c.customers).label("customers"))
        .where(*ask.conditions(base, "month"))
        .group_by(*group)
    )
    return ask.fetch(query, [c.name for c in group] + ["customers"])


def _lookup(columns: Columns, keys: Sequence[str], rows: Columns, value: str) -> np.ndarray:
    """For each row of rows, the value of columns at the same keys (NaN where there is none)."""
    known = dict(
        zip(zip(*(columns[key] for key in keys), strict=True), columns[value], strict=True)
    )
    wanted = zip(*(rows[key] for key in keys), strict=True)
    return np.array([known.get(key, np.nan) for key in wanted], dtype="float64")


def _with_customers(ask: _Ask, rolled: Columns) -> Columns:
    """Add `customers`: the mean monthly customer base over each bucket.

    A week takes the base of the month it starts in (or of the period's first month).
    """
    customers = _monthly_customers(ask)
    if not ask.keys:
        mean = customers["customers"].mean() if _size(customers) else np.nan
        return rolled | {"customers": np.full(_size(rolled), mean)}
    if "bucket" in ask.keys and ask.filters.grain == "week":
        start = ask.period.start
        rows = rolled | {
            "month": _objects([max(b, start).replace(day=1) for b in rolled["bucket"]])
        }
        on = ["month", *(["province"] if "province" in ask.keys else [])]
        return rolled | {"customers": _lookup(customers, on, rows, "customers")}
    if "bucket" in ask.keys:
        grain = ask.filters.grain
        customers["bucket"] = _objects([bucket_start(m, grain) for m in customers["month"]])
    groups, inverse = _groups(customers, ask.keys)
    counts = np.bincount(inverse)
    totals = np.bincount(inverse, weights=customers["customers"], minlength=len(counts))
    average = groups | {"customers": totals / np.maximum(counts, 1)}
    return rolled | {"customers": _lookup(average, ask.keys, rolled, "customers")}


@dataclass(frozen=True)
class _Adoption:
    """Adopters per channel and month (and province), and customers per month (and province)."""

    adopters: Columns
    customers: Columns


def _read_adoption(ask: _Ask, kpis: Sequence[Kpi]) -> _Adoption:
    """The adopters of the KPIs' channels and the customer base, per month (and province).

    channel_adoption.users counts customers who used the channel in the 12 months to that month;
    registered counts accounts registered at month end. Adopters take registered where it is
    known and users otherwise, summed over the filters' provinces, areas and segments; the
    filters' channels and topics do not apply: each KPI names its own channel.
    """
    adoption = ChannelAdoption.__table__
    channels = sorted({ADOPTION_CHANNEL[kpi.code] for kpi in kpis})
    rows = _with_province(
        adoption,
        "month",
        "area_code",
        "segment_code",
        "channel_code",
        "users",
        "registered",
        where=adoption.c.channel_code.in_(channels),
    )
    group = [rows.c.channel_code, rows.c.month]
    if "province" in ask.keys:
        group.append(rows.c.province_code)
    adopters = func.sum(func.coalesce(rows.c.registered, rows.c.users)).label("adopters")
    query = select(*group, adopters).where(*ask.conditions(rows, "month")).group_by(*group)
    return _Adoption(
        ask.fetch(query, [c.name for c in group] + ["adopters"]), _monthly_customers(ask)
    )


def _adoption_kpis(ask: _Ask, kpis: Sequence[Kpi], sums: _Adoption) -> dict[str, Columns]:
    """Channel adoption at each bucket's last month with data: adopters over the customer base
    of the same month, areas and segments. On a week grain a month's figure sits in the week
    holding its first day (or the period's first day).
    """
    names = ["month", *(["province"] if "province" in ask.keys else [])]
    customers = _summed_by(sums.customers, names, ["customers"])
    found = {}
    for kpi in kpis:
        mine = _take(sums.adopters, sums.adopters["channel_code"] == ADOPTION_CHANNEL[kpi.code])
        monthly = _summed_by(mine, names, ["adopters"])  # sorted by month (then province)
        monthly["customers"] = _lookup(customers, names, monthly, "customers")
        if "bucket" in ask.keys:
            start, grain = ask.period.start, ask.filters.grain
            monthly["bucket"] = _objects(
                [bucket_start(max(m, start), grain) for m in monthly["month"]]
            )
        groups, inverse = _groups(monthly, ask.keys)
        count = len(next(iter(groups.values()))) if groups else int(len(inverse) > 0)
        last = np.full(count, -1, dtype=np.intp)
        np.maximum.at(last, inverse, np.arange(len(inverse)))
        found[kpi.code] = _ratio(ask, _take(monthly, last), "adopters", "customers", 100.0)
    return found


def _read_associations(ask: _Ask, _kpis: Sequence[Kpi]) -> Columns:
    """Association cases per bucket (and province): cases, answered, days (and their squares),
    answered within target, pending and open (opened in the window whose target has not passed).

    Cases count in the bucket of their opening day. The target is the general kpi_target for
    'association_reply_days' in force at the period's end (30 days when there is none). A case
    without an answer is pending while its target had not passed by the latest data (opened
    on + target > latest day), late afterwards. Channels and segments do not apply: cases
    carry neither (Kpi.ignored_by).
    """
    target = target_for(engine=ask.connection, kpi="association_reply_days", on=ask.period.end)
    limit = target.threshold if target is not None else DEFAULT_ASSOCIATION_TARGET_DAYS
    cases = _with_province(
        AssociationCase.__table__, "opened_on", "month", "reply_days", "area_code", "topic_code"
    )
    days = cases.c.reply_days
    group = []
    if "bucket" in ask.keys:  # weeks from opening days, other buckets from months
        group.append(cases.c.opened_on if ask.filters.grain == "week" else cases.c.month)
    if "province" in ask.keys:
        group.append(cases.c.province_code)
    names = [column.name for column in group]
    settled = ("cases", "answered", "days", "days_squared", "within")
    query = (
        select(
            *group,
            func.count().label("cases"),
            func.count(days).label("answered"),
            func.sum(days).label("days"),
            func.sum(days * days).label("days_squared"),
            func.sum(case((days <= limit, 1), else_=0)).label("within"),
        )
        .where(*ask.conditions(cases, "opened_on"))
        .group_by(*group)
    )
    columns = ask.fetch(query, names + list(settled))
    window = ("pending", "open", "open_within")
    for name in window:
        columns[name] = np.zeros(_size(columns))
    if ask.censor is not None and _size(columns):
        # the open window is a few weeks at the end: read on its own, so the scan of the whole
        # period carries no CASE per row for it
        first_open = ask.censor - timedelta(days=math.ceil(limit) - 1)
        recent = (
            select(
                *group,
                func.sum(case((days.is_(None), 1), else_=0)).label("pending"),
                func.count().label("open"),
                func.sum(case((days <= limit, 1), else_=0)).label("open_within"),
            )
            .where(cases.c.opened_on >= first_open, *ask.conditions(cases, "opened_on"))
            .group_by(*group)
        )
        found = ask.fetch(recent, names + list(window))
        keys = ["province" if name == "province_code" else name for name in names]
        for name in window:
            columns[name] = (
                _lookup(found, keys, columns, name) if keys else np.full(1, found[name].sum())
            )
    for name in ASSOCIATION_MEASURES:
        columns[name] = np.nan_to_num(columns[name])
    if "bucket" in ask.keys:
        days = columns.pop("opened_on" if ask.filters.grain == "week" else "month")
        columns["bucket"] = _objects([bucket_start(day, ask.filters.grain) for day in days])
    return columns


def _association_kpis(ask: _Ask, kpis: Sequence[Kpi], sums: Columns) -> dict[str, Columns]:
    """Association cases by opening day, censored at the latest data.

    association_reply_days: mean days to answer over the answered cases (n), with a normal 95%
    interval; cases without an answer are counted in `unanswered`. association_within_target:
    cases answered within target ÷ cases whose target has passed by the latest data × 100 (a
    case past its target without an answer is late; the open window is left out whole), with a
    Wilson interval. Fewer than Kpi.min_n cases in a cell suppress its value (n kept).
    """
    rolled = _rolled(ask, sums, list(ASSOCIATION_MEASURES))
    found = {}
    unanswered = rolled["cases"] - rolled["answered"]
    for kpi in kpis:
        opened: np.ndarray | float = 0.0
        if kpi.code == "association_reply_days":
            n = rolled["answered"]
            estimate = stats.mean_estimate(n, rolled["days"], rolled["days_squared"])
        else:  # the open window is left out whole
            n = rolled["cases"] - rolled["open"]
            within = rolled["within"] - rolled["open_within"]
            opened = rolled["open"]
            estimate = stats.proportion_estimate(within, n)
        found[kpi.code] = _censored(
            ask, kpi, rolled, estimate, n, rolled["pending"], unanswered, opened
        )
    return found


READ: dict[str, Callable[[_Ask, Sequence[Kpi]], Any]] = {
    "contact": _read_contacts,
    "survey": _read_surveys,
    "adoption": _read_adoption,
    "association": _read_associations,
}
COMPUTE: dict[str, Callable[[_Ask, Sequence[Kpi], Any], dict[str, Columns]]] = {
    "contact": _contact_kpis,
    "survey": _survey_kpis,
    "adoption": _adoption_kpis,
    "association": _association_kpis,
}
