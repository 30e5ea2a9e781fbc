"""Calendar arithmetic: month ends, months added, periods, their comparison periods and buckets.

Weeks run Monday to Sunday; quarters start in January, April, July and October.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from data_access.i18n import DEFAULT, format_day, text

ONE_DAY = timedelta(days=1)
MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}  # calendar months in a bucket of each grain


def month_end(day: date) -> date:
    """Last day of day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """Shift day by a number of months, clamping to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def twelve_months_to(end: date) -> date:
    """The first day of the twelve months that end on end (the day after end, a year before)."""
    try:
        return add_months(end, -12) + ONE_DAY
    except (ValueError, OverflowError):  # before year 1
        return date.min


def bucket_start(day: date, grain: str) -> date:
    """First day of the week (Monday), month, quarter or year that day falls in."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if grain == "year":
        return date(day.year, 1, 1)
    raise ValueError(f"unknown grain {grain!r}")


def bucket_end(start: date, grain: str) -> date:
    """Last day of the week, month, quarter or year starting on start."""
    if grain == "week":
        return start + timedelta(days=6)
    return month_end(add_months(start, MONTHS_IN[grain] - 1))


def bucket_span(grain: str, start: date, end: date) -> tuple[date, date]:
    """First and last day of the weeks (Monday-Sunday) or months that [start, end] touches."""
    if grain not in ("week", "month"):  # the stored aggregates' grains
        raise ValueError(f"unknown grain {grain!r}")
    return bucket_start(start, grain), bucket_end(bucket_start(end, grain), grain)


def shift_bucket(bucket: date, steps: int, grain: str) -> date:
    """The bucket `steps` buckets later (earlier when negative) at this grain."""
    if grain == "week":
        return bucket + timedelta(weeks=steps)
    return add_months(bucket, steps * MONTHS_IN[grain])


def buckets_between(earlier: date, later: date, grain: str) -> int:
    """How many buckets of this grain later starts after earlier (both bucket starts)."""
    if grain == "week":
        return round((later - earlier).days / 7)
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return round(months / MONTHS_IN[grain])


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


def year_before(period: Period) -> Period | None:
    """The same days a year before (a month end stays a month end); None before year 1."""
    try:
        return period.shifted_months(-12)
    except (ValueError, OverflowError):
        return None


def previous(period: Period) -> Period | None:
    """The period just before: as many whole months, or else as many days; None before year 1."""
    try:
        if period.whole_months:
            return period.shifted_months(-period.months)
        length = period.end - period.start + ONE_DAY
        return Period(period.start - length, period.end - length)
    except (ValueError, OverflowError):
        return None
