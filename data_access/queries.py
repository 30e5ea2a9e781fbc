"""KPI queries for the pages: the only reader of the aggregates, scope applied in every query.

Every public function takes keyword-only `engine`, `filters` and `scope`. The scope is resolved
here (Scope.visible(filters.provinces) -> sigle -> ISTAT codes); an empty scope gives no rows.

Strategy: sum the measures a KPI needs in SQL, grouped by bucket and/or province, from the
monthly aggregates when the period is made of whole months (a period ending on or after the
latest data day counts as whole) and the grain is month, quarter or year; from the daily
aggregates otherwise. Months roll up to quarters and years in pandas, where the KPI is then
computed from the summed measures, so every ratio is a ratio of sums and never a division by 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Subquery, Table, case, func, select
from sqlalchemy.engine import Connection, Engine

from data_access import stats
from data_access.filters import Filters, Period
from data_access.kpis import KPIS, Kpi
from data_access.models import (
    Area,
    AssociationCase,
    Channel,
    ChannelAdoption,
    ContactDaily,
    ContactMonthly,
    CustomerBase,
    ImportBatch,
    Province,
    Segment,
    SurveyDaily,
    SurveyMonthly,
    Topic,
)
from data_access.scope import Scope
from data_access.targets import target_for

BY_CHOICES: tuple[tuple[str, ...], ...] = (("bucket",), ("bucket", "province"), ("province",))
SERIES_COLUMNS = ("value", "n", "ci_low", "ci_high", "suppressed")
DEFAULT_ASSOCIATION_TARGET_DAYS = 30.0

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
    days: list[date] = []
    with engine.connect() as connection:
        for table in (ContactDaily.__table__, SurveyDaily.__table__):
            # max(month) first: the primary key starts with month, so both steps use the index
            last_month = select(func.max(table.c.month)).scalar_subquery()
            found = connection.execute(
                select(func.max(table.c.day)).where(table.c.month == last_month)
            ).scalar()
            if found is not None:
                days.append(found)
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
    keys = tuple(by)
    if keys not in BY_CHOICES:
        raise ValueError(f"by must be one of {BY_CHOICES}, not {keys}")
    latest = latest_day(engine)
    period = period or filters.resolve(latest)
    frame = _kpi_frame(engine, filters, scope, _kpi(kpi), keys, period, latest)
    return frame.drop(columns="se")


def kpi_value(*, engine: Engine, filters: Filters, scope: Scope, kpi: str) -> KpiValue:
    """A KPI over filters' period and its comparison period, with change and significance."""
    definition = _kpi(kpi)
    latest = latest_day(engine)
    period = filters.resolve(latest)
    compared = filters.comparison(period)
    now = _kpi_frame(engine, filters, scope, definition, (), period, latest).iloc[0]
    before = (
        _kpi_frame(engine, filters, scope, definition, (), compared, latest).iloc[0]
        if compared is not None
        else None
    )
    significant = None
    if before is not None and definition.is_estimate:
        significant = stats.significant_change(_estimate(now), _estimate(before))
    nan = math.nan
    return KpiValue(
        kpi=definition.code,
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


def _sigla_of(connection: Connection) -> dict[str, str]:
    province = Province.__table__.c
    return dict(connection.execute(select(province.code, province.sigla)).all())


def _empty(keys: tuple[str, ...]) -> pd.DataFrame:
    columns = [*(("province_code" if k == "province" else k) for k in keys)]
    return pd.DataFrame(columns=[*columns, "value", "n", "ci_low", "ci_high", "se", "suppressed"])


def _kpi_frame(
    engine: Engine,
    filters: Filters,
    scope: Scope,
    kpi: Kpi,
    keys: tuple[str, ...],
    period: Period | None,
    latest: date | None,
) -> pd.DataFrame:
    """The KPI per keys (bucket, province) with value, n, ci_low, ci_high, se, suppressed."""
    with engine.connect() as connection:
        codes = _province_codes(connection, scope.visible(filters.provinces))
        if period is None:
            frame = _empty(keys)
        elif kpi.family == "survey":
            frame = _survey_kpi(connection, filters, codes, kpi, keys, period, latest)
        elif kpi.family == "adoption":
            frame = _adoption_kpi(connection, filters, codes, kpi, keys, period)
        elif kpi.family == "association":
            frame = _association_kpi(engine, connection, filters, codes, kpi, keys, period)
        else:
            frame = _contact_kpi(connection, filters, codes, kpi, keys, period, latest)
        sigla_of = _sigla_of(connection) if "province" in keys else {}
    if not keys and frame.empty:
        frame = pd.DataFrame(
            [{"value": np.nan, "n": 0.0, "ci_low": np.nan, "ci_high": np.nan, "se": np.nan}]
        ).assign(suppressed=False)
    frame = frame.astype(
        {c: "float64" for c in ("value", "n", "ci_low", "ci_high", "se")} | {"suppressed": bool}
    )
    if "province" in keys:
        frame = frame.assign(province=frame["province_code"].map(sigla_of))
    columns = [*keys, "value", "n", "ci_low", "ci_high", "se", "suppressed"]
    frame = frame[columns]
    return frame.sort_values(list(keys)).reset_index(drop=True) if keys else frame


def _use_monthly(filters: Filters, period: Period, latest: date | None) -> bool:
    """Monthly aggregates serve month/quarter/year grains over whole months."""
    if filters.grain == "week" or period.start.day != 1:
        return False
    return period.whole_months or (latest is not None and period.end >= latest)


def _summed(
    connection: Connection,
    filters: Filters,
    codes: frozenset[str] | None,
    period: Period,
    latest: date | None,
    keys: tuple[str, ...],
    tables: tuple[Table, Table],
    measures: dict[str, object],
) -> pd.DataFrame:
    """Sum measures (name -> column builder) from the daily or monthly table, per keys."""
    monthly = _use_monthly(filters, period, latest)
    table = tables[1] if monthly else tables[0]
    time_column = "week" if filters.grain == "week" else "month"
    conditions = filters.conditions(
        table,
        period=period,
        province_codes=codes,
        date_column="month" if monthly else "day",
    )
    if not monthly:  # the daily primary key starts with month: bound it so the index serves
        first, last = period.start.replace(day=1), period.end.replace(day=1)
        conditions += [table.c.month >= first, table.c.month <= last]
    group = []
    if "bucket" in keys:
        group.append(table.c[time_column].label("bucket"))
    if "province" in keys:
        group.append(table.c.province_code)
    sums = [
        (builder(table) if callable(builder) else func.sum(table.c[name])).label(name)
        for name, builder in measures.items()
    ]
    query = select(*group, *sums).where(*conditions)
    if group:
        query = query.group_by(*group)
    rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=[*(g.name for g in group), *measures])
    frame[list(measures)] = frame[list(measures)].astype("float64").fillna(0.0)
    if not group and not frame.empty and frame.iloc[0].sum() == 0:
        frame = frame.iloc[0:0]
    if "bucket" in keys and time_column == "month" and filters.grain in ("quarter", "year"):
        frame["bucket"] = [bucket_start(b, filters.grain) for b in frame["bucket"]]
        frame = frame.groupby(_group_columns(keys), as_index=False, sort=True).sum()
    return frame


def _group_columns(keys: tuple[str, ...]) -> list[str]:
    return [("province_code" if k == "province" else k) for k in keys]


def _ratio(frame: pd.DataFrame, numerator: str, denominator: str, scale: float) -> pd.DataFrame:
    """value = numerator / denominator × scale where the denominator is > 0, else NaN."""
    den = frame[denominator].astype("float64")
    num = frame[numerator].astype("float64")
    value = (num / den.where(den > 0)) * scale
    return frame.assign(
        value=value, n=den, ci_low=np.nan, ci_high=np.nan, se=np.nan, suppressed=False
    )


def _contact_kpi(
    connection: Connection,
    filters: Filters,
    codes: frozenset[str] | None,
    kpi: Kpi,
    keys: tuple[str, ...],
    period: Period,
    latest: date | None,
) -> pd.DataFrame:
    tables = (ContactDaily.__table__, ContactMonthly.__table__)
    if kpi.code == "contacts":
        frame = _summed(
            connection, filters, codes, period, latest, keys, tables, {"contacts": None}
        )
        frame = _ratio(frame, "contacts", "contacts", 1.0)
        return frame.assign(value=frame["n"].where(frame["n"] > 0))
    numerator, denominator, scale = CONTACT_RATIOS[kpi.code]
    measures: dict[str, object] = {}
    if kpi.code == "digital_share":
        channel = Channel.__table__.c
        digital = sorted(
            connection.execute(select(channel.code).where(channel.kind == "digital")).scalars()
        )
        measures["digital_contacts"] = lambda t: func.sum(
            case((t.c.channel_code.in_(digital), t.c.contacts), else_=0)
        )
        measures["contacts"] = None
    elif kpi.code == "contacts_per_1000":
        measures["contacts"] = None
    else:
        measures = {numerator: None, denominator: None}
    frame = _summed(connection, filters, codes, period, latest, keys, tables, measures)
    if kpi.code == "contacts_per_1000":
        frame = _with_customers(connection, filters, codes, keys, period, frame)
    return _ratio(frame, numerator, denominator, scale)


def _survey_kpi(
    connection: Connection,
    filters: Filters,
    codes: frozenset[str] | None,
    kpi: Kpi,
    keys: tuple[str, ...],
    period: Period,
    latest: date | None,
) -> pd.DataFrame:
    """Survey KPIs with 95% intervals; cells under MIN_RESPONSES are suppressed (n kept)."""
    tables = (SurveyDaily.__table__, SurveyMonthly.__table__)
    names = SURVEY_MEASURES_OF[kpi.code]
    frame = _summed(connection, filters, codes, period, latest, keys, tables, dict.fromkeys(names))
    n = frame[names[0]]
    if kpi.code in ("csi", "ces"):
        estimate = stats.mean_estimate(n, frame[names[1]], frame[names[2]])
    elif kpi.code == "csat":
        estimate = stats.proportion_estimate(frame["csat_positive"], n)
    else:
        estimate = stats.nps_estimate(n, frame["promoters"], frame["detractors"])
    suppressed = (n > 0) & (n < stats.MIN_RESPONSES)
    shown = ~suppressed.to_numpy()
    return frame.assign(
        value=np.where(shown, estimate.value, np.nan),
        n=n,
        ci_low=np.where(shown, estimate.low, np.nan),
        ci_high=np.where(shown, estimate.high, np.nan),
        se=np.where(shown, estimate.se, np.nan),
        suppressed=suppressed,
    )


def _with_province(table: Table, *columns: str, where: object = None) -> Subquery:
    """A subquery of table's columns plus the province of each row's area."""
    area = Area.__table__
    query = select(*(table.c[c] for c in columns), area.c.province_code).join(
        area, area.c.code == table.c.area_code
    )
    if where is not None:
        query = query.where(where)
    return query.subquery()


def _monthly_customers(
    connection: Connection,
    filters: Filters,
    codes: frozenset[str] | None,
    period: Period,
    by_province: bool,
) -> pd.DataFrame:
    """Customers per month (and province_code) for the filters' provinces, areas, segments."""
    base = _with_province(CustomerBase.__table__, "month", "area_code", "segment_code", "customers")
    group = [base.c.month, *([base.c.province_code] if by_province else [])]
    query = (
        select(*group, func.sum(base.c.customers).label("customers"))
        .where(*filters.conditions(base, period=period, province_codes=codes, date_column="month"))
        .group_by(*group)
    )
    frame = pd.DataFrame(
        connection.execute(query).all(), columns=[c.name for c in group] + ["customers"]
    )
    return frame.astype({"customers": "float64"})


def _with_customers(
    connection: Connection,
    filters: Filters,
    codes: frozenset[str] | None,
    keys: tuple[str, ...],
    period: Period,
    frame: pd.DataFrame,
) -> pd.DataFrame:
    """Add `customers`: the average monthly customer base over each bucket (weeks: its month)."""
    by_province = "province" in keys
    customers = _monthly_customers(connection, filters, codes, period, by_province)
    group = _group_columns(keys)
    if "bucket" in keys and filters.grain == "week":
        frame = frame.assign(month=[max(b, period.start).replace(day=1) for b in frame["bucket"]])
        merge_on = ["month", *(["province_code"] if by_province else [])]
        return frame.merge(customers, on=merge_on, how="left").drop(columns="month")
    if "bucket" in keys:
        customers["bucket"] = [bucket_start(m, filters.grain) for m in customers["month"]]
    if not group:
        return frame.assign(customers=customers["customers"].mean())
    average = customers.groupby(group, as_index=False)["customers"].mean()
    return frame.merge(average, on=group, how="left")


def _adoption_kpi(
    connection: Connection,
    filters: Filters,
    codes: frozenset[str] | None,
    kpi: Kpi,
    keys: tuple[str, ...],
    period: Period,
) -> pd.DataFrame:
    """Channel adoption at each bucket's last month with data.

    channel_adoption.users counts customers who used the channel in the 12 months to that month;
    registered counts accounts registered at month end. The numerator takes registered where it
    is known and users otherwise, summed over the filters' provinces, areas and segments; the
    denominator is customer_base for the same month, areas and segments. The filters' channels
    and topics do not apply: the KPI names its own channel.
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
    by_province = "province" in keys
    group = [rows.c.month, *([rows.c.province_code] if by_province else [])]
    adopters = func.sum(func.coalesce(rows.c.registered, rows.c.users)).label("adopters")
    query = (
        select(*group, adopters)
        .where(*filters.conditions(rows, period=period, province_codes=codes, date_column="month"))
        .group_by(*group)
    )
    frame = pd.DataFrame(
        connection.execute(query).all(), columns=[c.name for c in group] + ["adopters"]
    )
    customers = _monthly_customers(connection, filters, codes, period, by_province)
    frame = frame.merge(customers, on=[c.name for c in group], how="left")
    if "bucket" in keys:
        frame["bucket"] = [
            bucket_start(max(m, period.start), filters.grain) for m in frame["month"]
        ]
    group_columns = _group_columns(keys)
    frame = frame.sort_values("month")
    last = frame.groupby(group_columns).tail(1) if group_columns else frame.tail(1)
    return _ratio(last.astype({"adopters": "float64"}), "adopters", "customers", 100.0)


def _association_kpi(
    engine: Engine,
    connection: Connection,
    filters: Filters,
    codes: frozenset[str] | None,
    kpi: Kpi,
    keys: tuple[str, ...],
    period: Period,
) -> pd.DataFrame:
    """Association cases by opening day: mean days to answer and % answered within target.

    Cases not answered yet are left out of both (like complaints without a reply). The target
    is the general kpi_target for 'association_reply_days' in force at the period's end (30 days
    when there is none). Channels and segments do not apply: cases carry neither.
    """
    cases = _with_province(
        AssociationCase.__table__, "opened_on", "answered_on", "area_code", "topic_code"
    )
    query = select(cases.c.opened_on, cases.c.answered_on, cases.c.province_code).where(
        cases.c.answered_on.is_not(None),
        *filters.conditions(cases, period=period, province_codes=codes, date_column="opened_on"),
    )
    frame = pd.DataFrame(
        connection.execute(query).all(), columns=["opened_on", "answered_on", "province_code"]
    )
    target = target_for(engine=engine, kpi="association_reply_days", on=period.end)
    limit = target.threshold if target is not None else DEFAULT_ASSOCIATION_TARGET_DAYS
    days = [(a - o).days for o, a in zip(frame["opened_on"], frame["answered_on"], strict=True)]
    frame = frame.assign(
        answered=1.0,
        days=pd.Series(days, index=frame.index, dtype="float64"),
        within=pd.Series([float(d <= limit) for d in days], index=frame.index, dtype="float64"),
    )
    if "bucket" in keys:
        frame["bucket"] = [bucket_start(d, filters.grain) for d in frame["opened_on"]]
    group_columns = _group_columns(keys)
    measures = ["answered", "days", "within"]
    summed = (
        frame.groupby(group_columns, as_index=False)[measures].sum()
        if group_columns
        else frame[measures].sum().to_frame().T.iloc[0 : int(len(frame) > 0)]
    )
    if kpi.code == "association_reply_days":
        return _ratio(summed, "days", "answered", 1.0)
    return _ratio(summed, "within", "answered", 100.0)
