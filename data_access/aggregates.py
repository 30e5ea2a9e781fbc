"""Daily and monthly aggregates, recomputed for the days an import or the demo touched."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Connection,
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

from data_access.filters import month_end
from data_access.models import (
    CONTACT_MEASURES,
    SURVEY_MEASURES,
    Area,
    Contact,
    ContactDaily,
    ContactMonthly,
    ContactReport,
    SurveyDaily,
    SurveyMonthly,
    SurveyResponse,
)

CONTACT_KEYS = ("area_code", "channel_code", "segment_code", "topic_code")
SURVEY_KEYS = ("area_code", "channel_code", "segment_code")


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _sum(column: ColumnElement) -> ColumnElement:
    return func.coalesce(func.sum(column), 0)


def _contact_rows(start: date, end: date):  # noqa: ANN202 - a SQLAlchemy select
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


def _report_rows(start: date, end: date):  # noqa: ANN202 - a SQLAlchemy select
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


def _survey_rows(start: date, end: date):  # noqa: ANN202 - a SQLAlchemy select
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


def _rebuild(
    connection: Connection,
    *,
    source,  # noqa: ANN001 - a selectable with day, week, month, keys and measures
    keys: tuple[str, ...],
    measures: tuple[str, ...],
    daily: Table,
    monthly: Table,
    start: date,
    end: date,
) -> None:
    """Replace daily rows in [start, end] and monthly rows of the months they touch."""
    rows = source.subquery()
    area = Area.__table__.c
    day_keys = [
        rows.c.day,
        rows.c.week,
        rows.c.month,
        area.province_code,
        *(rows.c[k] for k in keys),
    ]
    summed = (
        select(*day_keys, *(func.sum(rows.c[m]).label(m) for m in measures))
        .select_from(rows.join(Area.__table__, area.code == rows.c.area_code))
        .group_by(*day_keys)
    )
    columns = ["day", "week", "month", "province_code", *keys, *measures]
    connection.execute(delete(daily).where(daily.c.day >= start, daily.c.day <= end))
    connection.execute(insert(daily).from_select(columns, summed))

    first_month, last_month = start.replace(day=1), end.replace(day=1)
    month_keys = [daily.c.month, daily.c.province_code, *(daily.c[k] for k in keys)]
    rolled = (
        select(*month_keys, *(func.sum(daily.c[m]).label(m) for m in measures))
        .where(daily.c.month >= first_month, daily.c.month <= last_month)
        .group_by(*month_keys)
    )
    connection.execute(
        delete(monthly).where(monthly.c.month >= first_month, monthly.c.month <= last_month)
    )
    connection.execute(
        insert(monthly).from_select(["month", "province_code", *keys, *measures], rolled)
    )


def refresh_contacts(connection: Connection, start: date, end: date) -> None:
    """Recompute the contact aggregates for every day in [start, end] (whole months above)."""
    start, end = start.replace(day=1), month_end(end)
    _rebuild(
        connection,
        source=union_all(_contact_rows(start, end), _report_rows(start, end)),
        keys=CONTACT_KEYS,
        measures=CONTACT_MEASURES,
        daily=ContactDaily.__table__,
        monthly=ContactMonthly.__table__,
        start=start,
        end=end,
    )


def refresh_surveys(connection: Connection, start: date, end: date) -> None:
    """Recompute the survey aggregates for every day in [start, end] (whole months above)."""
    start, end = start.replace(day=1), month_end(end)
    _rebuild(
        connection,
        source=_survey_rows(start, end),
        keys=SURVEY_KEYS,
        measures=SURVEY_MEASURES,
        daily=SurveyDaily.__table__,
        monthly=SurveyMonthly.__table__,
        start=start,
        end=end,
    )
