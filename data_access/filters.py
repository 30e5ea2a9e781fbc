"""One Filters value travels from the URL to the queries and describes itself in a sentence.

Modelled on Datasette's filters.py: each filter gives a parameterised SQL condition and a phrase.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Table, false

from data_access.i18n import DEFAULT, format_day, text

GRAINS = ("week", "month", "quarter", "year")
COMPARISONS = ("previous", "last-year", "none")
PRESETS = ("12m", "ytd", "custom")  # or a four-digit calendar year
DIMENSIONS = {  # URL parameter -> (Filters attribute, aggregate column)
    "province": ("provinces", "province_code"),
    "area": ("areas", "area_code"),
    "channel": ("channels", "channel_code"),
    "segment": ("segments", "segment_code"),
    "topic": ("topics", "topic_code"),
}


def _is_year(value: str) -> bool:
    """A four-digit calendar year that a date can hold (0001-9999)."""
    return len(value) == 4 and value.isdigit() and int(value) >= 1


def _twelve_months_to(end: date) -> date:
    """The first day of the twelve months that end on end (the day after end, a year before)."""
    try:
        return add_months(end, -12) + timedelta(days=1)
    except (ValueError, OverflowError):  # before year 1
        return date.min


def month_end(day: date) -> date:
    """Last day of day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """Shift day by a number of months, clamping to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    @property
    def whole_months(self) -> bool:
        """True when the range starts on a 1st and ends on a month's last day."""
        return self.start.day == 1 and self.end == month_end(self.end)

    @property
    def months(self) -> int:
        """Number of calendar months the period touches."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def shifted_months(self, months: int) -> Period:
        """The same period moved by months (month ends stay month ends)."""
        end = add_months(self.end, months)
        return Period(
            add_months(self.start, months),
            month_end(end) if self.end == month_end(self.end) else end,
        )

    def phrase(self, lang: str = DEFAULT) -> str:
        """'dal 01/01/2025 al 31/12/2025' ('from 2025-01-01 to 2025-12-31' in English)."""
        return text(
            "period.from_to",
            lang,
            start=format_day(self.start, lang),
            end=format_day(self.end, lang),
        )


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
        dims = {attr: tuple(sorted(set(values(param)))) for param, (attr, _) in DIMENSIONS.items()}
        dims["provinces"] = tuple(sorted({p.upper() for p in dims["provinces"]}))
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
        for param, (attr, _) in DIMENSIONS.items():
            if getattr(self, attr):
                query[param] = list(getattr(self, attr))
        if self.compare != "last-year":
            query["compare"] = self.compare
        return query

    def to_query_string(self) -> str:
        """The view as a query string, e.g. 'grain=week&province=BO&province=RA'."""
        return urlencode(self.to_query(), doseq=True)

    def narrowed(self, **changes: object) -> Filters:
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
            return Period(_twelve_months_to(end), end)
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
        try:
            if self.compare == "last-year":
                return period.shifted_months(-12)
            if period.whole_months:
                return period.shifted_months(-period.months)
            length = period.end - period.start + timedelta(days=1)
            return Period(period.start - length, period.end - length)
        except (ValueError, OverflowError):  # before year 1
            return None

    # --- SQL and words --------------------------------------------------------------------

    def conditions(
        self,
        table: Table,
        *,
        period: Period | None,
        province_codes: frozenset[str] | None,
        date_column: str = "day",
    ) -> list[ColumnElement[bool]]:
        """Parameterised WHERE conditions for an aggregate table.

        province_codes is the already scope-checked set of ISTAT codes (None: no limit).
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
        for param, (attr, column_name) in DIMENSIONS.items():
            selected = getattr(self, attr)
            if param == "province" or not selected or column_name not in table.c:
                continue
            conditions.append(table.c[column_name].in_(selected))
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
        for attr in ("provinces", "areas", "channels", "segments", "topics"):
            selected = getattr(self, attr)
            if selected:
                lookup = names.get(attr, {})
                listed = ", ".join(lookup.get(code, code) for code in selected)
                parts.append(text(f"sentence.{attr}", lang, names=listed))
            elif attr == "provinces":
                parts.append(text("sentence.all_provinces", lang))
        compared = self.comparison(period)
        if compared is not None:
            what = text(f"sentence.compared.{self.compare}", lang)
            parts.append(text("sentence.compare", lang, what=what, period=compared.phrase(lang)))
        return "; ".join(parts) + "."
