"""Daily, weekly and monthly aggregates: recomputed over a range of days, or grown by new rows.

A recomputation (the demo) sums daily rows from the raw rows and rolls weekly and monthly rows up
from the daily ones, which hold every day, so a week straddling the edge of a refreshed month comes
out whole. An import adds the sums of the rows it wrote to all three grains instead: every measure
is additive, so that gives what a recomputation would, at a cost that follows the file's size
rather than the store's. Both read the measures declared once in data_access/measures.py: as SQL
sums here, as what each new row adds (numpy) for an import (tests/test_aggregates_incremental.py
checks that the two agree). Contacts also keep a province-level monthly table (months summed over
areas and topics): both ways rebuild its months from the monthly rows; and a weekday ×
hour table (data_access/hourly.py), recomputed with them or grown by an import's contacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    Integer,
    Table,
    delete,
    func,
    insert,
    select,
    union_all,
)

from data_access.bulk import add_columns
from data_access.hourly import refresh_hourly
from data_access.measures import CONTACT, SURVEY, Measure
from data_access.models import (
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
    table_of,
)
from data_access.periods import bucket_span

CONTACT_KEYS = ("area_code", "channel_code", "segment_code", "topic_code")
SURVEY_KEYS = ("area_code", "channel_code", "segment_code")
TIME_KEYS = ("day", "week", "month")


@dataclass(frozen=True)
class Aggregates:
    """One family's aggregate tables, its dimension keys, the raw tables summed into them and
    its additive measures (declared in data_access/measures.py).
    """

    keys: tuple[str, ...]
    declared: tuple[Measure, ...]
    sources: tuple[Table, ...]  # raw tables: the first always read, the others when they have rows
    daily: Table
    weekly: Table
    monthly: Table
    by_province: Table | None = None  # monthly, summed to (month, province, channel, segment)

    def __post_init__(self) -> None:
        """A measure column without a declaration, or a declaration without a column, is an
        error (not a measure silently left at 0 or never stored).
        """
        columns = {c.name for c in self.daily.columns} - {*TIME_KEYS, "province_code", *self.keys}
        declared = set(self.measures)
        if columns != declared:
            raise ValueError(
                f"{self.daily.name}: columns {sorted(columns - declared)} have no declaration, "
                f"declarations {sorted(declared - columns)} have no column"
            )
        names = {table.name for table in self.sources}
        for measure in self.declared:
            if unknown := set(measure.forms) - names:
                raise ValueError(f"{measure.name}: {sorted(unknown)} is not summed into it")

    @property
    def measures(self) -> tuple[str, ...]:
        """The measures' column names, in declaration order."""
        return tuple(m.name for m in self.declared)

    @property
    def rollups(self) -> tuple[tuple[str, Table], ...]:
        """(time column, table) of the grains rolled up from the daily table."""
        return (("week", self.weekly), ("month", self.monthly))

    def summed(self, source: Table, start: date, end: date):  # noqa: ANN201 - a select
        """source's rows of days [start, end] summed per day and keys, one column per measure."""
        c = source.c
        keys = [c.day, c.week, c.month, *(c[k] for k in self.keys)]
        return (
            select(*keys, *(m.sql(source) for m in self.declared))
            .where(c.day >= start, c.day <= end)
            .group_by(*keys)
        )


CONTACT_PROVINCE_MONTHLY = table_of(ContactProvinceMonthly)
CONTACTS = Aggregates(
    CONTACT_KEYS,
    CONTACT,
    (table_of(Contact), table_of(ContactReport)),
    table_of(ContactDaily),
    table_of(ContactWeekly),
    table_of(ContactMonthly),
    CONTACT_PROVINCE_MONTHLY,
)
SURVEYS = Aggregates(
    SURVEY_KEYS,
    SURVEY,
    (table_of(SurveyResponse),),
    table_of(SurveyDaily),
    table_of(SurveyWeekly),
    table_of(SurveyMonthly),
)
# which family each raw table is summed into
FAMILY_OF: dict[str, Aggregates] = {
    source.name: family for family in (CONTACTS, SURVEYS) for source in family.sources
}


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
    area = table_of(Area).c
    day_keys = [
        rows.c.day,
        rows.c.week,
        rows.c.month,
        area.province_code,
        *(rows.c[k] for k in keys),
    ]
    joined = rows.join(table_of(Area), area.code == rows.c.area_code)
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
    group = [
        monthly.c.month,
        monthly.c.province_code,
        monthly.c.channel_code,
        monthly.c.segment_code,
    ]
    rolled = (
        select(*group, *(func.sum(monthly.c[m]).label(m) for m in aggregates.measures))
        .where(monthly.c.month >= first, monthly.c.month <= last)
        .group_by(*group)
    )
    connection.execute(delete(table).where(table.c.month >= first, table.c.month <= last))
    columns = ["month", "province_code", "channel_code", "segment_code", *aggregates.measures]
    connection.execute(insert(table).from_select(columns, rolled))


def refresh(connection: Connection, aggregates: Aggregates, start: date, end: date) -> None:
    """Recompute a family's aggregates for the whole months touching [start, end]."""
    start, end = bucket_span("month", start, end)
    first, *others = aggregates.sources
    with_rows = [first]
    for source in others:  # usually empty (contact-centre reports are rare): skip the union
        query = select(source.c.id).where(source.c.day >= start, source.c.day <= end).limit(1)
        if connection.execute(query).first() is not None:
            with_rows.append(source)
    summed = [aggregates.summed(source, start, end) for source in with_rows]
    grouped = len(summed) == 1
    _rebuild(
        connection,
        source=summed[0] if grouped else union_all(*summed),
        aggregates=aggregates,
        start=start,
        end=end,
        grouped=grouped,
    )


def refresh_contacts(connection: Connection, start: date, end: date) -> None:
    """Recompute the contact aggregates (and the weekday × hour one) for the whole months
    touching [start, end].
    """
    refresh(connection, CONTACTS, start, end)
    refresh_hourly(connection, start, end)


def refresh_surveys(connection: Connection, start: date, end: date) -> None:
    """Recompute the survey aggregates for the whole months touching [start, end]."""
    refresh(connection, SURVEYS, start, end)


def add(connection: Connection, aggregates: Aggregates, rows: dict[str, np.ndarray]) -> None:
    """Add the measures of newly written raw rows to the daily, weekly and monthly rows (and
    rebuild the province-level months they touch).

    rows: per raw row (as arrays), its day, week and month (datetime64), the family's keys and
    the measures it contributes. The aggregates must already hold every older raw row.
    """
    if not len(rows["day"]):
        return
    area = table_of(Area).c
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
