"""The export formats (csv, csv-it, xlsx, parquet) and their streaming writer.

Rows arrive as chunks (DataFrames with the same columns) and leave at once: CSV text per chunk,
XLSX rows through openpyxl's write-only workbook (spooled to disk), Parquet row groups through
pyarrow's ParquetWriter. Text cells that a spreadsheet could read as a formula are neutralised
(OWASP) in csv, csv-it and xlsx; numbers are never touched.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, BinaryIO, Literal

import numpy as np
import pandas as pd

from data_access.export.provenance import Provenance

ColumnType = Literal["text", "int", "number", "bool", "date", "datetime"]
COLUMN_TYPES: tuple[ColumnType, ...] = ("text", "int", "number", "bool", "date", "datetime")


@dataclass(frozen=True)
class Format:
    """An export format: its code (as on the command line), file extension and MIME type."""

    code: str
    extension: str
    mime: str


FORMATS: dict[str, Format] = {
    "csv": Format("csv", "csv", "text/csv"),
    "csv-it": Format("csv-it", "csv", "text/csv"),
    "xlsx": Format(
        "xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "parquet": Format("parquet", "parquet", "application/vnd.apache.parquet"),
}

XLSX_MAX_ROWS = 1_048_575  # a sheet's 1,048,576 rows less the header
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's CSV injection list


class TooManyRows(ValueError):
    """More rows than the format can hold (an XLSX sheet)."""


def neutralise(value: str) -> str:
    """Text a spreadsheet would read as a formula gets a leading ' ('=1+1' -> "'=1+1")."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _neutralised(texts: pd.Series) -> pd.Series:
    """neutralise over a column of text (None stays None), vectorised."""
    risky = texts.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
    if not risky.any():
        return texts
    return texts.where(~risky, "'" + texts)


# --- column types -----------------------------------------------------------------------------


def infer_types(frame: pd.DataFrame) -> dict[str, ColumnType]:
    """Each column's type from its dtype (object columns by their first value)."""
    found: dict[str, ColumnType] = {}
    for name in frame.columns:
        column = frame[name]
        kind = column.dtype.kind
        if kind == "b" or str(column.dtype) == "boolean":
            found[name] = "bool"
        elif kind in "iu":
            found[name] = "int"
        elif kind == "f":
            found[name] = "number"
        elif kind == "M":
            found[name] = "datetime"
        else:
            first = column.dropna()
            sample = first.iloc[0] if len(first) else None
            found[name] = (
                "datetime"
                if isinstance(sample, datetime)
                else "date"
                if isinstance(sample, date)
                else "bool"
                if isinstance(sample, bool | np.bool_)
                else "int"
                if isinstance(sample, int | np.integer)
                else "number"
                if isinstance(sample, float | np.floating)
                else "text"
            )
    return found


def typed(frame: pd.DataFrame, types: Mapping[str, ColumnType]) -> dict[str, pd.Series]:
    """The frame's columns in the order of types, each as its type's dtype: object text with
    None, Int64, float64, boolean, and datetime64 for dates and times.
    """
    columns: dict[str, pd.Series] = {}
    for name, kind in types.items():
        column = frame[name].reset_index(drop=True)
        if kind == "text":
            column = column.astype(object).where(column.notna(), None)
            columns[name] = column.map(str, na_action="ignore").astype(object)
        elif kind == "int":
            columns[name] = pd.to_numeric(column).astype("Int64")
        elif kind == "number":
            columns[name] = pd.to_numeric(column).astype("float64")
        elif kind == "bool":
            columns[name] = column.astype("boolean")
        elif kind == "date":
            columns[name] = pd.to_datetime(column).astype("datetime64[s]").dt.normalize()
        else:
            columns[name] = pd.to_datetime(column).astype("datetime64[us]")
    return columns


# --- CSV --------------------------------------------------------------------------------------

# every time of day as HH:MM:SS, looked up by second of the day
_CLOCK = np.array(
    [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400)], dtype=object
)


@dataclass(frozen=True)
class _CsvDialect:
    separator: str
    decimal: str
    line_end: str
    day: str  # strftime form of a date
    bom: bool


_DIALECTS = {
    "csv": _CsvDialect(",", ".", "\n", "%Y-%m-%d", bom=False),
    "csv-it": _CsvDialect(";", ",", "\r\n", "%d/%m/%Y", bom=True),
}


def _days_text(values: pd.Series, day: str) -> pd.Series:
    """Dates as text in the form day, formatting each distinct day once ('' for none)."""
    codes, uniques = pd.factorize(values.dt.normalize())
    texts = np.array([*pd.DatetimeIndex(uniques).strftime(day), ""], dtype=object)
    return pd.Series(texts[codes])  # code -1 (NaT) picks the trailing ''


def _times_text(values: pd.Series, day: str) -> pd.Series:
    """Times as '<day> HH:MM:SS' ('' for none)."""
    days = _days_text(values, day)
    seconds = (values - values.dt.normalize()).dt.total_seconds()
    clock = _CLOCK[seconds.fillna(0).to_numpy(dtype=np.int64)]
    texts = days + " " + pd.Series(clock, dtype=object)
    return texts.where(values.notna().to_numpy(), "")


def _csv_text(column: pd.Series, kind: ColumnType, dialect: _CsvDialect) -> pd.Series:
    """One typed column as CSV field text (unquoted; '' for no value)."""
    if kind == "text":
        return _neutralised(column).fillna("")
    if kind == "int":
        return column.astype("string").fillna("").astype(object)
    if kind == "number":
        values = column.to_numpy(dtype=float)
        texts = values.astype(str).astype(object)
        texts[np.isnan(values)] = ""
        if dialect.decimal != ".":
            return pd.Series(texts).str.replace(".", dialect.decimal, regex=False)
        return pd.Series(texts)
    if kind == "bool":
        return column.map({True: "true", False: "false"}).astype(object).fillna("")
    if kind == "date":
        return _days_text(column, dialect.day)
    return _times_text(column, dialect.day)


def _quoted(texts: pd.Series, separator: str) -> pd.Series:
    """Fields holding the separator, a quote or a line break in quotes, quotes doubled."""
    pattern = f'[{separator}"\r\n]'
    needs = texts.str.contains(pattern, regex=True).fillna(False).astype(bool)
    if not needs.any():
        return texts
    return texts.where(~needs, '"' + texts.str.replace('"', '""', regex=False) + '"')


def _csv_lines(columns: list[pd.Series], dialect: _CsvDialect) -> str:
    """Rows as CSV text, each ending in the dialect's line end."""
    if not columns or not len(columns[0]):
        return ""
    first, *others = columns
    joined = first.str.cat(others, sep=dialect.separator) if others else first
    return dialect.line_end.join(joined.tolist()) + dialect.line_end


def _write_csv(
    frames: Iterator[dict[str, pd.Series]],
    types: Mapping[str, ColumnType],
    out: BinaryIO,
    dialect: _CsvDialect,
    provenance: Provenance | None,
) -> int:
    head = "\ufeff" if dialect.bom else ""
    if provenance is not None:
        head += "".join(f"# {line}{dialect.line_end}" for line in provenance.lines())
    header = [pd.Series([name], dtype=object) for name in types]
    head += _csv_lines([_quoted(h, dialect.separator) for h in header], dialect)
    out.write(head.encode("utf-8"))
    written = 0
    for columns in frames:
        texts = [
            _quoted(_csv_text(columns[name], kind, dialect), dialect.separator)
            if kind == "text"
            else _csv_text(columns[name], kind, dialect)
            for name, kind in types.items()
        ]
        out.write(_csv_lines(texts, dialect).encode("utf-8"))
        written += len(next(iter(columns.values()))) if columns else 0
    return written


# --- XLSX -------------------------------------------------------------------------------------

# Excel's built-in formats 14 and 22 show dates and times in the reader's own locale
# (dd/mm/yyyy in an Italian Excel); numbers with a thousands separator, also localised.
XLSX_NUMBER_FORMATS: dict[ColumnType, str] = {
    "int": "#,##0",
    "number": "#,##0.0##",
    "date": "mm-dd-yy",
    "datetime": "m/d/yy h:mm",
}
XLSX_MAX_WIDTH = 50


def _python_values(column: pd.Series, kind: ColumnType) -> list[Any]:
    """A typed column as Python values for a spreadsheet cell (None for no value)."""
    if kind == "text":
        return _neutralised(column).tolist()
    present = column.notna().to_numpy()
    if kind == "int":
        values = column.to_numpy(dtype=object, na_value=None)
        return [int(v) if v is not None else None for v in values]
    if kind == "number":
        numbers = column.to_numpy(dtype=float)
        out = numbers.astype(object)
        out[np.isnan(numbers)] = None
        return out.tolist()
    if kind == "bool":
        return column.astype(object).where(present, None).tolist()
    moments = column.dt.to_pydatetime()
    if kind == "date":
        return [m.date() if ok else None for m, ok in zip(moments, present, strict=True)]
    return [m if ok else None for m, ok in zip(moments, present, strict=True)]


def _width(name: str, sample: list[Any], kind: ColumnType) -> float:
    """A column's width in characters: its header and first values, within XLSX_MAX_WIDTH."""
    fixed = {"date": 11, "datetime": 17}.get(kind, 0)
    longest = max([len(str(v)) for v in sample[:1000] if v is not None] + [len(name), fixed])
    return float(min(longest + 2, XLSX_MAX_WIDTH))


def _write_xlsx(
    frames: Iterator[dict[str, pd.Series]],
    types: Mapping[str, ColumnType],
    out: BinaryIO,
    provenance: Provenance | None,
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dati")
    sheet.freeze_panes = "A2"
    names, kinds = list(types), list(types.values())
    # one styled cell per formatted column, its value replaced row by row (written at once)
    styled: list[Any] = []
    for kind in kinds:
        cell = None
        if kind in XLSX_NUMBER_FORMATS:
            cell = WriteOnlyCell(sheet)
            cell.number_format = XLSX_NUMBER_FORMATS[kind]
        styled.append(cell)
    written, headed = 0, False
    for columns in frames:
        values = [_python_values(columns[n], k) for n, k in zip(names, kinds, strict=True)]
        if not headed:
            headed = True
            for index, (name, kind) in enumerate(zip(names, kinds, strict=True), start=1):
                width = _width(name, values[index - 1], kind)
                sheet.column_dimensions[get_column_letter(index)].width = width
            header = []
            for name in names:
                cell = WriteOnlyCell(sheet, value=name)
                cell.font = Font(bold=True)
                header.append(cell)
            sheet.append(header)
        size = len(values[0]) if values else 0
        if written + size > XLSX_MAX_ROWS:
            sheet.close()  # ends the sheet's spooled rows now, not at garbage collection
            raise TooManyRows(f"an XLSX sheet holds at most {XLSX_MAX_ROWS:,} rows")
        for row in zip(*values, strict=True):
            cells = list(row)
            for index, cell in enumerate(styled):
                if cell is not None and cells[index] is not None:
                    cell.value = cells[index]
                    cells[index] = cell
            sheet.append(cells)
        written += size
    if not headed:
        sheet.append(list(names))
    about = book.create_sheet("Provenance")
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 100
    if provenance is not None:
        for key, value in provenance.with_rows(written).items():
            about.append([key, neutralise(value)])
    book.save(out)
    return written


# --- Parquet ----------------------------------------------------------------------------------


def _arrow_type(kind: ColumnType) -> Any:
    import pyarrow as pa

    return {
        "text": pa.string(),
        "int": pa.int64(),
        "number": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "datetime": pa.timestamp("us"),
    }[kind]


# Rows per Parquet row group: the writer keeps every row group's metadata (statistics per
# column) until it closes, and the rows of the group being gathered are held as Arrow tables.
# Measured on 1M raw contacts: a group per 5,000-row chunk peaked at 274 MB but grew to 325 MB
# over 10M (2,000 groups' metadata); groups of 100,000 rows peaked at 307 MB; of 25,000, 283 MB.
PARQUET_ROW_GROUP = 25_000


def _write_parquet(
    frames: Iterator[dict[str, pd.Series]],
    types: Mapping[str, ColumnType],
    out: BinaryIO,
    provenance: Provenance | None,
) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, _arrow_type(kind)) for name, kind in types.items()])
    written = 0
    pending: list[Any] = []  # Arrow tables not yet written: one row group per PARQUET_ROW_GROUP
    with pq.ParquetWriter(out, schema) as writer:

        def flush() -> None:
            if pending:
                writer.write_table(pa.concat_tables(pending), row_group_size=PARQUET_ROW_GROUP)
                pending.clear()

        for columns in frames:
            arrays = [
                pa.array(columns[name], from_pandas=True).cast(_arrow_type(kind))
                if kind in ("date", "datetime")
                else pa.array(columns[name], type=_arrow_type(kind), from_pandas=True)
                for name, kind in types.items()
            ]
            table = pa.Table.from_arrays(arrays, schema=schema)
            pending.append(table)
            written += table.num_rows
            if sum(t.num_rows for t in pending) >= PARQUET_ROW_GROUP:
                flush()
        flush()
        if provenance is not None:
            items = provenance.with_rows(written).items()
            metadata = {f"ascolto.{key.replace(' ', '_')}": value for key, value in items}
            metadata["ascolto.provenance"] = json.dumps(dict(items), ensure_ascii=False)
            writer.add_key_value_metadata(metadata)
    return written


# --- the writer -------------------------------------------------------------------------------


def write_frames(
    chunks: Iterable[pd.DataFrame],
    fmt: str,
    out: BinaryIO,
    *,
    provenance: Provenance | None = None,
    columns_types: Mapping[str, ColumnType] | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> int:
    """Write the chunks' rows to out in format fmt, chunk by chunk; return the rows written.

    columns_types names the columns to write, in order, and their types (default: inferred
    from the first chunk; without chunks nothing but the provenance is known). provenance goes
    into the XLSX sheet and the Parquet metadata (with the row count written), and into a CSV
    as leading '# ' lines only when given. on_rows(rows so far) is called after each chunk.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    pending = iter(chunks)
    first = next(pending, None)
    types = dict(columns_types) if columns_types is not None else None
    if types is None:
        types = infer_types(first) if first is not None else {}
    for name, kind in types.items():
        if kind not in COLUMN_TYPES:
            raise ValueError(f"{name}: unknown column type {kind!r}; types: {COLUMN_TYPES}")

    def frames() -> Iterator[dict[str, pd.Series]]:
        done = 0
        for chunk in itertools.chain([first] if first is not None else [], pending):
            yield typed(chunk, types)
            done += len(chunk)
            if on_rows:
                on_rows(done)

    if fmt in _DIALECTS:
        return _write_csv(frames(), types, out, _DIALECTS[fmt], provenance)
    if fmt == "xlsx":
        return _write_xlsx(frames(), types, out, provenance)
    return _write_parquet(frames(), types, out, provenance)


def write_frame(
    frame: pd.DataFrame,
    fmt: str,
    *,
    provenance: Provenance | None = None,
    columns_types: Mapping[str, ColumnType] | None = None,
) -> bytes:
    """One in-memory table as the bytes of a file in format fmt (a download under a table)."""
    buffer = io.BytesIO()
    write_frames([frame], fmt, buffer, provenance=provenance, columns_types=columns_types)
    return buffer.getvalue()
