"""What an export holds: raw rows (contacts, surveys, association cases) or a KPI's aggregate.

Raw rows come out under the import's canonical column names (data_access.importing.formats),
so an export imports back; they are read with parameterised SQLAlchemy Core and streamed from
the database cursor in chunks. A KPI's aggregate is kpi_series at a grain by dimensions.
Every query applies the Filters and the Scope here, fail closed: an empty scope gives no rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import BinaryIO

import pandas as pd
from sqlalchemy import ColumnElement, Select, false, func, select
from sqlalchemy.engine import Connection, Engine

from data_access.dimensions import BY_ATTR, DIMENSIONS
from data_access.export.formats import FORMATS, ColumnType, write_frames
from data_access.export.provenance import Provenance
from data_access.filters import GRAINS, Filters, Window
from data_access.i18n import text
from data_access.kpis import KPIS
from data_access.models import (
    Area,
    AssociationCase,
    Contact,
    Province,
    SQLModel,
    SurveyResponse,
    table_of,
)
from data_access.periods import Period
from data_access.progress import Progress
from data_access.queries import first_day, kpi_series, latest_day
from data_access.queries.rollup import BY_KEY, KEY_ORDER
from data_access.scope import Scope

CHUNK = 5_000  # rows per chunk read from the cursor and written out: a chunk of raw contacts
# costs the exporting process about 14 KB a row while it is converted (measured: 10,000-row chunks
# peaked at 302 MB for a parquet export of 415k contacts, 5,000-row ones at 277 MB; imports 160 MB)
STAGE = "export"  # the progress stage


class NotApplicable(ValueError):
    """The view filters on a dimension the kind's rows do not carry (e.g. surveys by topic)."""


class NotAllowed(PermissionError):
    """The person's role may not export this kind: raw rows are for analysts and admins."""


@dataclass(frozen=True)
class RawKind:
    """A raw export: its table, the column of its period and the dimensions its rows carry."""

    kind: str
    table: str
    day_column: str  # the day the period filters on
    dimensions: frozenset[str]  # Filters attributes (besides provinces) it can be narrowed by


RAW: dict[str, RawKind] = {
    "contacts": RawKind(
        "contacts", "contact", "day", frozenset({"areas", "channels", "segments", "topics"})
    ),
    "surveys": RawKind(
        "surveys", "survey_response", "day", frozenset({"areas", "channels", "segments"})
    ),  # fmt: skip
    "association-cases": RawKind(
        "association-cases", "association_case", "opened_on", frozenset({"areas", "topics"})
    ),
}
MODELS: dict[str, type[SQLModel]] = {
    "contacts": Contact,
    "surveys": SurveyResponse,
    "association-cases": AssociationCase,
}
KPI_PREFIX = "kpi:"
KINDS: tuple[str, ...] = (*RAW, *(KPI_PREFIX + code if code in RAW else code for code in KPIS))
"""What can be exported: the raw kinds, then every KPI (its aggregate) by its code; a KPI
whose code is also a raw kind's (contacts) is kpi:CODE. kpi:CODE is accepted for any KPI."""

# the columns of each raw kind: canonical name -> type (the import's names, in its order)
RAW_COLUMNS: dict[str, dict[str, ColumnType]] = {
    "contacts": {
        "source_id": "text",
        "occurred_at": "datetime",
        "area": "text",
        "channel": "text",
        "segment": "text",
        "topic": "text",
        "customer_ref": "text",
        "association": "text",
        "queued": "bool",
        "answered": "bool",
        "abandoned": "bool",
        "wait_seconds": "number",
        "handling_seconds": "number",
        "resolved_first_contact": "bool",
        "is_complaint": "bool",
        "replied_on": "date",
    },
    "surveys": {
        "source_id": "text",
        "responded_at": "datetime",
        "area": "text",
        "channel": "text",
        "segment": "text",
        "contact_source_id": "text",
        "satisfaction": "number",
        "scale_min": "int",
        "scale_max": "int",
        "recommendation": "int",
        "effort": "int",
        "comment": "text",
    },
    "association-cases": {
        "source_id": "text",
        "opened_on": "date",
        "association": "text",
        "area": "text",
        "topic": "text",
        "answered_on": "date",
        "closed_on": "date",
        "status": "text",
    },
}
# the store's column behind each canonical name that differs from it
STORED_AS = {
    "area": "area_code",
    "channel": "channel_code",
    "segment": "segment_code",
    "topic": "topic_code",
    "association": "association_code",
    "satisfaction": "satisfaction_raw",
}
KPI_RESULT_TYPES: dict[str, ColumnType] = {
    "value": "number",
    "n": "int",
    "ci_low": "number",
    "ci_high": "number",
    "se": "number",
    "suppressed": "bool",
    "provisional": "bool",
    "pending": "int",
    "unanswered": "int",
}


def columns(kind: str, by: Sequence[str] = ()) -> dict[str, ColumnType]:
    """The columns an export of kind writes, in order, with their types."""
    if kind in RAW_COLUMNS:
        return dict(RAW_COLUMNS[kind])
    _check_kind(kind)
    keys: dict[str, ColumnType] = {"kpi": "text", "bucket": "date"}
    keys |= dict.fromkeys(_by(by), "text")
    return keys | KPI_RESULT_TYPES


def kpi_of(kind: str) -> str | None:
    """The KPI code an export kind names ('csi', 'kpi:contacts' -> 'contacts'); None for a raw
    kind or an unknown one."""
    if kind in RAW:
        return None
    code = kind.removeprefix(KPI_PREFIX)
    return code if code in KPIS else None


def _check_kind(kind: str) -> None:
    if kind not in RAW and kpi_of(kind) is None:
        raise ValueError(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")


def check_allowed(kind: str, scope: Scope) -> None:
    """Raise NotAllowed when kind is raw rows and scope's role may not export them."""
    if kind in RAW and not scope.may_export_raw:
        who = f"{scope.user} ({scope.role or 'no role'})" if scope.user else "nobody signed in"
        raise NotAllowed(
            f"{who} may not export raw rows ({kind}): they are for analysts and admins; "
            "a KPI's aggregate is allowed (e.g. kpi:contacts)"
        )


def _by(by: Sequence[str]) -> tuple[str, ...]:
    """Dimensions by URL parameter, each once, in the engine's key order."""
    for key in by:
        if key not in BY_KEY:
            raise ValueError(f"unknown dimension {key!r}; dimensions: {', '.join(BY_KEY)}")
    return tuple(key for key in KEY_ORDER if key in by)


def _grain(filters: Filters, grain: str | None) -> Filters:
    if grain is None:
        return filters
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}; grains: {', '.join(GRAINS)}")
    return replace(filters, grain=grain)


def view_period(engine: Engine, filters: Filters) -> Period | None:
    """The period a page shows for filters: fitted to the store's data window (Filters.fit)."""
    first, latest = first_day(engine), latest_day(engine)
    window = Window(first, latest) if first is not None and latest is not None else None
    return filters.fit(window).period


# --- raw rows ---------------------------------------------------------------------------------


def _province_codes(connection: Connection, siglas: frozenset[str] | None) -> frozenset[str] | None:
    """ISTAT codes of the visible sigle (None: no limit; unknown sigle match nothing)."""
    if siglas is None or not siglas:
        return siglas
    province = table_of(Province).c
    found = connection.execute(select(province.code).where(province.sigla.in_(sorted(siglas))))
    return frozenset(found.scalars())


def _raw_query(
    kind: str, filters: Filters, scope_codes: frozenset[str] | None, period: Period | None
) -> Select:
    """The raw rows of kind in the view and scope, under their canonical names, by day and id."""
    spec = RAW[kind]
    selected = [attr for attr in BY_ATTR if attr != "provinces" and getattr(filters, attr)]
    missing = [attr for attr in selected if attr not in spec.dimensions]
    if missing:
        raise NotApplicable(
            f"{kind} rows carry no {', '.join(BY_ATTR[a].param for a in missing)}: "
            "remove that filter to export them"
        )
    table = table_of(MODELS[kind])
    area = table_of(Area)
    outputs = []
    joined = table.join(area, area.c.code == table.c.area_code)
    for name in RAW_COLUMNS[kind]:
        if name == "contact_source_id":
            contact = table_of(Contact).alias("surveyed")
            joined = joined.outerjoin(contact, contact.c.id == table.c.contact_id)
            outputs.append(contact.c.source_id.label(name))
        else:
            outputs.append(table.c[STORED_AS.get(name, name)].label(name))
    conditions: list[ColumnElement[bool]] = []
    if period is not None:
        conditions += [
            table.c[spec.day_column] >= period.start,
            table.c[spec.day_column] <= period.end,
        ]
    if scope_codes is not None:
        conditions.append(area.c.province_code.in_(sorted(scope_codes)) if scope_codes else false())
    for dimension in DIMENSIONS:
        values = getattr(filters, dimension.attr)
        if values and not dimension.scoped:
            conditions.append(table.c[dimension.column].in_(values))
    # in day order, then id: the day index gives the rows sorted, so the first chunk goes out at
    # once, where an id order over a period made SQLite sort every row before the first one
    day = table.c[spec.day_column]
    return select(*outputs).select_from(joined).where(*conditions).order_by(day, table.c.id)


def _raw_chunks(
    engine: Engine, kind: str, filters: Filters, scope: Scope, period: Period | None,
    limit: int | None = None,
) -> Iterator[pd.DataFrame]:  # fmt: skip
    """The raw rows in chunks of CHUNK, streamed from the cursor."""
    with engine.connect() as connection:
        codes = _province_codes(connection, scope.visible(filters.provinces))
        query = _raw_query(kind, filters, codes, period)
        if limit is not None:
            query = query.limit(limit)
        names = list(RAW_COLUMNS[kind])
        streamed = connection.execution_options(stream_results=True, yield_per=CHUNK)
        result = streamed.execute(query)
        for rows in result.partitions(CHUNK):
            yield pd.DataFrame.from_records(rows, columns=names)


def _raw_count(
    engine: Engine, kind: str, filters: Filters, scope: Scope, period: Period | None
) -> int:
    with engine.connect() as connection:
        codes = _province_codes(connection, scope.visible(filters.provinces))
        query = _raw_query(kind, filters, codes, period).order_by(None)
        counted = select(func.count()).select_from(query.subquery())
        return int(connection.execute(counted).scalar_one())


# --- KPI aggregates ---------------------------------------------------------------------------


def _kpi_frame(
    engine: Engine, kind: str, filters: Filters, scope: Scope, by: Sequence[str],
    period: Period | None,
) -> pd.DataFrame:  # fmt: skip
    """kind's KPI per bucket (at filters.grain) and by the dimensions, as the export writes it."""
    kpi = KPIS[kpi_of(kind) or kind]
    ignored = kpi.ignored_by(filters)
    if ignored:
        raise NotApplicable(f"{kpi.code}: {' '.join(_not_applicable(ignored))}")
    keys = _by(by)
    frame = kpi_series(
        engine=engine, filters=filters, scope=scope, kpi=kpi.code, by=("bucket", *keys),
        period=period,
    )  # fmt: skip
    frame.insert(0, "kpi", kpi.code)
    return frame


def _not_applicable(dimensions: Sequence[str]) -> list[str]:
    return [text(f"kpi.not_applicable.{dimension}", "en") for dimension in dimensions]


# --- public -----------------------------------------------------------------------------------


def _prepared(
    engine: Engine, kind: str, filters: Filters, scope: Scope, grain: str | None,
    by: Sequence[str], period: Period | None,
) -> tuple[Filters, Period | None]:  # fmt: skip
    """Check kind, the scope's right to it, grain and by; the filters at the grain and the
    period to read.

    The period defaults to the one asked for (Filters.resolve) for raw rows, and for a KPI to
    the one its page shows (view_period: fitted to the data window), so the numbers match.
    """
    _check_kind(kind)
    check_allowed(kind, scope)
    if kind in RAW and by:
        raise ValueError(f"{kind} are raw rows: --by applies to a KPI's aggregate")
    _by(by)
    filters = _grain(filters, grain)
    if period is None:
        raw = kind in RAW
        period = filters.resolve(latest_day(engine)) if raw else view_period(engine, filters)
    return filters, period


def count_rows(
    engine: Engine,
    *,
    kind: str,
    filters: Filters,
    scope: Scope,
    grain: str | None = None,
    by: Sequence[str] = (),
    period: Period | None = None,
) -> int:
    """How many rows an export of kind for this view and scope holds.

    period defaults to the view's (view_period); grain to filters.grain (KPI kinds only).
    NotAllowed for raw rows when the scope's role may not export them.
    """
    filters, period = _prepared(engine, kind, filters, scope, grain, by, period)
    if kind in RAW:
        return _raw_count(engine, kind, filters, scope, period)
    return len(_kpi_frame(engine, kind, filters, scope, by, period))


def preview(
    engine: Engine,
    *,
    kind: str,
    filters: Filters,
    scope: Scope,
    grain: str | None = None,
    by: Sequence[str] = (),
    limit: int = 20,
    period: Period | None = None,
) -> pd.DataFrame:
    """The first limit rows of the export, under its column names (NotAllowed as export)."""
    filters, period = _prepared(engine, kind, filters, scope, grain, by, period)
    if kind in RAW:
        chunks = list(_raw_chunks(engine, kind, filters, scope, period, limit=limit))
        if chunks:
            return pd.concat(chunks, ignore_index=True)
        return pd.DataFrame(columns=list(RAW_COLUMNS[kind]))
    return _kpi_frame(engine, kind, filters, scope, by, period).head(limit)


def export(
    engine: Engine,
    *,
    kind: str,
    filters: Filters,
    scope: Scope,
    fmt: str,
    out: BinaryIO,
    grain: str | None = None,
    by: Sequence[str] = (),
    provenance: Provenance | None = None,
    progress: Progress | None = None,
    period: Period | None = None,
) -> int:
    """Write the export of kind for this view and scope to out in format fmt; return its rows.

    Raw rows stream from the database cursor in chunks of CHUNK rows. provenance (see
    provenance_for) goes where the format keeps it; a CSV gets its row count counted first.
    progress(STAGE, rows written, rows in all) is called after each chunk. Raw rows only for a
    role allowed them (Scope.may_export_raw), else NotAllowed before anything is written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    filters, period = _prepared(engine, kind, filters, scope, grain, by, period)
    types = columns(kind, by)
    if kind in RAW:
        total = None
        needs_count = provenance is not None and provenance.rows is None and "csv" in fmt
        if progress is not None or needs_count:
            total = _raw_count(engine, kind, filters, scope, period)
        chunks: Iterator[pd.DataFrame] | list[pd.DataFrame]
        chunks = _raw_chunks(engine, kind, filters, scope, period)
    else:
        frame = _kpi_frame(engine, kind, filters, scope, by, period)
        total, chunks = len(frame), [frame]
    if provenance is not None and provenance.rows is None and total is not None:
        provenance = provenance.with_rows(total)
    if progress is not None:
        progress(STAGE, 0, total or 0)

    def report(done: int) -> None:
        if progress is not None:
            progress(STAGE, done, max(done, total or 0))

    return write_frames(chunks, fmt, out, provenance=provenance, columns_types=types,
                        on_rows=report)  # fmt: skip


def _short_name(kpi: str) -> str:
    """A KPI's abbreviation from its Italian name ('Livello di servizio (LS)' -> 'LS'), or its
    code; any other text as given."""
    if kpi in KPIS:
        found = re.search(r"\(([^()]+)\)\s*$", KPIS[kpi].label("it"))
        return found.group(1) if found else kpi
    return kpi


def _safe(part: str) -> str:
    """A file-name part: letters, digits, '-' and '_' only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", part).strip("-")


def file_name(
    page: str, filters: Filters, kpi: str | None, fmt: str, period: Period | None = None
) -> str:
    """The download's name, e.g. 'ascolto_andamenti_LS_RA_2025-01-01_2025-12-31.csv'.

    page is the page's Italian slug (the caller's); kpi a KPI code (named by its abbreviation)
    or None; the period is the one given, else the filters' own dates, else their preset
    ('12m', 'ytd').
    """
    parts = ["ascolto", page]
    if kpi:
        parts.append(_short_name(kpi))
    parts += list(filters.provinces)
    if period is None and (filters.period != "custom" or (filters.start and filters.end)):
        period = filters.resolve(None)
    if period is not None:
        parts += [period.start.isoformat(), period.end.isoformat()]
    else:
        parts.append(filters.period)
    name = "_".join(safe for part in parts if (safe := _safe(part)))
    return f"{name}.{FORMATS[fmt].extension}"
