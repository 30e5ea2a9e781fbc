"""Reading a CSV file into columns of text, keeping the physical line where each record starts."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

import numpy as np

from data_access.importing.errors import ErrorLog


@dataclass
class TextTable:
    """A file's header and its records as columns of text, with each record's first line."""

    header: list[str]
    header_line: int
    columns: list[tuple[str, ...]]
    lines: np.ndarray
    rows_read: int
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


def read_table(text: str, delimiter: str, quote: str, log: ErrorLog) -> TextTable | None:
    """Split text into a header and columns; blank lines are skipped, lines are physical."""
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
    return TextTable(header, starts[0], columns, lines, len(records) - 1, bad_width)
