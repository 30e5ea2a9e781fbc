"""Collects row errors as index arrays (cheap for large files) and lists them in line order."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access.importing.report import MAX_ERRORS, RowError


@dataclass
class _Check:
    rows: np.ndarray  # record indices that failed
    column: str | None
    values: np.ndarray | None  # text of the failing values, aligned with rows
    reasons: np.ndarray | str
    order: int


@dataclass
class ErrorLog:
    """Row errors of one file: records (by index) that failed which check, on which column."""

    file: str
    checks: list[_Check] = field(default_factory=list)
    header: list[RowError] = field(default_factory=list)

    def add(
        self,
        bad: np.ndarray,
        column: str | None,
        text: pd.Series | np.ndarray | None,
        reason: str | np.ndarray,
    ) -> None:
        """Record that the records marked in the bool array bad failed: column, text, reason.

        text (all records' values) and reason (one, or one per record) are aligned with bad.
        """
        rows = np.flatnonzero(bad)
        if not len(rows):
            return
        if text is None:
            values = None
        elif isinstance(text, pd.Series):
            values = text.iloc[rows].to_numpy(dtype=object)
        else:
            values = np.asarray(text, dtype=object)[rows]
        reasons = reason if isinstance(reason, str) else np.asarray(reason, dtype=object)[rows]
        self.checks.append(_Check(rows, column, values, reasons, len(self.checks)))

    def add_header(self, line: int, column: str | None, reason: str) -> None:
        """Record a problem with the file as a whole (header, columns, encoding)."""
        self.header.append(RowError(self.file, line, column, None, reason))

    @property
    def count(self) -> int:
        """All errors found (header and rows)."""
        return len(self.header) + sum(len(c.rows) for c in self.checks)

    def rejected(self) -> np.ndarray:
        """Indices of the records with at least one error."""
        if not self.checks:
            return np.array([], dtype=np.int64)
        return np.unique(np.concatenate([c.rows for c in self.checks]))

    def listed(self, lines: np.ndarray, limit: int = MAX_ERRORS) -> list[RowError]:
        """The first limit errors in line order (file-level ones first on their line)."""
        errors: list[RowError] = []
        if self.checks:
            rows = np.concatenate([c.rows for c in self.checks])
            which = np.concatenate([np.full(len(c.rows), i) for i, c in enumerate(self.checks)])
            position = np.concatenate([np.arange(len(c.rows)) for c in self.checks])
            for k in np.lexsort((which, rows))[:limit]:
                check = self.checks[which[k]]
                i = position[k]
                value = None if check.values is None else str(check.values[i])
                reason = check.reasons if isinstance(check.reasons, str) else check.reasons[i]
                line = int(lines[rows[k]])
                errors.append(RowError(self.file, line, check.column, value, reason))
        return sorted(self.header + errors, key=lambda e: e.line)[:limit]
