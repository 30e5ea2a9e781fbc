"""Where an export comes from: the view, the person and their scope, the store version, when."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access.filters import Filters
from data_access.i18n import DEFAULT
from data_access.models import ImportBatch, table_of
from data_access.queries import dimension_names, latest_day
from data_access.scope import Scope

# the keys of Provenance.lines(), in order, with the attribute each one reads
KEYS: tuple[tuple[str, str], ...] = (
    ("view", "view"),
    ("url", "url"),
    ("person", "person"),
    ("scope", "scope"),
    ("store version", "store_version"),
    ("generated at", "generated_at"),
    ("rows", "rows"),
)


@dataclass(frozen=True)
class Provenance:
    """What an export holds and who made it: the lines of the XLSX sheet, Parquet metadata and
    the leading '# ' lines of a CSV.

    view is the view's sentence (Filters.sentence), url its link or query string, scope the
    person's provinces in words, store_version the last import batch, generated_at the UTC time
    in ISO form; rows is the row count (None until known: the writers fill it in where they can).
    """

    view: str
    url: str
    person: str
    scope: str
    store_version: str
    generated_at: str
    rows: int | None = None

    def items(self) -> list[tuple[str, str]]:
        """(key, value) pairs in the order of KEYS; an unknown row count is left out."""
        pairs = [(key, getattr(self, attr)) for key, attr in KEYS]
        return [(key, str(value)) for key, value in pairs if value is not None]

    def lines(self) -> list[str]:
        """'key: value' lines, e.g. 'rows: 1234'."""
        return [f"{key}: {value}" for key, value in self.items()]

    def with_rows(self, rows: int) -> Provenance:
        """A copy with the row count."""
        return replace(self, rows=rows)


def scope_sentence(scope: Scope) -> str:
    """The scope in words: 'all provinces', 'BO, FE, MO' or 'no province'."""
    if not scope.user:
        return "no province"
    if scope.everywhere:
        return "all provinces"
    return ", ".join(sorted(scope.provinces)) or "no province"


def store_version(engine: Engine) -> str:
    """The last import batch: 'import batch 12 (contacts) at 2025-03-01T09:30:00Z', or 'empty'."""
    batch = table_of(ImportBatch).c
    query = select(batch.id, batch.kind, batch.imported_at).order_by(batch.id.desc()).limit(1)
    with engine.connect() as connection:
        last = connection.execute(query).first()
    if last is None:
        return "empty store (no import)"
    return f"import batch {last.id} ({last.kind}) at {utc_iso(last.imported_at)}"


def utc_iso(moment: datetime) -> str:
    """A time as UTC ISO text to the second, e.g. '2025-03-01T09:30:00Z' (naive means UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def provenance_for(
    engine: Engine,
    *,
    filters: Filters,
    scope: Scope,
    url: str | None = None,
    rows: int | None = None,
    lang: str = DEFAULT,
    now: datetime | None = None,
) -> Provenance:
    """The provenance of an export of filters' view by scope's person.

    url defaults to the view's query string ('?period=2025&province=RA'); the view sentence is
    Filters.sentence over the period the view resolves to in the store, in lang.
    """
    period = filters.resolve(latest_day(engine))
    return Provenance(
        view=filters.sentence(period, dimension_names(engine), lang),
        url=url if url is not None else "?" + filters.to_query_string(),
        person=scope.user or "(nobody)",
        scope=scope_sentence(scope),
        store_version=store_version(engine),
        generated_at=utc_iso(now or datetime.now(UTC)),
        rows=rows,
    )
