"""What an export holds: every kind honours the view's filters and the person's scope, raw rows
stream in chunks, and a raw csv export imports back into an empty store unchanged."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_access import migrate
from data_access.db import get_engine
from data_access.export import (
    KINDS,
    RAW,
    NotApplicable,
    count_rows,
    export,
    file_name,
    preview,
    provenance_for,
)
from data_access.filters import Filters
from data_access.importing import import_file
from data_access.models import ContactDaily, SurveyDaily, table_of
from data_access.periods import Period
from data_access.scope import Scope
from tests import kpi_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "fixtures" / "samples"
# analysts, who may export raw rows: the scope's provinces are checked apart from the role
# (the role's refusal: tests/test_access_roles.py)
EVERYONE = Scope.all_provinces("direzione@ascolto.example", role="analyst")
RAVENNA = Scope.of("ravenna@ascolto.example", ["RA"], role="analyst")
NOBODY = Scope(user="nobody@example.it", role="analyst")  # sees no province
JAN_FEB = Filters(period="custom", start=date(2025, 1, 1), end=date(2025, 2, 28))
KPI_KINDS = [kind for kind in KINDS if kind not in RAW]


def test_kinds_are_the_raw_ones_then_every_kpi_the_contacts_kpi_as_kpi_contacts() -> None:
    assert KINDS[:4] == ("contacts", "surveys", "association-cases", "kpi:contacts")
    assert len(KINDS) == 3 + 20


@pytest.fixture
def store(engine: Engine) -> Engine:
    return kpi_store.build(engine)


def rows(engine: Engine, kind: str, scope: Scope, filters: Filters = JAN_FEB, **options) -> list:
    out = io.BytesIO()
    export(engine, kind=kind, filters=filters, scope=scope, fmt="parquet", out=out, **options)
    table = pq.read_table(io.BytesIO(out.getvalue()), use_threads=False, pre_buffer=False)
    return table.to_pylist()


# --- scope ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "ravenna"),
    [
        ("contacts", ["c7", "c8", "c11", "c10", "c9"]),  # by day: 12/1 13/1 11/2 18/2 20/2
        ("surveys", ["b0", "b1", "b2", "b3", "b4"]),
        ("association-cases", ["a3"]),
    ],
)
def test_a_one_province_scope_exports_only_its_raw_rows(
    store: Engine, kind: str, ravenna: list[str]
) -> None:
    assert [row["source_id"] for row in rows(store, kind, RAVENNA)] == ravenna


@pytest.mark.parametrize("kind", KPI_KINDS)
def test_a_one_province_scope_exports_only_its_kpi_rows(store: Engine, kind: str) -> None:
    everywhere = rows(store, kind, EVERYONE, by=("province",))
    assert rows(store, kind, RAVENNA, by=("province",)) == [
        row for row in everywhere if row["province"] == "RA"
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_scope_exports_no_rows(store: Engine, kind: str) -> None:
    assert count_rows(store, kind=kind, filters=JAN_FEB, scope=NOBODY) == 0
    assert rows(store, kind, NOBODY) == []


def test_a_province_filter_cannot_widen_the_scope(store: Engine) -> None:
    filters = JAN_FEB.narrowed(provinces=("BO",))
    assert count_rows(store, kind="contacts", filters=filters, scope=RAVENNA) == 0


# --- filters ----------------------------------------------------------------------------------


def test_the_period_narrows_raw_rows(store: Engine) -> None:
    january = Filters(period="custom", start=date(2025, 1, 1), end=date(2025, 1, 31))
    found = [row["source_id"] for row in rows(store, "contacts", RAVENNA, january)]
    assert found == ["c7", "c8"]


def test_dimensions_narrow_raw_rows(store: Engine) -> None:
    filters = JAN_FEB.narrowed(channels=("phone",), areas=("IMOLA", "RA"))
    found = [row["source_id"] for row in rows(store, "contacts", EVERYONE, filters)]
    assert found == ["c7", "c9"]


def test_topics_narrow_association_cases(store: Engine) -> None:
    filters = JAN_FEB.narrowed(topics=("payments",))
    assert count_rows(store, kind="association-cases", filters=filters, scope=EVERYONE) == 0


def test_a_dimension_the_rows_do_not_carry_is_refused(store: Engine) -> None:
    with pytest.raises(NotApplicable, match="surveys rows carry no topic"):
        count_rows(
            store, kind="surveys", filters=JAN_FEB.narrowed(topics=("payments",)), scope=EVERYONE
        )


def test_a_kpi_that_does_not_depend_on_a_filter_is_refused(store: Engine) -> None:
    with pytest.raises(NotApplicable, match="^csi: "):
        count_rows(
            store, kind="csi", filters=JAN_FEB.narrowed(topics=("payments",)), scope=EVERYONE
        )


def test_a_kpi_exports_per_bucket_at_the_grain_by_dimensions(store: Engine) -> None:
    found = rows(store, "kpi:contacts", EVERYONE, grain="month", by=("province",))
    assert [(r["kpi"], r["bucket"], r["province"], r["value"]) for r in found] == [
        ("contacts", date(2025, 1, 1), "BO", 4.0),
        ("contacts", date(2025, 1, 1), "RA", 2.0),
        ("contacts", date(2025, 2, 1), "BO", 2.0),
        ("contacts", date(2025, 2, 1), "RA", 3.0 + 10),  # c9, c10, c11 and the report's 10
    ]


def test_a_kpi_counts_are_integers_and_its_buckets_dates(store: Engine) -> None:
    out = io.BytesIO()
    export(store, kind="csi", filters=JAN_FEB, scope=EVERYONE, fmt="parquet", out=out, grain="year")
    schema = pq.read_schema(io.BytesIO(out.getvalue()))
    assert (str(schema.field("bucket").type), str(schema.field("n").type)) == (
        "date32[day]",
        "int64",
    )


def test_raw_kinds_take_no_by(store: Engine) -> None:
    with pytest.raises(ValueError, match="raw rows"):
        count_rows(store, kind="contacts", filters=JAN_FEB, scope=EVERYONE, by=("province",))


def test_an_unknown_kind_is_refused_by_name(store: Engine) -> None:
    with pytest.raises(ValueError, match="unknown kind 'calls'"):
        count_rows(store, kind="calls", filters=JAN_FEB, scope=EVERYONE)


def test_preview_gives_the_first_rows_under_the_export_columns(store: Engine) -> None:
    first = preview(store, kind="association-cases", filters=JAN_FEB, scope=EVERYONE, limit=2)
    assert list(first.columns) == [
        "source_id",
        "opened_on",
        "association",
        "area",
        "topic",
        "answered_on",
        "closed_on",
        "status",
    ]
    assert first["source_id"].tolist() == ["a1", "a2"]


# --- streaming --------------------------------------------------------------------------------


def test_raw_rows_stream_from_the_cursor_in_chunks(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("data_access.export.kinds.CHUNK", 4)
    monkeypatch.setattr("data_access.export.formats.PARQUET_ROW_GROUP", 4)
    out, seen = io.BytesIO(), []
    written = export(
        store,
        kind="contacts",
        filters=JAN_FEB,
        scope=EVERYONE,
        fmt="parquet",
        out=out,
        progress=lambda stage, done, total: seen.append((done, total)),
    )
    assert written == 11
    assert pq.ParquetFile(io.BytesIO(out.getvalue())).metadata.num_row_groups == 3
    assert seen == [(0, 11), (4, 11), (8, 11), (11, 11)]


def test_csv_provenance_counts_the_rows_first(store: Engine) -> None:
    out = io.BytesIO()
    provenance = provenance_for(store, filters=JAN_FEB, scope=RAVENNA)
    export(
        store,
        kind="contacts",
        filters=JAN_FEB,
        scope=RAVENNA,
        fmt="csv",
        out=out,
        provenance=provenance,
    )
    head = out.getvalue().decode().splitlines()[:8]
    assert head[2:5] == [
        "# person: ravenna@ascolto.example",
        "# scope: RA",
        "# store version: import batch 1 (contacts) at 2025-03-01T09:30:00Z",
    ]
    assert head[6:8] == [
        "# rows: 5",
        "source_id,occurred_at,area,channel,segment,topic,"
        "customer_ref,association,queued,answered,abandoned,wait_seconds,"
        "handling_seconds,resolved_first_contact,is_complaint,replied_on",
    ]


# --- file names -------------------------------------------------------------------------------


def test_a_file_is_named_after_the_page_kpi_provinces_and_period() -> None:
    filters = Filters(period="2025", provinces=("RA",))
    assert (
        file_name("andamenti", filters, "service_level", "csv")
        == "ascolto_andamenti_LS_RA_2025-01-01_2025-12-31.csv"
    )


def test_a_relative_period_is_named_by_the_period_given_or_its_preset() -> None:
    shown = Period(date(2024, 3, 1), date(2025, 2, 20))
    assert file_name("panoramica", Filters(), None, "xlsx", shown) == (
        "ascolto_panoramica_2024-03-01_2025-02-20.xlsx"
    )
    assert file_name("export", Filters(), "contacts", "parquet") == (
        "ascolto_export_contacts_12m.parquet"
    )


# --- round trip -------------------------------------------------------------------------------


def _table(engine: Engine, model: type) -> list[tuple]:
    table = table_of(model)
    with engine.connect() as connection:
        return sorted(connection.execute(select(table)).all())


def test_a_raw_csv_export_imports_back_into_an_empty_store_with_the_same_aggregates(
    engine: Engine, tmp_path: Path
) -> None:
    for kind in ("contacts", "surveys", "association-cases"):
        import_file(engine=engine, kind=kind, path=SAMPLES / f"{kind}.csv")
    copy = get_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    migrate.prepare(copy)
    everything = Filters(period="custom", start=date(2000, 1, 1), end=date(2099, 12, 31))
    for kind in ("contacts", "surveys", "association-cases"):
        path = tmp_path / f"{kind}.csv"
        with path.open("wb") as out:
            export(engine, kind=kind, filters=everything, scope=EVERYONE, fmt="csv", out=out)
        import_file(engine=copy, kind=kind, path=path)
    assert _table(copy, ContactDaily) == _table(engine, ContactDaily)
    assert _table(copy, SurveyDaily) == _table(engine, SurveyDaily)
    assert len(_table(copy, SurveyDaily)) > 0
    for kind in ("contacts", "surveys", "association-cases", "association_reply_days", "nps"):
        before = rows(
            engine, kind, EVERYONE, everything, **({} if kind in RAW else {"by": ("province",)})
        )
        after = rows(
            copy, kind, EVERYONE, everything, **({} if kind in RAW else {"by": ("province",)})
        )
        assert pd.DataFrame(after).equals(pd.DataFrame(before)), kind
    copy.dispose()
