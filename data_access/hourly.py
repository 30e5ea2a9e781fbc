"""The weekday × hour aggregate (contact_hourly): contacts, queued and answered contacts per month,
province, channel, ISO weekday and hour of occurred_at, recomputed from raw contacts or grown by
an import's rows.

Its measures are the declared ones (data_access/measures.py, their `contact` forms); only its two
keys beyond the usual ones need forms of their own here, in SQL per dialect and in numpy. A
contact-centre report has no time of day, so it adds nothing to this table.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Integer, cast, delete, extract, func, insert, select
from sqlalchemy.sql import ColumnElement

from data_access.bulk import add_columns
from data_access.measures import CONTACT, Rows
from data_access.models import Area, Contact, ContactHourly, table_of

HOURLY = table_of(ContactHourly)
MEASURES = tuple(m for m in CONTACT if m.name in ("contacts", "queued", "answered"))
KEYS = ("month", "province_code", "channel_code", "weekday", "hour")


def weekday_sql(dialect: str) -> ColumnElement[int]:
    """A contact's ISO weekday (1 = Monday ... 7 = Sunday) in the dialect's SQL."""
    c = table_of(Contact).c
    if dialect == "postgresql":
        return cast(extract("isodow", c.occurred_at), Integer)
    return (cast(func.strftime("%w", c.day), Integer) + 6) % 7 + 1  # %w: 0 = Sunday


def hour_sql(dialect: str) -> ColumnElement[int]:
    """The hour (0-23) of a contact's occurred_at in the dialect's SQL."""
    c = table_of(Contact).c
    if dialect == "postgresql":
        return cast(extract("hour", c.occurred_at), Integer)
    return cast(func.substr(c.occurred_at, 12, 2), Integer)  # 'YYYY-MM-DD HH:...' as stored


def weekday_array(occurred_at: np.ndarray) -> np.ndarray:
    """ISO weekday (1 = Monday) of each datetime64 value (1970-01-01 was a Thursday)."""
    days = occurred_at.astype("datetime64[D]").astype(np.int64)
    return (days + 3) % 7 + 1


def hour_array(occurred_at: np.ndarray) -> np.ndarray:
    """Hour of the day (0-23) of each datetime64 value."""
    return occurred_at.astype("datetime64[h]").astype(np.int64) % 24


def refresh_hourly(connection: Connection, start: date, end: date) -> None:
    """Recompute the rows of the months from start's to end's from the raw contacts."""
    first, last = start.replace(day=1), end.replace(day=1)
    contact, area = table_of(Contact), table_of(Area)
    dialect = connection.dialect.name
    keys = [
        contact.c.month,
        area.c.province_code,
        contact.c.channel_code,
        weekday_sql(dialect).label("weekday"),
        hour_sql(dialect).label("hour"),
    ]
    summed = (
        select(*keys, *(m.sql(contact) for m in MEASURES))
        .select_from(contact.join(area, area.c.code == contact.c.area_code))
        .where(contact.c.month >= first, contact.c.month <= last)
        .group_by(*keys)
    )
    connection.execute(delete(HOURLY).where(HOURLY.c.month >= first, HOURLY.c.month <= last))
    columns = [*KEYS, *(m.name for m in MEASURES)]
    connection.execute(insert(HOURLY).from_select(columns, summed))


def add_hourly(connection: Connection, columns: dict[str, np.ndarray]) -> None:
    """Add newly written contacts (their columns as arrays) to the weekday × hour rows."""
    if not len(columns["month"]):
        return
    area = table_of(Area).c
    provinces = dict(connection.execute(select(area.code, area.province_code)).all())
    rows = Rows(columns)
    frame = pd.DataFrame(
        {
            "month": columns["month"].astype("datetime64[D]"),
            "province_code": pd.Series(columns["area_code"]).map(provinces).to_numpy(),
            "channel_code": columns["channel_code"],
            "weekday": weekday_array(columns["occurred_at"]),
            "hour": hour_array(columns["occurred_at"]),
            **{m.name: m.array("contact", rows).astype(np.int64) for m in MEASURES},
        }
    )
    summed = frame.groupby(list(KEYS), sort=False).sum().reset_index()
    months = summed["month"].to_numpy()
    if connection.dialect.name == "sqlite":
        month_values = np.datetime_as_string(months, unit="D").tolist()
    else:
        month_values = months.astype("datetime64[D]").tolist()
    values = [month_values, *(summed[k].tolist() for k in KEYS[1:])]
    values += [summed[m.name].tolist() for m in MEASURES]
    add_columns(
        connection,
        HOURLY,
        [*KEYS, *(m.name for m in MEASURES)],
        [*(m.name for m in MEASURES)],
        values,
    )
