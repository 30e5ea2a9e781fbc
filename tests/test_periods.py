"""Calendar arithmetic on literal dates: month ends, months added, buckets, comparison periods."""

from __future__ import annotations

from datetime import date

import pytest

from data_access.periods import (
    Period,
    add_months,
    bucket_end,
    bucket_span,
    bucket_start,
    buckets_between,
    month_end,
    previous,
    shift_bucket,
    twelve_months_to,
    year_before,
)

# --- months -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 15), date(2025, 1, 31)),
        (date(2025, 4, 1), date(2025, 4, 30)),
        (date(2025, 2, 10), date(2025, 2, 28)),
        (date(2024, 2, 10), date(2024, 2, 29)),  # leap year
        (date(2000, 2, 1), date(2000, 2, 29)),  # divisible by 400: leap
        (date(1900, 2, 1), date(1900, 2, 28)),  # divisible by 100 only: not leap
        (date(2025, 12, 31), date(2025, 12, 31)),
    ],
)
def test_month_end(day: date, expected: date) -> None:
    assert month_end(day) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # clamped to February's last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap February
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 5, 31), 1, date(2025, 6, 30)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),  # into the next year
        (date(2025, 1, 15), -1, date(2024, 12, 15)),  # back into the previous year
        (date(2024, 2, 29), -12, date(2023, 2, 28)),
        (date(2025, 6, 10), 0, date(2025, 6, 10)),
    ],
)
def test_add_months_clamps_to_the_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_twelve_months_to_a_month_end_start_on_the_next_month_a_year_before() -> None:
    assert twelve_months_to(date(2025, 6, 30)) == date(2024, 7, 1)


def test_twelve_months_to_a_day_start_the_day_after_a_year_before() -> None:
    assert twelve_months_to(date(2025, 3, 15)) == date(2024, 3, 16)


def test_twelve_months_to_a_day_of_year_one_start_on_the_first_day() -> None:
    assert twelve_months_to(date(1, 6, 30)) == date.min


# --- buckets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grain", "day", "start", "end"),
    [
        ("week", date(2025, 1, 1), date(2024, 12, 30), date(2025, 1, 5)),  # Wednesday
        ("week", date(2025, 3, 3), date(2025, 3, 3), date(2025, 3, 9)),  # a Monday
        ("week", date(2025, 3, 9), date(2025, 3, 3), date(2025, 3, 9)),  # a Sunday
        ("month", date(2024, 2, 17), date(2024, 2, 1), date(2024, 2, 29)),
        ("month", date(2025, 2, 17), date(2025, 2, 1), date(2025, 2, 28)),
        ("quarter", date(2025, 1, 1), date(2025, 1, 1), date(2025, 3, 31)),
        ("quarter", date(2025, 5, 20), date(2025, 4, 1), date(2025, 6, 30)),
        ("quarter", date(2025, 9, 30), date(2025, 7, 1), date(2025, 9, 30)),
        ("quarter", date(2025, 11, 2), date(2025, 10, 1), date(2025, 12, 31)),
        ("year", date(2024, 7, 4), date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_the_bucket_a_day_falls_in(grain: str, day: date, start: date, end: date) -> None:
    assert (bucket_start(day, grain), bucket_end(bucket_start(day, grain), grain)) == (start, end)


def test_an_unknown_grain_has_no_bucket() -> None:
    with pytest.raises(ValueError, match="hour"):
        bucket_start(date(2025, 1, 1), "hour")


# --- periods and their comparison periods ----------------------------------------------------


def test_a_period_of_whole_months_counts_its_months() -> None:
    period = Period(date(2024, 11, 1), date(2025, 2, 28))
    assert (period.whole_months, period.months) == (True, 4)


def test_a_period_ending_mid_month_is_not_whole_months() -> None:
    assert not Period(date(2025, 1, 1), date(2025, 2, 27)).whole_months


def test_the_year_before_of_days_is_the_same_days() -> None:
    period = Period(date(2025, 3, 10), date(2025, 4, 20))
    assert year_before(period) == Period(date(2024, 3, 10), date(2024, 4, 20))


def test_the_year_before_keeps_a_leap_february_whole() -> None:
    period = Period(date(2025, 2, 1), date(2025, 2, 28))
    assert year_before(period) == Period(date(2024, 2, 1), date(2024, 2, 29))


def test_the_year_before_of_a_leap_day_is_the_28th() -> None:
    period = Period(date(2024, 2, 10), date(2024, 2, 29))
    assert year_before(period) == Period(date(2023, 2, 10), date(2023, 2, 28))


def test_the_previous_period_of_whole_months_is_as_many_months_before() -> None:
    period = Period(date(2025, 3, 1), date(2025, 4, 30))
    assert previous(period) == Period(date(2025, 1, 1), date(2025, 2, 28))


def test_the_previous_period_of_one_leap_month_is_the_month_before() -> None:
    assert previous(Period(date(2024, 3, 1), date(2024, 3, 31))) == Period(
        date(2024, 2, 1), date(2024, 2, 29)
    )


def test_the_previous_period_of_days_is_as_many_days_before() -> None:
    period = Period(date(2025, 3, 10), date(2025, 3, 19))  # 10 days
    assert previous(period) == Period(date(2025, 2, 28), date(2025, 3, 9))


def test_no_comparison_period_before_year_one() -> None:
    period = Period(date(1, 1, 1), date(1, 12, 31))
    assert (year_before(period), previous(period)) == (None, None)


# --- moving between buckets ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grain", "start", "end", "span"),
    [
        ("week", date(2025, 1, 29), date(2025, 2, 1), (date(2025, 1, 27), date(2025, 2, 2))),
        ("week", date(2025, 1, 27), date(2025, 2, 2), (date(2025, 1, 27), date(2025, 2, 2))),
        ("month", date(2024, 2, 10), date(2024, 2, 10), (date(2024, 2, 1), date(2024, 2, 29))),
    ],
)
def test_bucket_span_widens_to_whole_weeks_or_months(
    grain: str, start: date, end: date, span: tuple[date, date]
) -> None:
    assert bucket_span(grain, start, end) == span


def test_shift_bucket_moves_weeks_by_seven_days_and_quarters_by_three_months() -> None:
    assert shift_bucket(date(2024, 1, 1), 52, "week") == date(2024, 12, 30)
    assert shift_bucket(date(2024, 10, 1), 4, "quarter") == date(2025, 10, 1)


def test_buckets_between_counts_weeks_and_quarters() -> None:
    assert buckets_between(date(2024, 1, 1), date(2024, 12, 30), "week") == 52
    assert buckets_between(date(2024, 10, 1), date(2025, 10, 1), "quarter") == 4
    assert buckets_between(date(2024, 1, 1), date(2025, 1, 1), "year") == 1


def test_bucket_span_refuses_a_grain_without_stored_aggregates() -> None:
    with pytest.raises(ValueError, match="quarter"):
        bucket_span("quarter", date(2024, 1, 1), date(2024, 1, 1))
