"""The public KPI queries: each KPI family read once per period through its entry in
FAMILIES, rolled up to every shape asked for, and shaped as frames, KpiValues or a KpiBoard."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from data_access import stats
from data_access.filters import Filters
from data_access.kpis import Kpi
from data_access.models import Province, table_of
from data_access.periods import Period
from data_access.queries import adoption, associations, contacts, surveys
from data_access.queries.rollup import (
    BY_KEY,
    KEY_ORDER,
    Ask,
    Columns,
    Family,
    Keys,
    kpi_named,
    object_array,
    row_count,
)
from data_access.queries.store import latest_day, latest_day_on
from data_access.scope import Scope

# the groupings the pages have always asked for; any bucket and dimension keys may be (_keys)
BY_CHOICES: tuple[tuple[str, ...], ...] = (("bucket",), ("bucket", "province"), ("province",))
Shape = tuple[Keys, int]  # grouping keys, index of the period it is over
Results = dict[tuple[str, Keys, int], Columns]  # per (KPI code, keys, period index)
RESULT_COLUMNS = ("value", "n", "ci_low", "ci_high", "se", "suppressed", "provisional",
                  "pending", "unanswered")  # fmt: skip
COUNT_COLUMNS = ("pending", "unanswered")
MISSING_ROW = {"value": math.nan, "n": 0.0, "ci_low": math.nan, "ci_high": math.nan,
               "se": math.nan, "suppressed": False, "provisional": False, "pending": 0.0,
               "unanswered": 0.0}  # fmt: skip


# each KPI family's reader and KPI computer (Kpi.family -> Family)
FAMILIES: dict[str, Family] = {
    "contact": contacts.FAMILY,
    "survey": surveys.FAMILY,
    "adoption": adoption.FAMILY,
    "association": associations.FAMILY,
}


@dataclass(frozen=True)
class KpiValue:
    """One KPI over a period, with its comparison period; NaN where undefined or suppressed.

    ci_* are NaN for KPIs without an interval (Kpi.has_interval), and so are se and
    comparison_se, the standard errors the intervals were built from (in the KPI's unit);
    `change` is value − comparison_value (points for percentages); `significant` is None for
    KPIs without an interval and whenever either side is missing or provisional.

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
    se: float = math.nan
    comparison_se: float = math.nan


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

    def columns(self, code: str) -> Mapping[str, np.ndarray]:
        """The frame of code as its column arrays, without building the DataFrame."""
        return self._results[code]

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
    """A KPI per bucket and/or dimension: the keys of `by`, then value, n, ci_low, ci_high, se,
    suppressed, provisional (bool), pending and unanswered (int).

    by names "bucket" and any dimensions by URL parameter ("province", "channel", "segment",
    "area", "topic"; dimensions.DIMENSIONS) the KPI depends on (Kpi.dimensions), e.g.
    ("bucket", "channel"). bucket is the start of the week/month/quarter/year at filters.grain;
    province is the sigla; the other dimensions their codes.
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
    definitions = [kpi_named(code) for code in dict.fromkeys(kpis)]
    keys = _keys(by, definitions)
    latest = latest_day(engine) if period is None else None
    period = period or filters.resolve(latest)
    found = _kpi_results(engine, filters, scope, definitions, [(keys, 0)], [period], latest)
    return {kpi.code: _frame(found[kpi.code, keys, 0], keys) for kpi in definitions}


def kpi_series_shapes(
    *,
    engine: Engine,
    filters: Filters,
    scope: Scope,
    kpis: Sequence[str],
    shapes: Sequence[Sequence[str]],
    period: Period | None = None,
) -> dict[tuple[str, Keys], pd.DataFrame]:
    """Several KPIs in several groupings (each a kpi_series `by`) on one connection, each
    family's sums read once at the finest keys of the shapes and rolled up to the others:
    by (KPI code, keys), the frames kpi_series gives.
    """
    definitions = [kpi_named(code) for code in dict.fromkeys(kpis)]
    wanted = list(dict.fromkeys(_keys(by, definitions) for by in shapes))
    latest = latest_day(engine) if period is None else None
    period = period or filters.resolve(latest)
    asked: list[Shape] = [(keys, 0) for keys in wanted]
    found = _kpi_results(engine, filters, scope, definitions, asked, [period], latest)
    return {
        (kpi.code, keys): _frame(found[kpi.code, keys, 0], keys)
        for kpi in definitions
        for keys in wanted
    }


def _keys(by: Sequence[str], kpis: Sequence[Kpi]) -> Keys:
    """by as grouping keys: 'bucket' and dimensions by URL parameter ('province', 'channel',
    'segment', ...), each once and in KEY_ORDER, every dimension one that each KPI's figures
    depend on.
    """
    keys = tuple(by)
    if keys != tuple(key for key in KEY_ORDER if key in keys):
        raise ValueError(f"by must be one of the keys {KEY_ORDER}, each once, in order: {keys}")
    for kpi in kpis:
        for key in keys:
            if key in BY_KEY and BY_KEY[key].attr not in kpi.dimensions:
                raise ValueError(f"{kpi.code} does not depend on {key}: it cannot be grouped by it")
    return keys


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
    definitions = [kpi_named(code) for code in dict.fromkeys(kpis)]
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
    definitions = [kpi_named(code) for code in dict.fromkeys(kpis)]
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


def _frame(result: Columns, keys: Keys) -> pd.DataFrame:
    """A keyed result as the frame kpi_series returns."""
    columns = {name: result[name] for name in (*keys, *RESULT_COLUMNS)}
    for name in COUNT_COLUMNS:  # counts as integers (numpy, cheaper than DataFrame.astype)
        columns[name] = columns[name].astype(np.int64)
    return pd.DataFrame(columns)


def _row(result: Columns) -> dict[str, Any]:
    """A whole-period result as one row; a period without data gives the missing row."""
    if not row_count(result):
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
        se=float(now["se"]),
        comparison_se=nan if before is None else float(before["se"]),
    )


def _estimate(row: dict[str, Any]) -> stats.Estimate:
    return stats.Estimate(*(np.float64(row[c]) for c in ("value", "ci_low", "ci_high", "se")))


def visible_province_codes(
    connection: Connection, siglas: frozenset[str] | None
) -> frozenset[str] | None:
    """ISTAT codes of the visible sigle (None: no limit; unknown sigle match nothing)."""
    if siglas is None:
        return None
    if not siglas:
        return frozenset()
    province = table_of(Province).c
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
            censor = latest_day_on(connection)
        codes = visible_province_codes(connection, scope.visible(filters.provinces))
        sigla_of: dict[str, str] = {}
        if any("province" in keys for keys, _ in shapes):
            province = table_of(Province).c
            sigla_of = dict(connection.execute(select(province.code, province.sigla)).all())
        for index, period in enumerate(periods):
            wanted = list(dict.fromkeys(keys for keys, at in shapes if at == index))
            if period is None:
                for keys in wanted:
                    for kpi in kpis:
                        found[kpi.code, keys, index] = _no_rows(keys)
                continue
            finest = tuple(key for key in KEY_ORDER if any(key in keys for keys in wanted))
            ask = Ask(connection, filters, codes, finest, period, latest, sigla_of, censor)
            sums = {
                family: FAMILIES[family].read(ask, members) for family, members in families.items()
            }
            for keys in wanted:
                shaped = replace(ask, keys=keys)
                for family, members in families.items():
                    computed = FAMILIES[family].kpis(shaped, members, sums[family])
                    for code, result in computed.items():
                        found[code, keys, index] = result
    return found


def ask_for(
    connection: Connection,
    filters: Filters,
    scope: Scope,
    keys: Keys,
    period: Period,
    latest: date | None = None,
) -> Ask:
    """The rollup engine's question for filters and scope over period, grouped by keys, on an
    open connection (latest: the latest data day when known, so a period reaching it reads
    whole buckets): for queries that read a family's sums their own way.
    """
    codes = visible_province_codes(connection, scope.visible(filters.provinces))
    sigla_of: dict[str, str] = {}
    if "province" in keys:
        province = table_of(Province).c
        sigla_of = dict(connection.execute(select(province.code, province.sigla)).all())
    return Ask(connection, filters, codes, keys, period, latest, sigla_of)


@contextmanager
def asking(
    engine: Engine, filters: Filters, scope: Scope, keys: Keys, period: Period
) -> Iterator[Ask]:
    """One question over period at keys on a new connection (queries.channels)."""
    with engine.connect() as connection:
        yield ask_for(connection, filters, scope, keys, period)


def _no_rows(keys: Keys) -> Columns:
    empty: Columns = {key: object_array([]) for key in keys}
    measures = ("value", "n", "ci_low", "ci_high", "se", *COUNT_COLUMNS)
    empty |= {name: np.empty(0) for name in measures}
    return empty | {name: np.empty(0, dtype=bool) for name in ("suppressed", "provisional")}
