"""The export formats byte for byte: csv, csv-it, xlsx and parquet, and formula neutralisation."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from data_access.export import FORMATS, Provenance, formats, neutralise, write_frame, write_frames
from data_access.export.formats import TooManyRows

TYPES = {
    "source_id": "text",
    "contacts": "int",
    "score": "number",
    "day": "date",
    "occurred_at": "datetime",
    "answered": "bool",
}
FRAME = pd.DataFrame(
    {
        "source_id": ["A1", "=1+1", 'say "hi"; ok', None],
        "contacts": [1200, 3, None, 0],
        "score": [-3.5, 0.25, None, 1234.0],
        "day": [date(2025, 1, 2), date(2025, 12, 31), None, date(2025, 2, 28)],
        "occurred_at": [
            datetime(2025, 1, 2, 8, 3, 4),
            None,
            datetime(2025, 12, 31, 23, 59, 59),
            datetime(2025, 2, 28, 0, 0, 0),
        ],  # fmt: skip
        "answered": [True, False, None, True],
    }
)
PROVENANCE = Provenance(
    view="Dal 01/01/2025 al 31/12/2025; per mese; province: Ravenna (RA).",
    url="?period=2025&province=RA",
    person="romagna@ascolto.example",
    scope="FC, RA, RN",
    store_version="import batch 3 (contacts) at 2025-03-01T09:30:00Z",
    generated_at="2026-01-05T10:00:00Z",
)


def _read_parquet(data: bytes) -> pa.Table:
    # no thread pools: pyarrow's pre-buffering threads can abort the interpreter at exit
    return pq.read_table(io.BytesIO(data), use_threads=False, pre_buffer=False)


# --- csv --------------------------------------------------------------------------------------


def test_csv_is_utf8_comma_iso_dates_dot_decimals_and_lf() -> None:
    assert write_frame(FRAME, "csv", columns_types=TYPES) == (
        b"source_id,contacts,score,day,occurred_at,answered\n"
        b"A1,1200,-3.5,2025-01-02,2025-01-02 08:03:04,true\n"
        b"'=1+1,3,0.25,2025-12-31,,false\n"
        b'"say ""hi""; ok",,,,2025-12-31 23:59:59,\n'
        b",0,1234.0,2025-02-28,2025-02-28 00:00:00,true\n"
    )


def test_csv_it_has_a_bom_semicolons_decimal_commas_italian_dates_and_crlf() -> None:
    assert write_frame(FRAME, "csv-it", columns_types=TYPES) == (
        b"\xef\xbb\xbfsource_id;contacts;score;day;occurred_at;answered\r\n"
        b"A1;1200;-3,5;02/01/2025;02/01/2025 08:03:04;true\r\n"
        b"'=1+1;3;0,25;31/12/2025;;false\r\n"
        b'"say ""hi""; ok";;;;31/12/2025 23:59:59;\r\n'
        b";0;1234,0;28/02/2025;28/02/2025 00:00:00;true\r\n"
    )


def test_csv_quotes_a_comma_and_line_breaks_but_not_a_semicolon() -> None:
    frame = pd.DataFrame({"comment": ["a,b", "line\nbreak", "cr\rhere", "a;b"]})
    assert write_frame(frame, "csv") == (b'comment\n"a,b"\n"line\nbreak"\n"cr\rhere"\na;b\n')


def test_csv_it_quotes_a_semicolon_but_not_a_comma() -> None:
    frame = pd.DataFrame({"comment": ["a,b", "a;b"]})
    assert write_frame(frame, "csv-it") == b'\xef\xbb\xbfcomment\r\na,b\r\n"a;b"\r\n'


def test_csv_provenance_comes_as_leading_hash_lines_only_when_given() -> None:
    frame = pd.DataFrame({"n": [1, 2]})
    assert write_frame(frame, "csv", provenance=PROVENANCE) == (
        b"# view: Dal 01/01/2025 al 31/12/2025; per mese; province: Ravenna (RA).\n"
        b"# url: ?period=2025&province=RA\n"
        b"# person: romagna@ascolto.example\n"
        b"# scope: FC, RA, RN\n"
        b"# store version: import batch 3 (contacts) at 2025-03-01T09:30:00Z\n"
        b"# generated at: 2026-01-05T10:00:00Z\n"
        b"n\n1\n2\n"
    )
    assert write_frame(frame, "csv") == b"n\n1\n2\n"


def test_csv_it_provenance_lines_follow_the_bom_and_end_in_crlf() -> None:
    data = write_frame(pd.DataFrame({"n": [1]}), "csv-it", provenance=PROVENANCE.with_rows(1))
    assert data.startswith(b"\xef\xbb\xbf# view: Dal 01/01/2025")
    assert data.endswith(b"# rows: 1\r\nn\r\n1\r\n")


def test_chunks_stream_one_after_another_under_one_header() -> None:
    out = io.BytesIO()
    chunks = [pd.DataFrame({"n": [1, 2]}), pd.DataFrame({"n": [3]})]
    seen: list[int] = []
    written = write_frames(chunks, "csv", out, on_rows=seen.append)
    assert (written, out.getvalue(), seen) == (3, b"n\n1\n2\n3\n", [2, 3])


def test_an_empty_export_has_the_header_alone() -> None:
    out = io.BytesIO()
    written = write_frames([], "csv", out, columns_types={"a": "text", "b": "int"})
    assert (written, out.getvalue()) == (0, b"a,b\n")


def test_an_unknown_format_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown format 'ods'"):
        write_frame(FRAME, "ods")


def test_formats_name_their_extension_and_mime_type() -> None:
    assert {code: (f.extension, f.mime) for code, f in FORMATS.items()} == {
        "csv": ("csv", "text/csv"),
        "csv-it": ("csv", "text/csv"),
        "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "parquet": ("parquet", "application/vnd.apache.parquet"),
    }


# --- formula neutralisation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+39 333 1234567", "'+39 333 1234567"),
        ("-3,5", "'-3,5"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(text: str, written: str) -> None:
    assert neutralise(text) == written


def test_a_negative_number_is_written_as_a_number_not_neutralised() -> None:
    frame = pd.DataFrame({"as_text": ["-3,5"], "as_number": [-3.5]})
    assert write_frame(frame, "csv-it") == b"\xef\xbb\xbfas_text;as_number\r\n'-3,5;-3,5\r\n"


# --- xlsx -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook():  # noqa: ANN201 - openpyxl has no types
    data = write_frame(FRAME, "xlsx", provenance=PROVENANCE, columns_types=TYPES)
    return load_workbook(io.BytesIO(data))


def test_xlsx_holds_native_numbers_dates_and_booleans(workbook) -> None:  # noqa: ANN001
    rows = list(workbook["Dati"].iter_rows(min_row=2, values_only=True))
    assert rows[0] == ("A1", 1200, -3.5, datetime(2025, 1, 2), datetime(2025, 1, 2, 8, 3, 4), True)
    assert rows[2] == ('say "hi"; ok', None, None, None, datetime(2025, 12, 31, 23, 59, 59), None)


def test_xlsx_neutralises_formulas(workbook) -> None:  # noqa: ANN001
    cell = workbook["Dati"]["A3"]
    assert (cell.value, cell.data_type) == ("'=1+1", "s")


def test_xlsx_formats_numbers_and_dates(workbook) -> None:  # noqa: ANN001
    sheet = workbook["Dati"]
    formats = [sheet.cell(row=2, column=c).number_format for c in range(2, 6)]
    assert formats == ["#,##0", "#,##0.0##", "mm-dd-yy", "m/d/yy h:mm"]


def test_xlsx_has_a_bold_frozen_header_and_column_widths(workbook) -> None:  # noqa: ANN001
    sheet = workbook["Dati"]
    assert [c.value for c in sheet[1]] == list(TYPES)
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 14  # 'say "hi"; ok' + 2
    assert sheet.column_dimensions["F"].width == 10  # the header answered + 2


def test_xlsx_second_sheet_is_the_provenance_with_the_row_count(workbook) -> None:  # noqa: ANN001
    assert workbook.sheetnames == ["Dati", "Provenance"]
    rows = list(workbook["Provenance"].iter_rows(values_only=True))
    assert rows == [
        ("view", "Dal 01/01/2025 al 31/12/2025; per mese; province: Ravenna (RA)."),
        ("url", "?period=2025&province=RA"),
        ("person", "romagna@ascolto.example"),
        ("scope", "FC, RA, RN"),
        ("store version", "import batch 3 (contacts) at 2025-03-01T09:30:00Z"),
        ("generated at", "2026-01-05T10:00:00Z"),
        ("rows", "4"),
    ]


def test_xlsx_refuses_more_rows_than_a_sheet_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("data_access.export.formats.XLSX_MAX_ROWS", 2)
    with pytest.raises(TooManyRows, match="at most 2 rows"):
        write_frame(pd.DataFrame({"n": [1, 2, 3]}), "xlsx")


# --- parquet ----------------------------------------------------------------------------------


def test_parquet_columns_are_typed() -> None:
    table = _read_parquet(write_frame(FRAME, "parquet", columns_types=TYPES))
    assert [str(t) for t in table.schema.types] == [
        "string", "int64", "double", "date32[day]", "timestamp[us]", "bool"
    ]  # fmt: skip
    assert table.to_pylist()[0] == {
        "source_id": "A1",
        "contacts": 1200,
        "score": -3.5,
        "day": date(2025, 1, 2),
        "occurred_at": datetime(2025, 1, 2, 8, 3, 4),
        "answered": True,
    }


def test_parquet_does_not_neutralise_text() -> None:
    table = _read_parquet(write_frame(FRAME, "parquet", columns_types=TYPES))
    assert table.column("source_id").to_pylist() == ["A1", "=1+1", 'say "hi"; ok', None]


def test_parquet_carries_the_provenance_in_its_metadata() -> None:
    data = write_frame(FRAME, "parquet", provenance=PROVENANCE, columns_types=TYPES)
    metadata = pq.read_metadata(io.BytesIO(data)).metadata
    assert metadata[b"ascolto.person"] == b"romagna@ascolto.example"
    assert metadata[b"ascolto.url"] == b"?period=2025&province=RA"
    assert metadata[b"ascolto.rows"] == b"4"
    assert metadata[b"ascolto.store_version"].startswith(b"import batch 3")


def test_parquet_gathers_chunks_into_row_groups_of_the_row_group_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(formats, "PARQUET_ROW_GROUP", 3)
    out = io.BytesIO()
    chunks = [pd.DataFrame({"n": [1, 2]}), pd.DataFrame({"n": [3, 4]}), pd.DataFrame({"n": [5]})]
    assert write_frames(chunks, "parquet", out, columns_types={"n": "int"}) == 5
    written = pq.ParquetFile(io.BytesIO(out.getvalue()))
    sizes = [written.metadata.row_group(i).num_rows for i in range(written.num_row_groups)]
    assert sizes == [3, 1, 1]  # 2 + 2 rows reach 3: written as 3 and 1; the last chunk at the end
    assert written.read().column("n").to_pylist() == [1, 2, 3, 4, 5]
