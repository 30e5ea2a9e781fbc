"""Store-wide facts: the data's first and latest day, which KPIs have any data, when the
last import ran, the dimensions' display names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from data_access.aggregates import CONTACT_PROVINCE_MONTHLY, CONTACTS, SURVEYS
from data_access.dimensions import DIMENSIONS
from data_access.models import (
    AssociationCase,
    ChannelAdoption,
    ImportBatch,
    table_of,
)
from data_access.queries.adoption import ADOPTION_CHANNEL
from data_access.queries.contacts import CONTACT_RATIOS
from data_access.queries.rollup import kpi_named
from data_access.queries.surveys import SURVEY_MEASURES_OF


def latest_day(engine: Engine) -> date | None:
    """The latest day with contacts or survey responses; None on an empty store."""
    with engine.connect() as connection:
        return latest_day_on(connection)


def first_day(engine: Engine) -> date | None:
    """The first day with contacts or survey responses; None on an empty store."""
    with engine.connect() as connection:
        return _edge_day(connection, first=True)


def latest_day_on(connection: Connection) -> date | None:
    """latest_day on an open connection."""
    return _edge_day(connection, first=False)


def _edge_day(connection: Connection, *, first: bool) -> date | None:
    """The first (or latest) day of the contact and survey daily aggregates together."""
    edge = func.min if first else func.max
    edges = [select(edge(family.daily.c.day)).scalar_subquery() for family in (CONTACTS, SURVEYS)]
    found = connection.execute(select(*edges)).one()  # one round trip: pages ask it often
    days = [day for day in found if day is not None]
    return (min if first else max)(days) if days else None


# the measure (on contact_province_monthly) or table telling whether a KPI has any source data
SOURCE_MEASURE = {"contacts": "contacts", "digital_share": "contacts",
                  "contacts_per_1000": "contacts", "complaint_reply_days": "complaints",
                  "complaint_reply_30d": "complaints"}  # fmt: skip


def kpis_with_data(engine: Engine, kpis: Sequence[str]) -> frozenset[str]:
    """The KPIs of kpis with any source data in the store (any period, any province).

    One EXISTS probe per source, on small tables (the province-level monthly contacts, the
    survey months, channel adoption by channel, association cases), all in one statement: e.g.
    line accessibility needs line-time data, which only some contact-centre reports carry.
    """
    probes: dict[tuple[str, str], Select[Any]] = {}  # KPIs often share one (contacts > 0)
    needs: dict[str, tuple[str, str]] = {}
    for code in dict.fromkeys(kpis):
        kpi = kpi_named(code)
        if kpi.family == "contact":
            table = CONTACT_PROVINCE_MONTHLY
            measure = SOURCE_MEASURE.get(code) or CONTACT_RATIOS[code][1]
            query = select(table.c.month).where(table.c[measure] > 0)
        elif kpi.family == "survey":
            table = SURVEYS.monthly
            measure = SURVEY_MEASURES_OF[code][0]
            query = select(table.c.month).where(table.c[measure] > 0)
        elif kpi.family == "adoption":
            table, measure = table_of(ChannelAdoption), ADOPTION_CHANNEL[code]
            query = select(table.c.id).where(table.c.channel_code == measure)
        else:
            table, measure = table_of(AssociationCase), ""
            query = select(table.c.id)
        needs[code] = (table.name, measure)
        probes.setdefault(needs[code], query)
    if not probes:
        return frozenset()
    with engine.connect() as connection:  # one round trip for every probe
        found = connection.execute(select(*(query.exists() for query in probes.values()))).one()
    answers = dict(zip(probes, (bool(answer) for answer in found), strict=True))
    return frozenset(code for code, probe in needs.items() if answers[probe])


def freshness(engine: Engine) -> datetime | None:
    """When the last import (or demo build) ran; None when nothing was ever imported."""
    with engine.connect() as connection:
        return connection.execute(select(func.max(table_of(ImportBatch).c.imported_at))).scalar()


def dimension_names(engine: Engine) -> dict[str, dict[str, str]]:
    """Display names per Filters attribute (provinces by sigla), for Filters.sentence."""
    found: dict[str, dict[str, str]] = {dimension.attr: {} for dimension in DIMENSIONS}
    names = []
    for dimension in DIMENSIONS:
        table, key, name = dimension.names
        columns = SQLModel.metadata.tables[table].c
        names.append(select(literal(dimension.attr), columns[key], columns[name]))
    with engine.connect() as connection:  # every dimension's names in one round trip
        for attr, code, label in connection.execute(union_all(*names)):
            found[attr][code] = label
    return found
