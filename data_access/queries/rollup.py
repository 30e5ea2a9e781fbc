"""The rollup engine: a family's measures summed in SQL over a period's parts (months, weeks,
days), rolled up in numpy to each question's keys, and shaped into results."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from sqlalchemy import ColumnElement, Select, Subquery, Table, func, select, union_all
from sqlalchemy.engine import Connection

from data_access import stats
from data_access.aggregates import Aggregates
from data_access.dimensions import DIMENSIONS, Dimension
from data_access.filters import Filters
from data_access.kpis import KPIS, Kpi
from data_access.models import Area, table_of
from data_access.periods import Period, bucket_span, bucket_start

ONE_DAY = timedelta(days=1)
Keys = tuple[str, ...]
Columns = dict[str, np.ndarray]  # columns of equal length: group keys, then measures or results
Measures = dict[str, Callable[[Table], ColumnElement[Any]] | None]  # None: sum of the column
Part = tuple[str, Period]  # grain of the aggregate to read ("day", "week", "month"), its days
# a result's keys: the bucket, then any dimension by its URL parameter (dimensions.DIMENSIONS)
BY_KEY: dict[str, Dimension] = {dimension.param: dimension for dimension in DIMENSIONS}
KEY_ORDER = ("bucket", *BY_KEY)
KEY_OF_COLUMN = {dimension.column: dimension.param for dimension in DIMENSIONS}
KEY_COLUMNS = frozenset({*KEY_ORDER, *KEY_OF_COLUMN, "month", "opened_on"})


@dataclass(frozen=True)
class Ask:
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

    def conditions(
        self, table: Table | Subquery, date_column: str, ignored: Collection[str] = ()
    ) -> list[Any]:
        """Filters' conditions with the scope-checked provinces, over the period; ignored: the
        dimensions the table's figures do not depend on (Filters.conditions).
        """
        return self.filters.conditions(
            table,
            period=self.period,
            province_codes=self.codes,
            date_column=date_column,
            ignored=ignored,
        )

    @property
    def dimensions(self) -> list[Dimension]:
        """The dimensions among the question's keys, in the order of the keys."""
        return [BY_KEY[key] for key in self.keys if key in BY_KEY]

    def fetch(self, query: Select[Any], names: Sequence[str]) -> Columns:
        """Run query; its columns as arrays: keys as objects (a dimension's code column is named
        by its key, province_code becomes the province's sigla), measures as floats with NULL
        as NaN.
        """
        rows = self.connection.execute(query).all()
        values = list(zip(*rows, strict=True)) if rows else [()] * len(names)
        columns: Columns = {}
        for name, column in zip(names, values, strict=True):
            if name == "province_code":
                columns["province"] = object_array([self.sigla_of[code] for code in column])
            elif name in KEY_OF_COLUMN:
                columns[KEY_OF_COLUMN[name]] = object_array(column)
            elif name in KEY_COLUMNS:
                columns[name] = object_array(column)
            else:
                columns[name] = np.array(column, dtype="float64")
        return columns


class Family(NamedTuple):
    """How a KPI family is answered: `read` sums what its KPIs need once per period, at the
    finest keys asked for; `kpis` computes each KPI's result from those sums at a question's
    (possibly coarser) keys.
    """

    read: Callable[[Ask, Sequence[Kpi]], Any]
    kpis: Callable[[Ask, Sequence[Kpi], Any], dict[str, Columns]]


def object_array(values: Sequence[Any]) -> np.ndarray:
    """values as a 1-d object array (dates and strings kept as they are, never as 2-d)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def kpi_named(code: str) -> Kpi:
    """The registry's KPI of code; ValueError for an unknown code."""
    try:
        return KPIS[code]
    except KeyError:
        raise ValueError(f"unknown KPI {code!r}") from None


def row_count(columns: Columns) -> int:
    """The number of rows of columns (0 without columns)."""
    return len(next(iter(columns.values()))) if columns else 0


def distinct_groups(columns: Columns, keys: Sequence[str]) -> tuple[Columns, np.ndarray]:
    """The distinct combinations of keys, sorted, and each row's group number."""
    size = row_count(columns)
    if not keys:
        return {}, np.zeros(size, dtype=np.intp)
    combined = np.zeros(size, dtype=np.int64)
    for key in keys:
        distinct, codes = np.unique(columns[key], return_inverse=True)
        combined = combined * max(len(distinct), 1) + codes.reshape(-1)
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    return {key: columns[key][first] for key in keys}, inverse.reshape(-1)


def take_rows(columns: Columns, rows: np.ndarray) -> Columns:
    """The given rows (indices or a mask) of every column."""
    return {name: column[rows] for name, column in columns.items()}


def summed_by(columns: Columns, keys: Sequence[str], measures: Sequence[str]) -> Columns:
    """Measures summed per distinct keys, sorted by them."""
    groups, inverse = distinct_groups(columns, keys)
    count = len(next(iter(groups.values()))) if groups else int(row_count(columns) > 0)
    return groups | {
        name: np.bincount(inverse, weights=columns[name], minlength=count) for name in measures
    }


def rolled_up(ask: Ask, columns: Columns, measures: Sequence[str]) -> Columns:
    """Measures summed from finer keys to the question's keys, sorted by them.

    Without keys, a period with nothing but zeros counts as no data (no rows).
    """
    if not ask.keys and not any(columns[name].any() for name in measures):
        return {name: np.empty(0) for name in measures}
    return summed_by(columns, ask.keys, measures)


def measure_names(columns: Columns) -> list[str]:
    """The columns that are measures, not keys."""
    return [name for name in columns if name not in KEY_COLUMNS]


def looked_up(columns: Columns, keys: Sequence[str], rows: Columns, value: str) -> np.ndarray:
    """For each row of rows, the value of columns at the same keys (NaN where there is none)."""
    known = dict(
        zip(zip(*(columns[key] for key in keys), strict=True), columns[value], strict=True)
    )
    wanted = zip(*(rows[key] for key in keys), strict=True)
    return np.array([known.get(key, np.nan) for key in wanted], dtype="float64")


def result_columns(
    ask: Ask,
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
    size = row_count(columns)
    result: Columns = {key: columns[key] for key in ask.keys}
    for name, values in (("value", value), ("n", n), ("ci_low", low), ("ci_high", high),
                         ("se", se), ("pending", pending),
                         ("unanswered", unanswered)):  # fmt: skip
        result[name] = _read_only(values, "float64", size)
    result["suppressed"] = _read_only(suppressed, bool, size)
    result["provisional"] = result["pending"] > 0
    return result


def _read_only(values: ArrayLike, dtype: Any, size: int) -> np.ndarray:
    """values as a read-only array of size (scalars repeated), as np.broadcast_to gives it but
    without its cost (~3-5 µs, and a result has eight such columns)."""
    array = np.asarray(values, dtype=dtype)
    if array.shape == (size,):
        array = array.view()
    elif array.ndim == 0:
        array = np.full(size, array, dtype=dtype)
    else:
        return np.broadcast_to(array, size)
    array.flags.writeable = False
    return array


def zero_nan(values: np.ndarray) -> np.ndarray:
    """values with NaN as 0 (and ±inf as the largest finite floats), as np.nan_to_num gives
    them; values themselves when all are finite (np.nan_to_num costs ~6 µs a call)."""
    return values if np.isfinite(values).all() else np.nan_to_num(values)


def ratio_result(
    ask: Ask, columns: Columns, numerator: str, denominator: str, scale: float
) -> Columns:
    """value = numerator ÷ denominator × scale where the denominator is > 0, else NaN."""
    num, den = columns[numerator], columns[denominator]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(den > 0, num / den * scale, np.nan)
    return result_columns(ask, columns, value, zero_nan(den))


def censored_result(
    ask: Ask,
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
    return result_columns(
        ask, columns, value, n, low=low, high=high, se=se, suppressed=suppressed,
        pending=pending, unanswered=unanswered,
    )  # fmt: skip


def _parts(ask: Ask) -> list[Part]:
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


def summed_measures(ask: Ask, family: Aggregates, measures: Measures) -> Columns:
    """Measures summed per the question's keys over the period, in one statement."""
    tables = {"day": family.daily, "week": family.weekly, "month": family.monthly}
    if family.by_province is not None and _covers(family.by_province, ask):
        tables["month"] = family.by_province  # same sums, a few rows a month
    bucket_column = "week" if ask.filters.grain == "week" else "month"
    names = [BY_KEY[key].column if key in BY_KEY else key for key in ask.keys]
    selects = []
    for grain, part in _parts(ask):
        table = tables[grain]
        conditions = replace(ask, period=part).conditions(table, grain)
        group: list[ColumnElement[Any]] = []
        for key in ask.keys:
            if key == "bucket":
                group.append(table.c[bucket_column].label("bucket"))
            else:
                group.append(table.c[BY_KEY[key].column])
        sums = [
            (func.sum(table.c[name]) if build is None else build(table)).label(name)
            for name, build in measures.items()
        ]
        selects.append(select(*group, *sums).where(*conditions).group_by(*group))
    if len(selects) == 1:
        query = selects[0]
    else:
        rows = union_all(*selects).subquery()
        keys = [rows.c[column] for column in names]
        query = select(*keys, *(func.sum(rows.c[m]).label(m) for m in measures)).group_by(*keys)
    columns = ask.fetch(query, [*names, *measures])
    for name in measures:
        columns[name] = zero_nan(columns[name])
    if "bucket" in ask.keys and ask.filters.grain in ("quarter", "year"):
        grain = ask.filters.grain
        columns["bucket"] = object_array([bucket_start(b, grain) for b in columns["bucket"]])
    return columns


def _covers(table: Table, ask: Ask) -> bool:
    """True when table has the column of every dimension the question selects or groups by."""
    used = {d.column for d in DIMENSIONS if getattr(ask.filters, d.attr)}
    return {*used, *(d.column for d in ask.dimensions)} <= set(table.c.keys())


@cache
def with_province(table: Table, *columns: str) -> Subquery:
    """A subquery of table's columns plus the province of each row's area.

    Made once per table and columns: a new subquery builds its column collection again on
    every statement (about 0.5 ms each).
    """
    area = table_of(Area)
    query = select(*(table.c[c] for c in columns), area.c.province_code).join(
        area, area.c.code == table.c.area_code
    )
    return query.subquery()
