"""The Export page through AppTest: what to export (raw rows or a KPI's aggregate), the row count
and the first rows for the view and the person's scope, the lazy download, and the command line
offered over the browser limit.

Literal counts come from the hand-made store of tests/kpi_store.py: 11 contacts (5 in Ravenna:
c7-c11), 77 survey responses (5 in Ravenna), 3 association cases (a3 in Ravenna), all in
January-February 2025; the service level per province and month is BO 2 of 3 and 1 of 1, RA 1
of 1 and 9 of 11 (c9 and the contact-centre report's 8 of 10 offered).
"""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import streamlit
from apptest_support import demo_store, open_page, page_infos, small_store, use_store  # noqa: F401

from data_access import export, migrate
from data_access.filters import Filters
from data_access.scope import Scope
from pages import export as export_page

Y2025 = {"period": "2025"}


@pytest.fixture
def ravenna_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A person who sees Ravenna only, signed in."""
    access = tmp_path / "access.toml"
    access.write_text('[users."ra@x.it"]\nname = "RA"\nprovinces = ["RA"]\n', encoding="utf-8")
    monkeypatch.setenv("ASCOLTO_ACCESS_FILE", str(access))
    monkeypatch.setenv("ASCOLTO_USER", "ra@x.it")
    return "ra@x.it"


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[str, Callable[[], bytes]]]:
    """The download buttons drawn, by key: (file name, deferred callable)."""
    drawn: dict[str, tuple[str, Callable[[], bytes]]] = {}
    original = streamlit.download_button

    def record(label: str, data: Any, file_name: str, key: str, **kw: Any) -> bool:
        drawn[key] = (file_name, data)
        return original(label, data, file_name=file_name, key=key, **kw)

    monkeypatch.setattr(streamlit, "download_button", record)
    return drawn


def counted(app) -> str:
    return next(m.value for m in app.markdown if "da esportare" in m.value)


# --- what is exported ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "rows", "columns"),
    [
        ("contacts", 11, list(export.columns("contacts"))),
        ("surveys", 77, list(export.columns("surveys"))),
        ("association-cases", 3, list(export.columns("association-cases"))),
    ],
)
def test_each_raw_kind_shows_its_count_and_first_rows(
    kind: str, rows: int, columns: list[str], small_store: str, open_page
) -> None:
    app = open_page("export", kind=kind, **Y2025)
    assert not app.exception
    assert counted(app) == f"**{rows} righe da esportare.**"
    preview = app.dataframe[0].value
    assert list(preview.columns) == columns
    assert len(preview) == min(rows, 20)


def test_contacts_are_the_first_choice(small_store: str, open_page) -> None:
    app = open_page("export", **Y2025)
    assert app.selectbox(key="w_export_kind").value == "contacts"
    assert "kind" not in app.query_params


def test_the_preview_shows_the_first_20_rows(demo_store: str, use_store, open_page) -> None:
    engine = use_store(demo_store)
    app = open_page("export", kind="contacts", period="2024", province="RA")
    filters = Filters(period="2024", provinces=("RA",))
    everyone = Scope.all_provinces("t", role="analyst")
    expected = export.count_rows(engine, kind="contacts", filters=filters, scope=everyone)
    assert counted(app) == f"**{expected:,} righe da esportare.**".replace(",", ".")
    first = export.preview(engine, kind="contacts", filters=filters, scope=everyone)
    assert app.dataframe[0].value["source_id"].tolist() == first["source_id"].tolist()
    assert len(first) == 20


def test_a_kpis_aggregate_by_province(small_store: str, open_page) -> None:
    app = open_page("export", kind="service_level", **Y2025)
    assert not app.exception
    assert app.multiselect(key="w_export_by_service_level").value == ["province"]
    assert counted(app) == "**4 righe da esportare.**"
    preview = app.dataframe[0].value
    assert list(preview.columns) == list(export.columns("service_level", ("province",)))
    rows = preview[["bucket", "province", "value", "n"]].astype(str).values.tolist()
    assert rows == [
        ["2025-01-01", "BO", str(2 / 3 * 100), "3.0"],
        ["2025-01-01", "RA", "100.0", "1.0"],
        ["2025-02-01", "BO", "100.0", "1.0"],
        ["2025-02-01", "RA", str(9 / 11 * 100), "11.0"],
    ]


def test_a_kpi_without_dimensions_is_one_row_per_bucket(small_store: str, open_page) -> None:
    app = open_page("export", kind="service_level", **Y2025)
    app.multiselect(key="w_export_by_service_level").set_value([]).run()
    assert counted(app) == "**2 righe da esportare.**"


def test_a_kpi_offers_only_the_dimensions_it_depends_on(small_store: str, open_page) -> None:
    app = open_page("export", kind="csi", **Y2025)
    assert app.multiselect(key="w_export_by_csi").options == [
        "Province",
        "Aree",
        "Canali",
        "Segmenti",
    ]


def test_a_filter_the_rows_do_not_carry_is_said_in_words(small_store: str, open_page) -> None:
    app = open_page("export", kind="surveys", topic="bill_info", **Y2025)
    assert page_infos(app)[-1] == (
        "Le risposte ai questionari non si possono filtrare per Argomenti: "
        "togli quel filtro per esportarle."
    )
    assert not app.dataframe


# --- the view and the scope -------------------------------------------------------------------


def test_the_urls_filters_narrow_the_rows(small_store: str, open_page) -> None:
    app = open_page("export", kind="contacts", province="RA", **Y2025)
    assert counted(app) == "**5 righe da esportare.**"
    # by day: 12/1, 13/1, 11/2, 18/2, 20/2
    assert app.dataframe[0].value["source_id"].tolist() == ["c7", "c8", "c11", "c10", "c9"]


def test_one_province_in_scope_exports_only_it(
    small_store: str, ravenna_only: str, open_page
) -> None:
    app = open_page("export", kind="service_level", **Y2025)
    assert set(app.dataframe[0].value["province"]) == {"RA"}
    app = open_page("export", kind="kpi:contacts", **Y2025)
    assert set(app.dataframe[0].value["province"]) == {"RA"}


def test_a_regional_manager_is_offered_no_raw_rows_and_told_why(
    small_store: str, ravenna_only: str, open_page
) -> None:
    app = open_page("export", **Y2025)
    options = app.selectbox(key="w_export_kind").options
    assert "Contatti (righe)" not in options
    assert options[0] == "Contatti: aggregato per periodo"
    captions = [caption.value for caption in app.caption]
    assert any(c.startswith("Le righe di dettaglio (contatti, risposte") for c in captions)
    app = open_page("export", kind="contacts", **Y2025)  # a link asking for raw rows
    assert "kind=contacts" in app.warning[0].value
    assert app.selectbox(key="w_export_kind").value == "kpi:contacts"


def test_a_regional_manager_counts_and_sees_only_their_provinces(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", "romagna@ascolto.example")
    app = open_page("export", kind="kpi:contacts", period="2024", grain="year")
    preview = app.dataframe[0].value
    assert sorted(preview["province"]) == ["FC", "RA", "RN"]
    romagna = Filters(period="2024", grain="year", provinces=("FC", "RA", "RN"))
    everyone = Scope.all_provinces("t")
    expected = export.preview(
        engine, kind="kpi:contacts", filters=romagna, scope=everyone, by=("province",)
    )
    assert preview["value"].tolist() == expected["value"].tolist()


def test_someone_without_provinces_gets_nothing(
    small_store: str, open_page, monkeypatch: pytest.MonkeyPatch, downloads
) -> None:
    monkeypatch.setenv("ASCOLTO_USER", "nobody@example.it")
    app = open_page("export", **Y2025)
    assert app.title[0].value == "Nessun accesso ai dati"
    assert not app.dataframe
    assert downloads == {}


def test_an_empty_store_says_there_is_no_data(tmp_path: Path, use_store, open_page) -> None:
    migrate.prepare(use_store(f"sqlite:///{tmp_path / 'empty.db'}"))
    app = open_page("export")
    assert not app.exception
    assert not app.dataframe
    assert not app.get("download_button")
    assert page_infos(app)


# --- the download and the command line ------------------------------------------------------


def test_the_download_writes_the_export_of_the_view_on_the_click(
    small_store: str, open_page, downloads
) -> None:
    app = open_page("export", kind="association-cases", **Y2025)
    app.button_group[0].set_value("csv-it").run()
    assert "export_download_file" not in downloads  # nothing written before the click
    app.button(key="export_download_prepare").click().run()
    name, data = downloads["export_download_file"]
    assert name == "ascolto_esporta_association-cases_2025-01-01_2025-12-31.csv"
    expected = (
        "\ufeffsource_id;opened_on;association;area;topic;answered_on;closed_on;status\r\n"
        "a1;05/01/2025;adiconsum;BO;bill_dispute;25/01/2025;;answered\r\n"
        "a2;10/01/2025;adiconsum;IMOLA;bill_dispute;19/02/2025;;answered\r\n"
        "a3;01/02/2025;adiconsum;RA;bill_dispute;;;open\r\n"
    )
    assert data == expected.encode()
    assert app.get("progress")[0].proto.text == "3 di 3 righe scritte"


def test_a_written_file_is_dropped_when_the_view_changes(
    small_store: str, open_page, downloads
) -> None:
    app = open_page("export", kind="association-cases", **Y2025)
    app.button(key="export_download_prepare").click().run()
    assert "export_download" in app.session_state
    app.button_group[0].set_value("xlsx").run()
    assert "export_download" not in app.session_state
    assert app.button(key="export_download_prepare").label == "Prepara il file"


def test_a_managers_download_holds_only_their_provinces(
    small_store: str, ravenna_only: str, open_page, downloads
) -> None:
    app = open_page("export", kind="service_level", **Y2025)
    app.button(key="export_download_prepare").click().run()
    _, data = downloads["export_download_file"]
    header, *rows = data.decode().splitlines()
    province = header.split(",").index("province")
    assert rows and {row.split(",")[province] for row in rows} == {"RA"}


def _commands(app) -> list[str]:
    """The command lines the page shows: code spans in markdown (no st.code, see pages/export)."""
    return [md.value for md in app.markdown if md.value.startswith("`python -m data_access")]


def test_a_command_holding_backticks_is_fenced_by_more() -> None:
    assert export_page._code_span("echo `date`") == "`` echo `date` ``"


def test_over_the_limit_the_page_shows_the_command_line_instead(
    small_store: str, open_page, monkeypatch: pytest.MonkeyPatch, downloads
) -> None:
    monkeypatch.setattr(export_page, "BROWSER_LIMIT", 4)
    app = open_page("export", kind="contacts", province="RA", **Y2025)
    assert app.warning[0].value.startswith("5 righe sono troppe per un download dal browser")
    assert _commands(app) == [
        "`python -m data_access export contacts --url '?period=2025&province=RA' "
        "--format csv -o ascolto_esporta_contacts_RA_2025-01-01_2025-12-31.csv`"
    ]
    assert downloads == {}


def test_the_command_line_names_the_format_dimensions_and_person(
    small_store: str, ravenna_only: str, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_page, "BROWSER_LIMIT", 1)
    app = open_page("export", kind="service_level", **Y2025)
    app.button_group[0].set_value("parquet").run()
    assert _commands(app) == [
        "`python -m data_access export service_level --url '?period=2025' --by province "
        "--format parquet -o ascolto_esporta_LS_2025-01-10_2025-02-20.parquet --as ra@x.it`"
    ]


def test_under_the_limit_there_is_no_command_line(small_store: str, open_page, downloads) -> None:
    app = open_page("export", kind="contacts", **Y2025)
    assert _commands(app) == []
    assert app.button(key="export_download_prepare").label == "Prepara il file"
