"""The download under every table (ui/downloads.py): one lazy button per format, named after the
page and the view, holding exactly the table's rows as values; nothing is written until a click.

The exact files come from the hand-made store of tests/kpi_store.py: Ravenna's service level
(LS = calls answered within 20 s ÷ calls offered × 100) is January 1 of 1 call (c7) = 100 and
February 9 of 11: c9 within 20 s (1 of 1) and the contact-centre report's 8 of 10 offered.
Its data runs from 2025-01-10 to 2025-02-20: the page shows January-February cut to those days,
and the files are named after the period shown.
"""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pandas as pd
import pytest
import streamlit
from apptest_support import demo_store, open_page, shown, small_store, use_store  # noqa: F401

from ui import downloads

FEB = {"period": "custom", "from": "2025-01-01", "to": "2025-02-28", "grain": "month"}
FORMATS = ["csv", "csv-it", "xlsx", "parquet"]


class Button:
    """One st.download_button as drawn: its file name, MIME type and deferred callable."""

    def __init__(self, file_name: str, mime: str, data: Callable[[], bytes]) -> None:
        self.file_name, self.mime, self.data = file_name, mime, data


@pytest.fixture
def buttons(monkeypatch: pytest.MonkeyPatch) -> dict[str, Button]:
    """Every download button the runs draw, by key ('trend_table_download_csv')."""
    drawn: dict[str, Button] = {}
    original = streamlit.download_button

    def record(label: str, data: Any, file_name: str, mime: str, key: str, **kw: Any) -> bool:
        drawn[key] = Button(file_name, mime, data)
        return original(label, data, file_name=file_name, mime=mime, key=key, **kw)

    monkeypatch.setattr(streamlit, "download_button", record)
    return drawn


def read_parquet(data: bytes) -> Any:
    import pyarrow.parquet as pq

    return pq.read_table(io.BytesIO(data), use_threads=False, pre_buffer=False)


def test_pages_are_named_by_their_italian_titles() -> None:
    assert [
        downloads.page_slug(path)
        for path in ("overview", "trends", "channels", "contact-centre", "export")
    ] == ["panoramica", "andamenti", "canali", "call-center", "esporta"]


def test_a_table_gets_one_download_per_format_named_after_page_kpi_and_view(
    small_store: str, buttons: dict[str, Button], open_page
) -> None:
    app = open_page("trends", province="RA", **FEB)
    assert not app.exception
    assert {key: button.file_name for key, button in buttons.items() if "trend" in key} == {
        "trend_table_download_csv": "ascolto_andamenti_LS_RA_2025-01-10_2025-02-20.csv",
        "trend_table_download_csv-it": "ascolto_andamenti_LS_RA_2025-01-10_2025-02-20.csv",
        "trend_table_download_xlsx": "ascolto_andamenti_LS_RA_2025-01-10_2025-02-20.xlsx",
        "trend_table_download_parquet": "ascolto_andamenti_LS_RA_2025-01-10_2025-02-20.parquet",
    }
    assert [b.label for b in app.get("download_button")][:4] == [
        "CSV",
        "CSV per Excel in italiano",
        "Excel (xlsx)",
        "Parquet",
    ]


def test_the_csv_holds_the_tables_values_not_its_display_text(
    small_store: str, buttons: dict[str, Button], open_page
) -> None:
    open_page("trends", province="RA", **FEB)
    assert buttons["trend_table_download_csv"].data() == (
        b"bucket,province,value,n\n"
        b"2025-01-01,Ravenna,100.0,1\n"
        b"2025-02-01,Ravenna,81.81818181818183,11\n"
    )


def test_the_csv_for_italian_excel_has_bom_semicolons_decimal_commas_and_crlf(
    small_store: str, buttons: dict[str, Button], open_page
) -> None:
    open_page("trends", province="RA", **FEB)
    assert (
        buttons["trend_table_download_csv-it"].data()
        == (
            "\ufeffbucket;province;value;n\r\n"
            "01/01/2025;Ravenna;100,0;1\r\n"
            "01/02/2025;Ravenna;81,81818181818183;11\r\n"
        ).encode()
    )


def test_the_parquet_is_typed_and_carries_the_provenance(
    small_store: str, buttons: dict[str, Button], open_page
) -> None:
    open_page("trends", province="RA", **FEB)
    import pyarrow.parquet as pq

    data = buttons["trend_table_download_parquet"].data()
    table = read_parquet(data)
    types = [str(field.type) for field in table.schema]
    assert types == ["date32[day]", "string", "double", "int64"]
    assert table.column("n").to_pylist() == [1, 11]
    about = json.loads(pq.read_metadata(io.BytesIO(data)).metadata[b"ascolto.provenance"])
    assert about["url"] == ("/trends?period=custom&from=2025-01-01&to=2025-02-28&province=RA")
    assert about["person"] == "locale"
    assert about["scope"] == "all provinces"
    assert about["rows"] == "2"
    assert about["view"].startswith("Dal 01/01/2025 al 28/02/2025")


def test_the_xlsx_has_the_rows_and_a_provenance_sheet(
    small_store: str, buttons: dict[str, Button], open_page
) -> None:
    from openpyxl import load_workbook

    open_page("trends", province="RA", **FEB)
    book = load_workbook(io.BytesIO(buttons["trend_table_download_xlsx"].data()))
    assert list(book["Dati"].iter_rows(values_only=True)) == [
        ("bucket", "province", "value", "n"),
        (datetime(2025, 1, 1), "Ravenna", 100.0, 1),
        (datetime(2025, 2, 1), "Ravenna", 9 / 11 * 100, 11),
    ]
    about = dict(book["Provenance"].iter_rows(values_only=True))
    assert about["rows"] == "2"


def test_nothing_is_written_until_a_button_is_clicked(
    small_store: str, buttons: dict[str, Button], open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    real = downloads.write_frame

    def write(table: Any, fmt: str, **options: Any) -> bytes:
        written.append(fmt)
        return real(table, fmt, **options)

    monkeypatch.setattr(downloads, "write_frame", write)
    app = open_page("trends", province="RA", **FEB)
    assert not app.exception
    assert written == []
    buttons["map_table_download_csv-it"].data()
    assert written == ["csv-it"]


@pytest.mark.parametrize("section", ["adoption", "mix", "digital", "satisfaction"])
def test_every_channels_table_has_its_download(
    section: str, demo_store: str, use_store, buttons: dict[str, Button], open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels", section=section)
    assert not app.exception
    assert len(app.get("download_button")) == 4 * len(app.dataframe) > 0


def test_a_regional_managers_download_holds_only_their_provinces(
    demo_store: str, use_store, buttons: dict[str, Button], open_page, monkeypatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", "romagna@ascolto.example")
    app = open_page("trends")
    assert not app.exception
    text = buttons["map_table_download_csv"].data().decode()
    provinces = [line.split(",")[0] for line in text.splitlines()[1:]]
    assert provinces == ["Forlì-Cesena", "Ravenna", "Rimini"]
    assert sorted(shown(app.dataframe[1])["province"]) == provinces


@pytest.mark.parametrize("section", ["compliance", "calls", "waiting", "when", "why"])
def test_every_contact_centre_table_has_its_download(
    section: str, demo_store: str, use_store, buttons: dict[str, Button], open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section=section, province="RA", period="2024")
    assert not app.exception
    assert len(app.get("download_button")) == 4 * len(app.dataframe) > 0


def test_counts_are_written_as_whole_numbers(
    demo_store: str, use_store, buttons: dict[str, Button], open_page
) -> None:
    use_store(demo_store)
    open_page("contact-centre", section="calls", province="RA", period="2024")
    lines = buttons["centre_calls_table_download_csv"].data().decode().splitlines()
    assert lines[0] == "bucket,offered,answered,abandoned,other,service_level_80_20,aht,fcr"
    offered = [line.split(",")[1] for line in lines[1:]]
    assert len(offered) == 12
    assert all(value.isdigit() for value in offered)


def test_a_count_with_a_fraction_stays_a_number() -> None:
    table = pd.DataFrame({"value": [0.3, 0.5], "n": [222310.5, 12.0], "k": [1.0, 2.0]})
    assert downloads.column_types(table, counts=("n", "k")) == {
        "value": "number",
        "n": "number",
        "k": "int",
    }
