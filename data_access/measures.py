"""One declaration per aggregate measure: what each raw row adds to it, read as SQL and as numpy.

A measure is the sum, over raw rows, of a value per row: `count(...)` adds 1 for each row where a
condition holds (every row when none is given), `total(...)` adds a number where it is known (and
a condition holds). A raw table a measure does not name adds 0. From the same declaration,
`Measure.sql` gives the SQLAlchemy aggregate a recomputation sums per day and keys
(data_access/aggregates.py) and `Measure.array` what each row of an import batch adds
(data_access/importing/increments.py), so adding a measure is one line below plus its column in
the aggregate tables (data_access/models.py and a migration).

Unknown values (NULL, NaN, None) follow SQL: a comparison with one is not true, a flag that is
unknown is not set, a sum skips them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Table, and_, case, func, literal
from sqlalchemy.sql import ColumnElement


class Rows:
    """An import batch's raw rows (one array per column), each column read once per form."""

    def __init__(self, columns: Mapping[str, np.ndarray]) -> None:
        self.columns = columns
        self.size = len(next(iter(columns.values()))) if columns else 0
        self._read: dict[tuple[str, str], np.ndarray] = {}

    def _once(self, how: str, name: str, read: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        key = (how, name)
        if key not in self._read:
            self._read[key] = read(np.asarray(self.columns[name]))
        return self._read[key]

    def number(self, name: str) -> np.ndarray:
        """The column as float64, NaN where unknown."""
        return self._once("number", name, lambda values: values.astype(np.float64))

    def flag(self, name: str) -> np.ndarray:
        """True where the column is true (False where false or unknown)."""
        return self._once("flag", name, _true)

    def known(self, name: str) -> np.ndarray:
        """True where the column has a value."""
        return self._once("known", name, _known)


def _true(values: np.ndarray) -> np.ndarray:
    if values.dtype == bool:
        return values
    return np.asarray(values == True, dtype=bool)  # noqa: E712 - object array of True/False/None


def _known(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind == "f":
        return ~np.isnan(values)
    return np.asarray(values != None, dtype=bool)  # noqa: E711 - elementwise


class Condition:
    """A yes/no per raw row; unknown counts as no."""

    def sql(self, table: Table) -> ColumnElement[bool]:
        """The condition over table's columns."""
        raise NotImplementedError

    def array(self, rows: Rows) -> np.ndarray:
        """The condition per row of rows (bool)."""
        raise NotImplementedError

    def __and__(self, other: Condition) -> Condition:
        return Both(self, other)


@dataclass(frozen=True)
class Flag(Condition):
    """A boolean column is true."""

    name: str

    def sql(self, table: Table) -> ColumnElement[bool]:
        """The column itself."""
        return table.c[self.name]

    def array(self, rows: Rows) -> np.ndarray:
        """True where the column is true."""
        return rows.flag(self.name)


@dataclass(frozen=True)
class Known(Condition):
    """A column has a value."""

    name: str

    def sql(self, table: Table) -> ColumnElement[bool]:
        """The column IS NOT NULL."""
        return table.c[self.name].is_not(None)

    def array(self, rows: Rows) -> np.ndarray:
        """True where the column has a value."""
        return rows.known(self.name)


@dataclass(frozen=True)
class Both(Condition):
    """Two conditions both hold."""

    left: Condition
    right: Condition

    def sql(self, table: Table) -> ColumnElement[bool]:
        """left AND right."""
        return and_(self.left.sql(table), self.right.sql(table))

    def array(self, rows: Rows) -> np.ndarray:
        """left & right."""
        return self.left.array(rows) & self.right.array(rows)


@dataclass(frozen=True)
class Compare(Condition):
    """A number compared with a constant (never true where the number is unknown)."""

    value: Value
    compare: Callable[[Any, Any], Any]
    bound: float

    def sql(self, table: Table) -> ColumnElement[bool]:
        """value <op> bound."""
        return self.compare(self.value.sql(table), self.bound)

    def array(self, rows: Rows) -> np.ndarray:
        """value <op> bound per row (False where value is NaN)."""
        with np.errstate(invalid="ignore"):
            return self.compare(self.value.array(rows), self.bound)


class Value:
    """A number per raw row (unknown where NULL)."""

    def sql(self, table: Table) -> ColumnElement:
        """The number over table's columns."""
        raise NotImplementedError

    def array(self, rows: Rows) -> np.ndarray:
        """The number per row of rows (float64, NaN where unknown)."""
        raise NotImplementedError

    def __le__(self, bound: float) -> Condition:
        return Compare(self, operator.le, bound)

    def __lt__(self, bound: float) -> Condition:
        return Compare(self, operator.lt, bound)

    def __ge__(self, bound: float) -> Condition:
        return Compare(self, operator.ge, bound)

    def __gt__(self, bound: float) -> Condition:
        return Compare(self, operator.gt, bound)

    def __mul__(self, other: Value) -> Value:
        return Product(self, other)


@dataclass(frozen=True)
class Number(Value):
    """A numeric column."""

    name: str

    def sql(self, table: Table) -> ColumnElement:
        """The column itself."""
        return table.c[self.name]

    def array(self, rows: Rows) -> np.ndarray:
        """The column as float64."""
        return rows.number(self.name)


@dataclass(frozen=True)
class Product(Value):
    """Two numbers multiplied (unknown where either is)."""

    left: Value
    right: Value

    def sql(self, table: Table) -> ColumnElement:
        """left * right."""
        return self.left.sql(table) * self.right.sql(table)

    def array(self, rows: Rows) -> np.ndarray:
        """left * right per row."""
        return self.left.array(rows) * self.right.array(rows)


class Sum:
    """What one raw row adds to a measure, and its sum over a group of rows in SQL."""

    def sql(self, table: Table) -> ColumnElement:
        """The sum over a GROUP BY of table's rows."""
        raise NotImplementedError

    def array(self, rows: Rows) -> np.ndarray:
        """What each row of rows adds."""
        raise NotImplementedError


@dataclass(frozen=True)
class Count(Sum):
    """1 for each row where the condition holds (every row without one)."""

    where: Condition | None = None

    def sql(self, table: Table) -> ColumnElement:
        """COUNT(*), COUNT(column) for a known column, else SUM(CASE WHEN ... 1 ELSE 0)."""
        if self.where is None:
            return func.count()
        if isinstance(self.where, Known):
            return func.count(table.c[self.where.name])
        return func.sum(case((self.where.sql(table), 1), else_=0))

    def array(self, rows: Rows) -> np.ndarray:
        """1 or 0 per row."""
        if self.where is None:
            return np.ones(rows.size, dtype=np.int64)
        return self.where.array(rows)


@dataclass(frozen=True)
class Total(Sum):
    """The value where it is known (and the condition holds), else 0."""

    value: Value
    where: Condition | None = None

    def sql(self, table: Table) -> ColumnElement:
        """COALESCE(SUM(value [only where the condition holds]), 0)."""
        value = self.value.sql(table)
        if self.where is not None:
            value = case((self.where.sql(table), value), else_=None)
        return func.coalesce(func.sum(value), 0)

    def array(self, rows: Rows) -> np.ndarray:
        """The value or 0 per row."""
        value = self.value.array(rows)
        kept = ~np.isnan(value)
        if self.where is not None:
            kept &= self.where.array(rows)
        return np.where(kept, value, 0.0)


@dataclass(frozen=True)
class Measure:
    """An additive measure: its column in the family's aggregate tables, and per raw table
    (by name) what each of its rows adds; a raw table not named adds 0.
    """

    name: str
    forms: Mapping[str, Sum] = field(default_factory=dict)

    def sql(self, table: Table) -> ColumnElement:
        """The measure summed over a GROUP BY of table's rows, labelled with its name."""
        form = self.forms.get(table.name)
        return (literal(0) if form is None else form.sql(table)).label(self.name)

    def array(self, table: str, rows: Rows) -> np.ndarray:
        """What each of rows (raw rows of table) adds to the measure."""
        form = self.forms.get(table)
        return np.zeros(rows.size) if form is None else form.array(rows)


def number(name: str) -> Number:
    """A numeric column of the raw table."""
    return Number(name)


def flag(name: str) -> Flag:
    """A boolean column of the raw table is true."""
    return Flag(name)


def known(name: str) -> Known:
    """A column of the raw table has a value."""
    return Known(name)


def count(where: Condition | None = None) -> Count:
    """Rows where a condition holds (all rows without one)."""
    return Count(where)


def total(value: Value | str, where: Condition | None = None) -> Total:
    """A number (a Value or a column's name) summed where known (and where a condition holds)."""
    return Total(Number(value) if isinstance(value, str) else value, where)


def measure(name: str, **forms: Sum) -> Measure:
    """The measure stored in column name; forms by raw table name (contact=count(), ...)."""
    return Measure(name, forms)


# shorthands for the declarations below
answered, wait = flag("answered"), number("wait_seconds")
complaint, reply = flag("is_complaint"), number("reply_days")


def within(seconds: float) -> Condition:
    """An answered contact waited at most seconds (unknown waits are in no band)."""
    return answered & (wait <= seconds)


# a contact-centre report has wait bands when it has all of them (the importer refuses a part)
has_bands = (
    known("answered_60s") & known("answered_120s") & known("answered_180s") & known("answered_240s")
)

# contacts (raw table contact) and contact-centre daily reports (contact_report, already summed)
CONTACT = (
    measure("contacts", contact=count(), contact_report=total("offered")),
    measure("queued", contact=count(flag("queued")), contact_report=total("offered")),
    measure("answered", contact=count(answered), contact_report=total("answered")),
    measure("abandoned", contact=count(flag("abandoned")), contact_report=total("abandoned")),
    measure(
        "answered_20s",
        contact=count(answered & (wait <= 20)),
        contact_report=total("answered_20s"),
    ),
    # wait bands: shares of the answered calls whose bands are known (banded); a report without
    # band columns adds to none of them, so banded = 0 reads "no band data", not 0%
    measure(
        "banded",
        contact=count(answered & known("wait_seconds")),
        contact_report=total("answered", has_bands),
    ),
    measure(
        "banded_20s", contact=count(within(20)), contact_report=total("answered_20s", has_bands)
    ),
    measure("answered_60s", contact=count(within(60)), contact_report=total("answered_60s")),
    measure("answered_120s", contact=count(within(120)), contact_report=total("answered_120s")),
    measure("answered_180s", contact=count(within(180)), contact_report=total("answered_180s")),
    measure("answered_240s", contact=count(within(240)), contact_report=total("answered_240s")),
    measure("wait_seconds", contact=total(wait, answered), contact_report=total("wait_seconds")),
    measure("handled", contact=count(known("handling_seconds")), contact_report=total("answered")),
    measure(
        "handling_seconds",
        contact=total("handling_seconds"),
        contact_report=total("handling_seconds"),
    ),
    measure("fcr_known", contact=count(known("resolved_first_contact"))),
    measure("fcr_resolved", contact=count(flag("resolved_first_contact"))),
    measure("complaints", contact=count(complaint)),
    measure("complaints_replied", contact=count(complaint & known("reply_days"))),
    measure("complaint_reply_days", contact=total(reply, complaint)),
    measure("complaints_replied_30d", contact=count(complaint & (reply <= 30))),
    measure("line_free_seconds", contact_report=total("line_free_seconds")),
    measure("operator_seconds", contact_report=total("operator_seconds")),
)

csi, effort = number("csi"), number("effort")
recommendation = number("recommendation")

# survey responses (raw table survey_response)
SURVEY = (
    measure("responses", survey_response=count()),
    measure("csi_n", survey_response=count(known("csi"))),
    measure("csi_sum", survey_response=total(csi)),
    measure("csi_sumsq", survey_response=total(csi * csi)),
    measure("csat_n", survey_response=count(known("csat_positive"))),
    measure("csat_positive", survey_response=count(flag("csat_positive"))),
    measure("nps_n", survey_response=count(known("recommendation"))),
    measure("promoters", survey_response=count(recommendation >= 9)),
    measure("detractors", survey_response=count(recommendation <= 6)),
    measure("ces_n", survey_response=count(known("effort"))),
    measure("ces_sum", survey_response=total(effort)),
    measure("ces_sumsq", survey_response=total(effort * effort)),
)
