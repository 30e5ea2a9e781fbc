"""The store's tables: dimensions, facts, import bookkeeping, targets and aggregates.

Layering follows full-stack-fastapi-template: plain (non-table) SQLModel classes hold shared
fields, `table=True` classes add keys. Aggregates share one measures class with their grain.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import NaiveDatetime
from sqlalchemy import Index, Table, UniqueConstraint
from sqlmodel import Field, SQLModel


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model, typed (SQLModel's stubs do not declare __table__)."""
    return model.__table__  # type: ignore[attr-defined]  # set by SQLAlchemy's declarative mapping


# --- dimensions -------------------------------------------------------------------------------


class Region(SQLModel, table=True):
    """An Italian region, keyed by its two-digit ISTAT code."""

    code: str = Field(primary_key=True, max_length=2)
    name: str


class Province(SQLModel, table=True):
    """An Italian province: three-digit ISTAT code, two-letter sigla, name, region."""

    code: str = Field(primary_key=True, max_length=3)
    sigla: str = Field(unique=True, max_length=2)
    name: str
    region_code: str = Field(foreign_key="region.code", index=True)


class Area(SQLModel, table=True):
    """An operating territory inside a province (every province has one; Imola is its own)."""

    code: str = Field(primary_key=True, max_length=16)
    name: str
    province_code: str = Field(foreign_key="province.code", index=True)


class Channel(SQLModel, table=True):
    """A contact channel; kind is phone, digital, physical, written or intermediated."""

    code: str = Field(primary_key=True, max_length=16)
    label: str
    kind: str = Field(max_length=16)


class Segment(SQLModel, table=True):
    """A customer segment: household or business."""

    code: str = Field(primary_key=True, max_length=16)
    label: str


class Topic(SQLModel, table=True):
    """What a contact is about (bill clarification, payments, outages, ...)."""

    code: str = Field(primary_key=True, max_length=24)
    label: str


class Association(SQLModel, table=True):
    """A consumer association that brings cases on its members' behalf."""

    code: str = Field(primary_key=True, max_length=16)
    name: str


# --- bookkeeping ------------------------------------------------------------------------------


class ImportBatch(SQLModel, table=True):
    """One run of an import (or of the demo generator) and what it did."""

    __tablename__ = "import_batch"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    file_name: str
    checksum: str = Field(max_length=64)
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    imported_by: str = ""
    imported_at: datetime


class KpiTarget(SQLModel, table=True):
    """A threshold for a KPI, for everyone (province_code None) or one province."""

    __tablename__ = "kpi_target"
    id: int | None = Field(default=None, primary_key=True)
    kpi: str = Field(max_length=32, index=True)
    province_code: str | None = Field(default=None, foreign_key="province.code")
    threshold: float
    direction: str = Field(max_length=8)  # "min": at least the threshold; "max": at most
    source: str = Field(max_length=32)  # "ARERA" (regulator) or "internal"
    valid_from: date
    note: str = ""


class Audit(SQLModel, table=True):
    """One audited event: a sign-in, a page opened with its view, an export (data_access.audit)."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)  # UTC
    user: str = Field(index=True, max_length=254)
    role: str = Field(default="", max_length=32)
    event: str = Field(max_length=16)  # sign_in, page, export
    page: str = Field(default="", max_length=64)  # the page's URL path; "cli" for the command line
    url: str = ""  # the view: path and query ('/trends?province=RA')
    kind: str | None = Field(default=None, max_length=64)  # exports: what was exported
    format: str | None = Field(default=None, max_length=16)  # exports: csv, csv-it, xlsx, parquet
    rows: int | None = None  # exports: rows written
    viewed_as: str | None = Field(default=None, max_length=254)  # an admin's preview: of whom


# --- facts ------------------------------------------------------------------------------------


class Contact(SQLModel, table=True):
    """One customer contact on any channel. day/week/month are derived from occurred_at."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(unique=True, max_length=64)
    occurred_at: NaiveDatetime  # local wall-clock time in Italy
    day: date = Field(index=True)
    week: date  # Monday of the ISO week
    month: date  # first day of the month
    area_code: str = Field(foreign_key="area.code")
    channel_code: str = Field(foreign_key="channel.code")
    segment_code: str = Field(foreign_key="segment.code")
    topic_code: str = Field(foreign_key="topic.code")
    customer_ref: str | None = Field(default=None, max_length=64)
    association_code: str | None = Field(default=None, foreign_key="association.code")
    queued: bool = False  # asked for an operator
    answered: bool = False  # reached an operator
    abandoned: bool = False
    wait_seconds: float | None = None  # request for an operator -> conversation (answered only)
    handling_seconds: float | None = None  # talk + hold + after-call work
    resolved_first_contact: bool | None = None
    is_complaint: bool = False
    replied_on: date | None = None  # reasoned reply to a complaint
    reply_days: int | None = None  # calendar days from day to replied_on
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class ContactReport(SQLModel, table=True):
    """A day of a contact-centre (ACD) export, already summed; lands in contact_daily too."""

    __tablename__ = "contact_report"
    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(unique=True, max_length=64)
    day: date = Field(index=True)
    week: date
    month: date
    area_code: str = Field(foreign_key="area.code")
    channel_code: str = Field(foreign_key="channel.code")
    segment_code: str = Field(foreign_key="segment.code")
    topic_code: str = Field(foreign_key="topic.code")
    offered: int = 0  # calls that asked for an operator
    answered: int = 0
    abandoned: int = 0
    answered_20s: int = 0
    answered_60s: int | None = None  # wait bands: all four or none (unknown)
    answered_120s: int | None = None
    answered_180s: int | None = None
    answered_240s: int | None = None
    wait_seconds: float = 0.0  # summed over answered calls
    handling_seconds: float = 0.0  # summed over answered calls
    line_free_seconds: float | None = None
    operator_seconds: float | None = None
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class SurveyResponse(SQLModel, table=True):
    """One survey response; scores are stored normalised, the raw score kept for audit."""

    __tablename__ = "survey_response"
    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(unique=True, max_length=64)
    responded_at: NaiveDatetime  # local wall-clock time in Italy
    day: date = Field(index=True)
    week: date
    month: date
    area_code: str = Field(foreign_key="area.code")
    channel_code: str = Field(foreign_key="channel.code")
    segment_code: str = Field(foreign_key="segment.code")
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    satisfaction_raw: float | None = None
    scale_min: int | None = None
    scale_max: int | None = None
    csi: float | None = None  # satisfaction rescaled to 0-100
    csat_positive: bool | None = None  # top box (4-5 of 5, 8-10 of 10)
    recommendation: int | None = None  # 0-10
    effort: int | None = None  # 1-7
    comment: str | None = None  # personal data masked
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class CustomerBase(SQLModel, table=True):
    """Customers per month, area and segment (denominator of per-1,000 and adoption KPIs)."""

    __tablename__ = "customer_base"
    __table_args__ = (UniqueConstraint("month", "area_code", "segment_code"),)
    id: int | None = Field(default=None, primary_key=True)
    month: date = Field(index=True)
    area_code: str = Field(foreign_key="area.code")
    segment_code: str = Field(foreign_key="segment.code")
    customers: int
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


# channel_adoption's index for one channel's adopters by month (migration 0008)
ADOPTION_INDEX = ("channel_code", "month", "area_code", "users", "registered")


class ChannelAdoption(SQLModel, table=True):
    """Customers who used (or are registered on) a channel in a month."""

    __tablename__ = "channel_adoption"
    # one channel's adopters over a run of months without the table's rows (the online area's
    # whole data window: the month each province first reached the mark)
    __table_args__ = (
        UniqueConstraint("month", "area_code", "segment_code", "channel_code"),
        Index("ix_channel_adoption_channel", *ADOPTION_INDEX),
    )
    id: int | None = Field(default=None, primary_key=True)
    month: date = Field(index=True)
    area_code: str = Field(foreign_key="area.code")
    segment_code: str = Field(foreign_key="segment.code")
    channel_code: str = Field(foreign_key="channel.code")
    users: int
    registered: int | None = None
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


class AssociationCase(SQLModel, table=True):
    """A case a consumer association raised, and when it was answered and closed."""

    __tablename__ = "association_case"
    # covers the association KPIs' read: a period of opening days, by area and topic
    __table_args__ = (
        Index(
            "ix_association_case_opening",
            "opened_on",
            "area_code",
            "topic_code",
            "reply_days",
            "month",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(unique=True, max_length=64)
    opened_on: date
    month: date
    answered_on: date | None = None
    reply_days: int | None = None  # calendar days from opened_on to answered_on
    closed_on: date | None = None
    association_code: str = Field(foreign_key="association.code")
    area_code: str = Field(foreign_key="area.code")
    topic_code: str = Field(foreign_key="topic.code")
    status: str = Field(max_length=16)  # open, answered, closed
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


# --- aggregates (kept up to date by data_access.aggregates) -----------------------------------
#
# Each aggregate is measures + dimension keys + one time key (day, week or month), and its
# primary key starts with that time key so a date range is an index range. Base classes list
# the time key last: SQLModel puts the fields of the rightmost base first.

# SQLite stores a table WITHOUT ROWID as its primary-key index: range reads touch half the pages.
AGGREGATE_TABLE_ARGS = {"sqlite_with_rowid": False}  # PostgreSQL ignores it
# contact_monthly's index for contacts by topic (migration 0006)
TOPIC_INDEX = ("month", "topic_code", "contacts", "fcr_resolved", "fcr_known", "complaints")
# contact_hourly's index for the weekday × hour grid (migration 0009)
HOUR_CELL_INDEX = ("weekday", "hour", "month", "contacts", "queued", "answered")


class DayKey(SQLModel):
    """Time key of the daily aggregates (week and month are carried for grouping)."""

    day: date = Field(primary_key=True)


class WeekKey(SQLModel):
    """Time key of the weekly aggregates: the Monday of the ISO week."""

    week: date = Field(primary_key=True)


class MonthKey(SQLModel):
    """Time key of the monthly aggregates: the first day of the month."""

    month: date = Field(primary_key=True)


class ContactMeasures(SQLModel):
    """Additive contact measures; every contact KPI is a ratio of these sums."""

    contacts: int = 0
    queued: int = 0
    answered: int = 0
    abandoned: int = 0
    answered_20s: int = 0
    banded: int = 0  # answered calls whose wait band is known (the bands' denominator)
    banded_20s: int = 0  # of them, answered within 20 s
    answered_60s: int = 0
    answered_120s: int = 0
    answered_180s: int = 0
    answered_240s: int = 0
    wait_seconds: float = 0.0
    handled: int = 0
    handling_seconds: float = 0.0
    fcr_known: int = 0
    fcr_resolved: int = 0
    complaints: int = 0
    complaints_replied: int = 0
    complaint_reply_days: float = 0.0
    complaints_replied_30d: int = 0
    line_free_seconds: float = 0.0
    operator_seconds: float = 0.0


class ContactKeys(SQLModel):
    """Dimension keys shared by the contact aggregates (the time key comes with the grain)."""

    province_code: str = Field(primary_key=True, max_length=3)
    area_code: str = Field(primary_key=True, max_length=16)
    channel_code: str = Field(primary_key=True, max_length=16)
    segment_code: str = Field(primary_key=True, max_length=16)
    topic_code: str = Field(primary_key=True, max_length=24)


class ContactDaily(ContactMeasures, ContactKeys, DayKey, table=True):
    """Contact measures per day (week and month carried for grouping)."""

    __tablename__ = "contact_daily"
    __table_args__ = AGGREGATE_TABLE_ARGS
    week: date
    month: date


class ContactWeekly(ContactMeasures, ContactKeys, WeekKey, table=True):
    """Contact measures per ISO week (Monday to Sunday, across month edges)."""

    __tablename__ = "contact_weekly"
    __table_args__ = AGGREGATE_TABLE_ARGS


class ContactMonthly(ContactMeasures, ContactKeys, MonthKey, table=True):
    """Contact measures per month."""

    __tablename__ = "contact_monthly"
    # which areas have data (the sidebar's territory) without reading the whole table; the
    # topics' sums per month in the index's order (no sort) and without the row's other measures
    __table_args__ = (
        Index("ix_contact_monthly_area_code", "area_code"),
        Index("ix_contact_monthly_topic", *TOPIC_INDEX),
        AGGREGATE_TABLE_ARGS,
    )


class ProvinceChannelSegmentKeys(SQLModel):
    """Keys of the province-level contact aggregate: province, channel and segment only."""

    province_code: str = Field(primary_key=True, max_length=3)
    channel_code: str = Field(primary_key=True, max_length=16)
    segment_code: str = Field(primary_key=True, max_length=16)


class ContactProvinceMonthly(ContactMeasures, ProvinceChannelSegmentKeys, MonthKey, table=True):
    """Contact measures per month, province, segment and channel: contact_monthly summed over
    areas and topics, for the views that filter on neither (a few rows a month).
    """

    __tablename__ = "contact_province_monthly"
    __table_args__ = AGGREGATE_TABLE_ARGS


class HourKeys(SQLModel):
    """Keys of the weekday × hour aggregate: province, channel, ISO weekday (1 = Monday) and
    hour of occurred_at (0-23).
    """

    province_code: str = Field(primary_key=True, max_length=3)
    channel_code: str = Field(primary_key=True, max_length=16)
    weekday: int = Field(primary_key=True)
    hour: int = Field(primary_key=True)


class ContactHourly(HourKeys, MonthKey, table=True):
    """Contacts, queued and answered contacts per month, province, channel, weekday and hour
    (event-level contacts only: a contact-centre report has no time of day).
    """

    __tablename__ = "contact_hourly"
    # each weekday × hour cell's months as one index range carrying the measures (and, on
    # SQLite, the key's province and channel): the grid sums cell by cell without a sort
    __table_args__ = (Index("ix_contact_hourly_cell", *HOUR_CELL_INDEX), AGGREGATE_TABLE_ARGS)
    contacts: int = 0
    queued: int = 0  # asked for an operator (the answer rate's denominator)
    answered: int = 0


class SurveyMeasures(SQLModel):
    """Additive survey measures: counts, sums and sums of squares for means and intervals."""

    responses: int = 0
    csi_n: int = 0
    csi_sum: float = 0.0
    csi_sumsq: float = 0.0
    csat_n: int = 0
    csat_positive: int = 0
    nps_n: int = 0
    promoters: int = 0
    detractors: int = 0
    ces_n: int = 0
    ces_sum: float = 0.0
    ces_sumsq: float = 0.0


class SurveyKeys(SQLModel):
    """Dimension keys shared by the survey aggregates (the time key comes with the grain)."""

    province_code: str = Field(primary_key=True, max_length=3)
    area_code: str = Field(primary_key=True, max_length=16)
    channel_code: str = Field(primary_key=True, max_length=16)
    segment_code: str = Field(primary_key=True, max_length=16)


class SurveyDaily(SurveyMeasures, SurveyKeys, DayKey, table=True):
    """Survey measures per day (week and month carried for grouping)."""

    __tablename__ = "survey_daily"
    __table_args__ = AGGREGATE_TABLE_ARGS
    week: date
    month: date


class SurveyWeekly(SurveyMeasures, SurveyKeys, WeekKey, table=True):
    """Survey measures per ISO week."""

    __tablename__ = "survey_weekly"
    __table_args__ = AGGREGATE_TABLE_ARGS


class SurveyMonthly(SurveyMeasures, SurveyKeys, MonthKey, table=True):
    """Survey measures per month."""

    __tablename__ = "survey_monthly"
    __table_args__ = (Index("ix_survey_monthly_area_code", "area_code"), AGGREGATE_TABLE_ARGS)


CONTACT_MEASURES: tuple[str, ...] = tuple(ContactMeasures.model_fields)
SURVEY_MEASURES: tuple[str, ...] = tuple(SurveyMeasures.model_fields)
