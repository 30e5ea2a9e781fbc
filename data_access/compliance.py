"""ARERA compliance of the phone lines: LS, TMA and AS per month and province against the
standard in force in each month (the targets table, `valid_from`), the months met per province,
and the water rule (RQSII: LS ≥ 80% in at least 10 of 12 months).

A month meets its standard when its value, rounded as the page shows it (the KPI's decimals,
i18n.shown), is on the right side of the threshold rounded the same way: 79,96% reads "80,0%"
and meets "≥ 80,0%", as on the overview's tiles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access.filters import Filters
from data_access.i18n import shown
from data_access.kpis import KPIS
from data_access.models import KpiTarget, Province, table_of
from data_access.periods import Period, add_months
from data_access.queries import kpi_series
from data_access.scope import Scope

ARERA_KPIS = ("service_level", "average_wait", "line_accessibility")  # LS, TMA, AS
Status = Literal["met", "missed", "no_standard", "no_data"]
STATUSES: tuple[Status, ...] = ("met", "missed", "no_standard", "no_data")
GRID_COLUMNS = ("bucket", "province", "value", "n", "threshold", "direction", "source",
                "valid_from", "status")  # fmt: skip


@dataclass(frozen=True)
class WaterRule:
    """A standard met when a KPI is on the right side of a threshold in `months` of `of` months."""

    kpi: str
    threshold: float
    direction: Literal["min", "max"]
    months: int
    of: int


# ARERA RQSII (water, delibera 655/2015/R/idr): LS ≥ 80% in at least 10 of the last 12 months
WATER_RULE = WaterRule(kpi="service_level", threshold=80.0, direction="min", months=10, of=12)


def month_starts(period: Period) -> list[date]:
    """The first day of every month the period touches, oldest first."""
    first = period.start.replace(day=1)
    return [add_months(first, step) for step in range(period.months)]


def standards_by_month(
    *, engine: Engine, kpi: str, months: Sequence[date], provinces: Iterable[str]
) -> dict[tuple[date, str], KpiTarget | None]:
    """The standard in force on each month's first day for each province, read in one query.

    Picked as targets.targets_for picks: a province's own target wins over the general one,
    then the latest valid_from (then the latest row).
    """
    target, province = table_of(KpiTarget), table_of(Province)
    query = (
        select(target, province.c.sigla)
        .outerjoin(province, province.c.code == target.c.province_code)
        .where(target.c.kpi == kpi)
        .order_by(target.c.valid_from.desc(), target.c.id.desc())
    )
    with engine.connect() as connection:
        rows = [row._asdict() for row in connection.execute(query)]
    found: dict[tuple[date, str], KpiTarget | None] = {}
    standards: dict[int, KpiTarget] = {}  # each row validated once, however many cells it rules
    for sigla in provinces:
        mine = [row for row in rows if row["sigla"] in (None, sigla)]
        for month in months:
            valid = [row for row in mine if row["valid_from"] <= month]
            own = [row for row in valid if row["sigla"] == sigla]
            chosen = next(iter(own or valid), None)
            if chosen is None:
                found[month, sigla] = None
                continue
            if chosen["id"] not in standards:
                standards[chosen["id"]] = KpiTarget.model_validate(chosen)
            found[month, sigla] = standards[chosen["id"]]
    return found


def judged(value: float, threshold: float, direction: str, decimals: int) -> bool:
    """True when value, as shown, meets threshold (at least for "min", at most for "max")."""
    seen, bound = shown(value, decimals), shown(threshold, decimals)
    return seen >= bound if direction == "min" else seen <= bound


def compliance_grid(
    *, engine: Engine, filters: Filters, scope: Scope, kpi: str, period: Period
) -> pd.DataFrame:
    """kpi per month and province against the standard in force in that month.

    One row per month of the period × province with data for kpi in the period (sigla), month
    by month whatever the view's grain: bucket (month start), province, value, n, threshold,
    direction, source, valid_from (None where no standard is in force) and status: met,
    missed, no_standard (a value but no standard that month) or no_data. Scope and the view's
    filters apply as in kpi_series. No data at all gives an empty frame.
    """
    if kpi not in ARERA_KPIS:
        raise ValueError(f"{kpi!r} is not an ARERA call-centre KPI ({', '.join(ARERA_KPIS)})")
    monthly = filters.narrowed(grain="month")
    series = kpi_series(
        engine=engine, filters=monthly, scope=scope, kpi=kpi, by=("bucket", "province"),
        period=period,
    )  # fmt: skip
    if series.empty:
        return pd.DataFrame({column: [] for column in GRID_COLUMNS})
    months = month_starts(period)
    provinces = sorted(set(series["province"]))
    standards = standards_by_month(engine=engine, kpi=kpi, months=months, provinces=provinces)
    buckets = [pd.Timestamp(bucket).date() for bucket in series["bucket"].tolist()]
    known = dict(
        zip(
            zip(buckets, series["province"].tolist(), strict=True),
            zip(series["value"].tolist(), series["n"].tolist(), strict=True),
            strict=True,
        )
    )
    decimals = KPIS[kpi].decimals
    # the grid's columns, row by row (month, then province): one frame of lists, not of dicts
    columns: dict[str, list[object]] = {column: [] for column in GRID_COLUMNS}
    for month in months:
        for sigla in provinces:
            value, n = known.get((month, sigla), (np.nan, 0.0))
            standard = standards[month, sigla]
            status: Status
            if value is None or np.isnan(value):
                status = "no_data"
            elif standard is None:
                status = "no_standard"
            elif judged(float(value), standard.threshold, standard.direction, decimals):
                status = "met"
            else:
                status = "missed"
            for column, item in zip(GRID_COLUMNS, (
                month, sigla, float(value), float(n),
                np.nan if standard is None else standard.threshold,
                None if standard is None else standard.direction,
                None if standard is None else standard.source,
                None if standard is None else standard.valid_from,
                status,
            ), strict=True):  # fmt: skip
                columns[column].append(item)
    return pd.DataFrame(columns)


def months_met(grid: pd.DataFrame) -> pd.DataFrame:
    """Per province of a compliance_grid: months with a value, months judged (a standard in
    force), months met and months missed; provinces in the grid's order (sigla).
    """
    columns = ["province", "months", "judged", "met", "missed"]
    if grid.empty:
        return pd.DataFrame({column: [] for column in columns})
    # counted per province as arrays: a groupby of the grid costs ~1.5 ms here
    provinces, group = np.unique(grid["province"].to_numpy(dtype=object), return_inverse=True)
    status = grid["status"].to_numpy(dtype=object)
    size = len(provinces)
    met = np.bincount(group, weights=status == "met", minlength=size).astype(np.int64)
    missed = np.bincount(group, weights=status == "missed", minlength=size).astype(np.int64)
    with_value = np.bincount(group, weights=status != "no_data", minlength=size).astype(np.int64)
    counted = (provinces.tolist(), with_value, met + missed, met, missed)
    return pd.DataFrame(dict(zip(columns, counted, strict=True)))


def water_rule(grid: pd.DataFrame, period: Period, rule: WaterRule = WATER_RULE) -> pd.DataFrame:
    """Per province of rule.kpi's compliance_grid: months on the rule's side of its threshold
    (as shown), months with a value, and whether the rule holds.

    The rule counts `rule.of` months: `holds` is True or False only for a period of exactly
    that many whole months, None otherwise (the page says which period to choose).
    """
    columns = ["province", "months_at", "months", "holds"]
    if grid.empty:
        return pd.DataFrame({column: [] for column in columns})
    decimals = KPIS[rule.kpi].decimals
    countable = period.whole_months and period.months == rule.of
    values: dict[str, list[float]] = {}  # per province: its months' values (a groupby costs more)
    for sigla, value in zip(grid["province"].tolist(), grid["value"].tolist(), strict=True):
        known = values.setdefault(sigla, [])
        if not np.isnan(value):
            known.append(float(value))
    rows = []
    for sigla in sorted(values):
        known = values[sigla]
        at = sum(judged(v, rule.threshold, rule.direction, decimals) for v in known)
        holds = (at >= rule.months) if countable else None
        rows.append([sigla, at, len(known), holds])
    return pd.DataFrame(rows, columns=columns)
