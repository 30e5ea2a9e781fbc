"""Daily, weekly and monthly aggregates: recomputed over a range of days, or grown by new rows.

A recomputation (the demo) sums daily rows from the raw rows and rolls weekly and monthly rows up
from the daily ones, which hold every day, so a week straddling the edge of a refreshed month comes
out whole. An import adds the sums of the rows it wrote to all three grains instead: every measure
is additive, so that gives what a recomputation would, at a cost that follows the file's size
rather than the store's. What each new row adds is computed in numpy by
data_access/importing/increments.py, a twin of the SQL sums below: change both together
(tests/test_aggregates_incremental.py checks that they agree). Contacts also keep a
province-level monthly table (months summed over areas, segments and topics): both ways rebuild
its months from the monthly rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    Integer,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy.sql import ColumnElement

from data_access.bulk import add_columns
from data_access.models import (
    CONTACT_MEASURES,
    SURVEY_MEASURES,
    Area,
    Contact,
    ContactDaily,
    ContactMonthly,
    ContactProvinceMonthly,
    ContactReport,
    ContactWeekly,
    SurveyDaily,
    SurveyMonthly,
    SurveyResponse,
    SurveyWeekly,
)
from data_access.periods import month_end

CONTACT_KEYS = ("area_code", "channel_code", "segment_code", "topic_code")
SURVEY_KEYS = ("area_code", "channel_code", "segment_code")


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _sum(column: ColumnElement) -> ColumnElement:
    return func.coalesce(func.sum(column), 0)


def _contact_rows(start: date, end: date):  # a SQLAlchemy select
    """Event-level contacts summed per day and keys (measures in CONTACT_MEASURES order)."""
    c = Contact.__table__.c
    measures = {
        "contacts": func.count(),
        "queued": _count_if(c.queued),
        "answered": _count_if(c.answered),
        "abandoned": _count_if(c.abandoned),
        "answered_20s": _count_if(and_(c.answered, c.wait_seconds <= 20)),
        "wait_seconds": _sum(case((c.answered, c.wait_seconds), else_=None)),
        "handled": func.count(c.handling_seconds),
        "handling_seconds": _sum(c.handling_seconds),
        "fcr_known": func.count(c.resolved_first_contact),
        "fcr_resolved": _count_if(c.resolved_first_contact),
        "complaints": _count_if(c.is_complaint),
        "complaints_replied": _count_if(and_(c.is_complaint, c.reply_days.is_not(None))),
        "complaint_reply_days": _sum(case((c.is_complaint, c.reply_days), else_=None)),
        "complaints_replied_30d": _count_if(and_(c.is_complaint, c.reply_days <= 30)),
        "line_free_seconds": literal(0.0),
        "operator_seconds": literal(0.0),
    }
    keys = [c.day, c.week, c.month, *(c[k] for k in CONTACT_KEYS)]
    return (
        select(*keys, *(measures[m].label(m) for m in CONTACT_MEASURES))
        .where(c.day >= start, c.day <= end)
        .group_by(*keys)
    )


def _report_rows(start: date, end: date):  # a SQLAlchemy select
    """Contact-centre daily reports mapped onto the same measures."""
    r = ContactReport.__table__.c
    measures = {
        "contacts": r.offered,
        "queued": r.offered,
        "answered": r.answered,
        "abandoned": r.abandoned,
        "answered_20s": r.answered_20s,
        "wait_seconds": r.wait_seconds,
        "handled": r.answered,
        "handling_seconds": r.handling_seconds,
        "fcr_known": literal(0),
        "fcr_resolved": literal(0),
        "complaints": literal(0),
        "complaints_replied": literal(0),
        "complaint_reply_days": literal(0.0),
        "complaints_replied_30d": literal(0),
        "line_free_seconds": func.coalesce(r.line_free_seconds, 0.0),
        "operator_seconds": func.coalesce(r.operator_seconds, 0.0),
    }
    keys = [r.day, r.week, r.month, *(r[k] for k in CONTACT_KEYS)]
    return select(*keys, *(measures[m].label(m) for m in CONTACT_MEASURES)).where(
        r.day >= start, r.day <= end
    )


def _survey_rows(start: date, end: date):  # a SQLAlchemy select
    s = SurveyResponse.__table__.c
    measures = {
        "responses": func.count(),
        "csi_n": func.count(s.csi),
        "csi_sum": _sum(s.csi),
        "csi_sumsq": _sum(s.csi * s.csi),
        "csat_n": func.count(s.csat_positive),
        "csat_positive": _count_if(s.csat_positive),
        "nps_n": func.count(s.recommendation),
        "promoters": _count_if(s.recommendation >= 9),
        "detractors": _count_if(s.recommendation <= 6),
        "ces_n": func.count(s.effort),
        "ces_sum": _sum(s.effort),
        "ces_sumsq": _sum(s.effort * s.effort),
    }
    keys = [s.day, s.week, s.month, *(s[k] for k in SURVEY_KEYS)]
    return (
        select(*keys, *(measures[m].label(m) for m in SURVEY_MEASURES))
        .where(s.day >= start, s.day <= end)
        .group_by(*keys)
    )


@dataclass(frozen=True)
class Aggregates:
    """One family's aggregate tables, its dimension keys and its additive measures."""

    keys: tuple[str, ...]
    measures: tuple[str, ...]
    daily: Table
    weekly: Table
    monthly: Table
    by_province: Table | None = None  # monthly, summed to (month, province, channel)

    @property
    def rollups(self) -> tuple[tuple[str, Table], ...]:
        """(time column, table) of the grains rolled up from the daily table."""
        return (("week", self.weekly), ("month", self.monthly))


CONTACTS = Aggregates(
    CONTACT_KEYS,
    CONTACT_MEASURES,
    ContactDaily.__table__,
    ContactWeekly.__table__,
    ContactMonthly.__table__,
    ContactProvinceMonthly.__table__,
)
SURVEYS = Aggregates(
    SURVEY_KEYS,
    SURVEY_MEASURES,
    SurveyDaily.__table__,
    SurveyWeekly.__table__,
    SurveyMonthly.__table__,
)


def bucket_span(grain: str, start: date, end: date) -> tuple[date, date]:
    """First and last day of the weeks (Monday-Sunday) or months that [start, end] touches."""
    if grain == "week":
        return start - timedelta(days=start.weekday()), end + timedelta(days=6 - end.weekday())
    if grain == "month":
        return start.replace(day=1), month_end(end)
    raise ValueError(f"unknown grain {grain!r}")


def _rebuild(
    connection: Connection,
    *,
    source,  # a selectable with day, week, month, keys and measures
    aggregates: Aggregates,
    start: date,
    end: date,
    grouped: bool = False,
) -> None:
    """Replace daily rows in [start, end], then the weekly and monthly rows they touch.

    grouped says source already has one row per day and keys, so it needs no summing again.
    """
    keys, measures, daily = aggregates.keys, aggregates.measures, aggregates.daily
    rows = source.subquery()
    area = Area.__table__.c
    day_keys = [
        rows.c.day,
        rows.c.week,
        rows.c.month,
        area.province_code,
        *(rows.c[k] for k in keys),
    ]
    joined = rows.join(Area.__table__, area.code == rows.c.area_code)
    if grouped:  # an area has one province: joining it keeps one row per day and keys
        summed = select(*day_keys, *(rows.c[m] for m in measures)).select_from(joined)
    else:
        summed = (
            select(*day_keys, *(func.sum(rows.c[m]).label(m) for m in measures))
            .select_from(joined)
            .group_by(*day_keys)
        )
    columns = ["day", "week", "month", "province_code", *keys, *measures]
    connection.execute(delete(daily).where(daily.c.day >= start, daily.c.day <= end))
    connection.execute(insert(daily).from_select(columns, summed))
    for grain, table in aggregates.rollups:
        _roll_up(connection, aggregates, grain, table, *bucket_span(grain, start, end))
    _roll_up_provinces(connection, aggregates, start, end)


def _roll_up(
    connection: Connection,
    aggregates: Aggregates,
    grain: str,
    table: Table,
    first: date,
    last: date,
) -> None:
    """Replace table's rows for the grain's buckets in [first, last] with sums of daily rows.

    [first, last] must be whole buckets (see bucket_span).
    """
    daily = aggregates.daily
    group = [daily.c[grain], daily.c.province_code, *(daily.c[k] for k in aggregates.keys)]
    rolled = (
        select(*group, *(func.sum(daily.c[m]).label(m) for m in aggregates.measures))
        .where(daily.c.day >= first, daily.c.day <= last)
        .group_by(*group)
    )
    connection.execute(delete(table).where(table.c[grain] >= first, table.c[grain] <= last))
    columns = [grain, "province_code", *aggregates.keys, *aggregates.measures]
    connection.execute(insert(table).from_select(columns, rolled))


def _roll_up_provinces(
    connection: Connection, aggregates: Aggregates, start: date, end: date
) -> None:
    """Replace the province-level rows of the months touching [start, end] with sums of the
    monthly rows (a no-op for a family without a province-level table).
    """
    table = aggregates.by_province
    if table is None:
        return
    first, last = start.replace(day=1), end.replace(day=1)
    monthly = aggregates.monthly
    group = [monthly.c.month, monthly.c.province_code, monthly.c.channel_code]
    rolled = (
        select(*group, *(func.sum(monthly.c[m]).label(m) for m in aggregates.measures))
        .where(monthly.c.month >= first, monthly.c.month <= last)
        .group_by(*group)
    )
    connection.execute(delete(table).where(table.c.month >= first, table.c.month <= last))
    columns = ["month", "province_code", "channel_code", *aggregates.measures]
    connection.execute(insert(table).from_select(columns, rolled))


def refresh_contacts(connection: Connection, start: date, end: date) -> None:
    """Recompute the contact aggregates for the whole months touching [start, end]."""
    start, end = bucket_span("month", start, end)
    reports = ContactReport.__table__
    has_reports = connection.execute(
        select(reports.c.id).where(reports.c.day >= start, reports.c.day <= end).limit(1)
    ).first()
    if has_reports is None:  # the usual case: summing the contacts alone is enough
        source, grouped = _contact_rows(start, end), True
    else:
        source, grouped = union_all(_contact_rows(start, end), _report_rows(start, end)), False
    _rebuild(connection, source=source, aggregates=CONTACTS, start=start, end=end, grouped=grouped)


def refresh_surveys(connection: Connection, start: date, end: date) -> None:
    """Recompute the survey aggregates for the whole months touching [start, end]."""
    start, end = bucket_span("month", start, end)
    _rebuild(
        connection,
        source=_survey_rows(start, end),
        aggregates=SURVEYS,
        start=start,
        end=end,
        grouped=True,
    )


def add(connection: Connection, aggregates: Aggregates, rows: dict[str, np.ndarray]) -> None:
    """Add the measures of newly written raw rows to the daily, weekly and monthly rows (and
    rebuild the province-level months they touch).

    rows: per raw row (as arrays), its day, week and month (datetime64), the family's keys and
    the measures it contributes. The aggregates must already hold every older raw row.
    """
    if not len(rows["day"]):
        return
    area = Area.__table__.c
    provinces = dict(connection.execute(select(area.code, area.province_code)).all())
    keys, measures = list(aggregates.keys), list(aggregates.measures)
    counts = [m for m in measures if isinstance(aggregates.daily.c[m].type, Integer)]
    sums = pd.DataFrame({m: rows[m] for m in measures}).astype(dict.fromkeys(counts, np.int64))
    times = {c: rows[c] for c in ("day", "week", "month", *keys)}
    daily = _summed(times, sums, ["day", *keys])
    sqlite = connection.dialect.name == "sqlite"
    for grain, table in (("day", aggregates.daily), *aggregates.rollups):
        first, summed = daily if grain == "day" else _summed(*daily, [grain, *keys])
        columns = [grain, *keys, *(("week", "month") if grain == "day" else ())]
        values = [_driver_values(first[c], sqlite) for c in columns]
        values.append(pd.Series(first["area_code"]).map(provinces).tolist())
        values.extend(summed[m].tolist() for m in measures)
        add_columns(connection, table, [*columns, "province_code", *measures], measures, values)
    months = rows["month"].astype("datetime64[D]")
    _roll_up_provinces(connection, aggregates, months.min().item(), months.max().item())


def _summed(
    rows: dict[str, np.ndarray], sums: pd.DataFrame, keys: list[str]
) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
    """Per distinct combination of keys in rows: its first row, and sums' rows added up."""
    codes, sizes = [], []
    for name in keys:
        code, distinct = pd.factorize(rows[name], sort=True)
        codes.append(code)
        sizes.append(len(distinct))
    _, first, number = np.unique(
        np.ravel_multi_index(codes, sizes), return_index=True, return_inverse=True
    )
    return {c: values[first] for c, values in rows.items()}, sums.groupby(number).sum()


def _driver_values(values: np.ndarray, sqlite: bool) -> list:
    """A column as the driver binds it: dates as ISO text on SQLite (as stored), else dates."""
    if values.dtype.kind != "M":
        return values.tolist()
    distinct, which = np.unique(values.astype("datetime64[D]"), return_inverse=True)
    shown = np.datetime_as_string(distinct) if sqlite else distinct
    return shown.astype(object)[which].tolist()
