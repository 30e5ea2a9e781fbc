"""Reading a CSV file into columns of text, and the physical line where each record starts.

Two readers agree on what a record is: a fast one (pyarrow, no line numbers) for the common
case of a clean file, and Python's csv module, which tracks physical lines (records may hold
quoted newlines) and is used for every file that has any error, so messages name exact lines.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from data_access.importing.errors import ErrorLog


@dataclass
class TextTable:
    """A file's header and its records as columns of text (str Series), one per header cell."""

    header: list[str]
    header_line: int
    columns: list[pd.Series]
    lines: np.ndarray  # physical line where each record starts (exact only when exact is set)
    rows_read: int
    exact: bool
    bad_width: list[tuple[int, int]] = field(default_factory=list)  # (line, fields)

    def __len__(self) -> int:
        """Records of the right width (the ones whose values are checked)."""
        return len(self.lines)


def decode(data: bytes, encoding: str, log: ErrorLog) -> str | None:
    """The file's text without a BOM; None (and a logged error) when it does not decode."""
    if encoding.replace("_", "-").lower() in {"utf-8", "utf8", "utf-8-sig"}:
        encoding = "utf-8-sig"
    try:
        return codecs.decode(data, encoding)
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        byte = data[problem.start : problem.start + 1].hex().upper()
        log.add_header(
            line,
            None,
            f"not valid {encoding.removesuffix('-sig')} text (byte 0x{byte}); "
            "give the file's encoding in a mapping ([file] encoding)",
        )
        return None


def _blank_records(columns: list[pd.Series]) -> np.ndarray:
    """Records whose every field is empty (skipped like blank lines)."""
    blank = np.ones(len(columns[0]), dtype=bool)
    for column in columns:
        blank &= (column == "").to_numpy(dtype=bool)
    return blank


def fast_table(text: str, delimiter: str, quote: str) -> TextTable | None:
    """Read with pyarrow; None when the file is not a regular CSV (the csv module decides)."""
    try:
        table = pacsv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char=quote,
                double_quote=True,
                newlines_in_values=True,
                ignore_empty_lines=True,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
                auto_dict_encode=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_rows < 1 or any(not pa.types.is_string(t) for t in table.schema.types):
        return None
    columns = [table.column(i).to_pandas(types_mapper=_as_str) for i in range(table.num_columns)]
    header = [str(c.iloc[0]).strip() for c in columns]
    columns = [c.iloc[1:].reset_index(drop=True) for c in columns]
    rows_read = len(columns[0])
    blank = _blank_records(columns) if rows_read else np.zeros(0, dtype=bool)
    if blank.any():
        columns = [c[~blank].reset_index(drop=True) for c in columns]
    lines = np.arange(2, len(columns[0]) + 2, dtype=np.int64)
    return TextTable(header, 1, columns, lines, rows_read - int(blank.sum()), exact=False)


def _as_str(kind: pa.DataType) -> object:
    return pd.StringDtype("pyarrow", na_value=np.nan) if pa.types.is_string(kind) else None


def read_table(text: str, delimiter: str, quote: str, log: ErrorLog) -> TextTable | None:
    """Read with the csv module, noting the physical line where each record starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote)
    records: list[list[str]] = []
    starts: list[int] = []
    previous = 0
    try:
        for record in reader:
            if any(record):
                records.append(record)
                starts.append(previous + 1)
            previous = reader.line_num
    except csv.Error as problem:
        log.add_header(reader.line_num, None, f"not a readable CSV file: {problem}")
        return None
    if not records:
        log.add_header(1, None, "the file is empty (no header line)")
        return None
    header = [name.strip() for name in records[0]]
    width = len(header)
    body = records[1:]
    lines = np.asarray(starts[1:], dtype=np.int64)
    bad_width: list[tuple[int, int]] = []
    if any(len(record) != width for record in body):
        keep = [len(record) == width for record in body]
        bad_width = [(starts[i + 1], len(r)) for i, r in enumerate(body) if not keep[i]]
        body = [r for r, k in zip(body, keep, strict=True) if k]
        lines = lines[np.asarray(keep, dtype=bool)]
    columns = list(zip(*body, strict=True)) if body else [() for _ in header]
    series = [pd.Series(list(c), dtype="str") for c in columns]
    return TextTable(header, starts[0], series, lines, len(records) - 1, True, bad_width)
