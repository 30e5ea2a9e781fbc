"""What an import found and did: row errors, the report, and the refusal that carries it."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_ERRORS = 1000
"""Errors kept in a report (all are counted)."""


@dataclass(frozen=True)
class RowError:
    """One problem in the file: where (file, physical line, column), the value, and why."""

    file: str
    line: int
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        """'file:line: column "X" value "V": reason' (parts without a column/value left out)."""
        where = f"{self.file}:{self.line}:"
        if self.column is None:
            return f"{where} {self.reason}"
        if self.value is None:
            return f'{where} column "{self.column}": {self.reason}'
        return f'{where} column "{self.column}" value "{self.value}": {self.reason}'


@dataclass
class ImportReport:
    """The outcome of one import (or dry run) of one file."""

    kind: str
    file: str
    checksum: str
    rows_read: int = 0
    rows_accepted: int = 0
    rows_duplicate: int = 0
    rows_rejected: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch_id: int | None = None
    dry_run: bool = False

    def __str__(self) -> str:
        """A one-line summary for the command line."""
        verb = "would import" if self.dry_run else "imported"
        text = (
            f"{self.file} ({self.kind}): {self.rows_read} rows read, {verb} "
            f"{self.rows_accepted}, {self.rows_duplicate} already in the store, "
            f"{self.rows_rejected} rejected"
        )
        if self.batch_id is not None:
            text += f"; import batch {self.batch_id}"
        return text


class ImportRefused(Exception):  # the name the command line and callers use
    """The file has invalid rows (or header) and was not imported; nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        shown = len(report.errors)
        more = f" (first {shown} shown)" if shown < report.error_count else ""
        super().__init__(
            f"{report.file}: refused, {report.error_count} error(s){more} in "
            f"{report.rows_rejected} of {report.rows_read} rows; nothing was written"
        )
