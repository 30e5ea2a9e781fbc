"""One Filters value travels from the URL to the queries and describes itself in a sentence.

Modelled on Datasette's filters.py: each filter gives a parameterised SQL condition and a phrase.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Subquery, Table, false

from data_access.dimensions import DIMENSIONS
from data_access.i18n import DEFAULT, format_day, text
from data_access.periods import Period, add_months, previous, twelve_months_to, year_before

GRAINS = ("week", "month", "quarter", "year")
COMPARISONS = ("previous", "last-year", "none")
PRESETS = ("12m", "ytd", "custom")  # or a four-digit calendar year


class MissingDimension(LookupError):
    """A table asked to narrow on a selected dimension lacks that dimension's column."""


def _is_year(value: str) -> bool:
    """A four-digit calendar year that a date can hold (0001-9999)."""
    return len(value) == 4 and value.isdigit() and int(value) >= 1


@dataclass(frozen=True)
class Problem:
    """A URL parameter that could not be used: its catalogue key and the values it names."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str = DEFAULT) -> str:
        """The problem in words, e.g. 'grain=hour: dettaglio sconosciuto'."""
        return text(f"problem.{self.key}", lang, **dict(self.values))


@dataclass(frozen=True)
class Window:
    """The days with data in the store: the first and the latest."""

    first: date
    latest: date

    @property
    def period(self) -> Period:
        """The whole window as a period."""
        return Period(self.first, self.latest)


@dataclass(frozen=True)
class Note:
    """What a reader must know about the period shown: a catalogue key and the periods it names."""

    key: str
    periods: tuple[tuple[str, Period], ...] = ()

    def text(self, lang: str = DEFAULT) -> str:
        """The note in words, each period as 'dal 01/01/2025 al 31/12/2025'."""
        values = {name: period.phrase(lang) for name, period in self.periods}
        return text(f"period.note.{self.key}", lang, **values)


@dataclass(frozen=True)
class Fitted:
    """The period a view shows in the store's data window, and what to tell the reader about it.

    offer is the data window, given when the period asked for has no data at all.
    """

    period: Period | None
    notes: tuple[Note, ...] = ()
    offer: Period | None = None


@dataclass(frozen=True)
class Filters:
    """What a view shows: period, grain, dimension selections and comparison."""

    period: str = "12m"
    start: date | None = None
    end: date | None = None
    grain: str = "month"
    provinces: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    compare: str = "last-year"
    problems: tuple[Problem, ...] = field(default=(), compare=False, hash=False)

    # --- URL round trip -------------------------------------------------------------------

    @classmethod
    def from_query(cls, params: Mapping[str, str | Sequence[str]]) -> Filters:
        """Build Filters from URL parameters; unreadable values are dropped, listed in problems."""
        problems: list[Problem] = []

        def problem(key: str, **values: object) -> None:
            problems.append(Problem(key, tuple((k, str(v)) for k, v in values.items())))

        def values(name: str) -> list[str]:
            raw = params.get(name, [])
            items = [raw] if isinstance(raw, str) else list(raw)
            return [part.strip() for item in items for part in item.split(",") if part.strip()]

        def one(name: str) -> str | None:
            found = values(name)
            return found[-1] if found else None

        def day(name: str) -> date | None:
            raw = one(name)
            if raw is None:
                return None
            try:
                return date.fromisoformat(raw)
            except ValueError:
                problem("bad_date", name=name, value=raw)
                return None

        start, end = day("from"), day("to")
        period = one("period") or ("custom" if start or end else "12m")
        if period not in PRESETS and not _is_year(period):
            problem("unknown_period", value=period)
            period = "12m"
        grain = one("grain") or "month"
        if grain not in GRAINS:
            problem("unknown_grain", value=grain)
            grain = "month"
        compare = one("compare") or "last-year"
        if compare not in COMPARISONS:
            problem("unknown_compare", value=compare)
            compare = "last-year"
        if start and end and start > end:
            problem("swapped", start=start, end=end)
            start, end = end, start
        dims = {dimension.attr: dimension.read(values(dimension.param)) for dimension in DIMENSIONS}
        return cls(
            period=period,
            start=start if period == "custom" else None,
            end=end if period == "custom" else None,
            grain=grain,
            compare=compare,
            problems=tuple(problems),
            **dims,
        )

    def to_query(self) -> dict[str, str | list[str]]:
        """URL parameters for this view; defaults are left out so links stay short."""
        query: dict[str, str | list[str]] = {}
        if self.period == "custom":
            query["period"] = "custom"
            if self.start:
                query["from"] = self.start.isoformat()
            if self.end:
                query["to"] = self.end.isoformat()
        elif self.period != "12m":
            query["period"] = self.period
        if self.grain != "month":
            query["grain"] = self.grain
        for dimension in DIMENSIONS:
            if getattr(self, dimension.attr):
                query[dimension.param] = list(getattr(self, dimension.attr))
        if self.compare != "last-year":
            query["compare"] = self.compare
        return query

    def to_query_string(self) -> str:
        """The view as a query string, e.g. 'grain=week&province=BO&province=RA'."""
        return urlencode(self.to_query(), doseq=True)

    def narrowed(self, **changes: Any) -> Filters:
        """A copy with some fields changed (e.g. provinces=("RA",) after a click)."""
        return replace(self, **changes)

    # --- periods --------------------------------------------------------------------------

    def resolve(self, latest: date | None) -> Period | None:
        """The concrete period; relative ones count back from latest data. None: no data."""
        if self.period == "custom":
            if self.start and self.end:
                return Period(self.start, self.end)
            if self.start:
                return Period(self.start, max(self.start, latest)) if latest else None
            end = self.end or latest
            if end is None:
                return None
            return Period(twelve_months_to(end), end)
        if self.period.isdigit():
            year = int(self.period)
            return Period(date(year, 1, 1), date(year, 12, 31))
        if latest is None:
            return None
        if self.period == "ytd":
            return Period(date(latest.year, 1, 1), latest)
        return Period(add_months(latest.replace(day=1), -11), latest)

    def fit(self, window: Window | None) -> Fitted:
        """The period to show in the store's data window, and what to say about it.

        A custom period missing a date is completed (and said so); a period partly outside the
        data is clipped to it (and said so); a period wholly outside it is kept, with a note
        naming the data window and the window offered instead. On an empty store a period
        asked for explicitly is kept and said to have no data.
        """
        asked = self.resolve(window.latest if window else None)
        notes: list[Note] = []
        if self.period == "custom" and asked is not None and not (self.start and self.end):
            key = "no_end" if self.start else "no_start" if self.end else "custom_empty"
            notes.append(Note(key, (("shown", asked),)))
        if asked is None:
            return Fitted(None, tuple(notes))
        if window is None:
            return Fitted(asked, (*notes, Note("empty_store", (("asked", asked),))))
        data = window.period
        if asked.end < data.start or asked.start > data.end:
            note = Note("outside", (("asked", asked), ("window", data)))
            return Fitted(asked, (*notes, note), offer=data)
        shown = Period(max(asked.start, data.start), min(asked.end, data.end))
        if shown != asked:
            note = Note("clipped", (("asked", asked), ("shown", shown), ("window", data)))
            notes.append(note)
        return Fitted(shown, tuple(notes))

    def comparison(self, period: Period | None) -> Period | None:
        """The period to compare with, or None (also when it would fall outside the calendar)."""
        if period is None or self.compare == "none":
            return None
        return year_before(period) if self.compare == "last-year" else previous(period)

    # --- SQL and words --------------------------------------------------------------------

    def conditions(
        self,
        table: Table | Subquery,
        *,
        period: Period | None,
        province_codes: frozenset[str] | None,
        date_column: str = "day",
        ignored: Collection[str] = (),
    ) -> list[ColumnElement[bool]]:
        """Parameterised WHERE conditions for an aggregate table.

        province_codes is the already scope-checked set of ISTAT codes (None: no limit).
        ignored names the dimensions (Filters fields) the table's figures do not depend on;
        any other dimension selected must have its column in the table (MissingDimension).
        """
        conditions: list[ColumnElement[bool]] = []
        if period is not None:
            column = table.c[date_column]
            low, high = (
                (period.start.replace(day=1), period.end.replace(day=1))
                if date_column == "month"
                else (period.start, period.end)
            )
            conditions += [column >= low, column <= high]
        if province_codes is not None:
            conditions.append(
                table.c.province_code.in_(sorted(province_codes)) if province_codes else false()
            )
        for dimension in DIMENSIONS:
            selected = getattr(self, dimension.attr)
            if dimension.scoped or not selected or dimension.attr in ignored:
                continue
            if dimension.column not in table.c:
                raise MissingDimension(
                    f"{dimension.attr}: {_described(table)} has no column {dimension.column}"
                    " (declare the dimension ignored if the figures do not depend on it)"
                )
            conditions.append(table.c[dimension.column].in_(selected))
        return conditions

    def sentence(
        self,
        period: Period | None,
        names: Mapping[str, Mapping[str, str]] | None = None,
        lang: str = DEFAULT,
    ) -> str:
        """Say in words what is shown, e.g. 'Dal 01/01/2025 al 31/12/2025; per mese; ...'."""
        names = names or {}
        if period is None:
            return text("sentence.no_data", lang)
        start, end = format_day(period.start, lang), format_day(period.end, lang)
        if self.period in ("12m", "ytd"):  # counted back from the latest data: say so
            preset = text(f"filters.periods.{self.period}", lang)
            said = text("sentence.relative", lang, preset=preset, start=start, end=end)
        else:
            said = text("sentence.period", lang, start=start, end=end)
        parts = [said, text(f"sentence.grains.{self.grain}", lang)]
        for dimension in DIMENSIONS:
            selected = getattr(self, dimension.attr)
            if selected:
                lookup = names.get(dimension.attr, {})
                listed = ", ".join(lookup.get(code, code) for code in selected)
                parts.append(text(f"sentence.{dimension.attr}", lang, names=listed))
            elif dimension.says_all:
                parts.append(text(f"sentence.all_{dimension.attr}", lang))
        compared = self.comparison(period)
        if compared is not None:
            what = text(f"sentence.compared.{self.compare}", lang)
            parts.append(text("sentence.compare", lang, what=what, period=compared.phrase(lang)))
        return "; ".join(parts) + "."


def _described(table: Table | Subquery) -> str:
    """A table by name, a subquery by its columns (its name is an anonymous label)."""
    if isinstance(table, Table):
        return f"table {table.name}"
    return f"subquery ({', '.join(table.c.keys())})"
