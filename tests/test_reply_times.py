"""Time-to-reply KPIs censored at the latest data, against tests/reply_store.py by hand."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
import reply_store
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from data_access import queries
from data_access.filters import Filters
from data_access.models import KpiTarget, table_of
from data_access.movements import movements_between
from data_access.periods import Period
from data_access.queries import KpiValue
from data_access.scope import Scope

EVERYONE = Scope.all_provinces("direzione")
Q1 = Filters(period="custom", start=date(2025, 1, 1), end=date(2025, 3, 31), compare="none")
JANUARY = Period(date(2025, 1, 1), date(2025, 1, 31))


@pytest.fixture
def store(engine: Engine) -> Engine:
    return reply_store.build(engine)


def value_of(store: Engine, kpi: str, filters: Filters = Q1) -> KpiValue:
    return queries.kpi_value(engine=store, filters=filters, scope=EVERYONE, kpi=kpi)


def monthly(store: Engine, kpi: str, by: tuple[str, ...] = ("bucket",)) -> pd.DataFrame:
    return queries.kpi_series(engine=store, filters=Q1, scope=EVERYONE, kpi=kpi, by=by)


def column(frame: pd.DataFrame, name: str) -> list:
    return frame[name].tolist()


# --- complaints -------------------------------------------------------------------------------


def test_complaints_open_past_30_days_count_as_late(store: Engine) -> None:
    # February: 20 replied in 10 days, 20 never replied and past their 30 days: 50%
    frame = monthly(store, "complaint_reply_30d")
    february = frame[frame["bucket"] == date(2025, 2, 1)].iloc[0]
    assert february["value"] == 50.0
    assert february["n"] == 40


def test_complaints_still_within_30_days_are_pending_not_counted(store: Engine) -> None:
    # March: only the complaint of 01/03 has had its 30 days (late); the 42 of 15/03 are in the
    # open window (30 replied in 5 days, 12 pending): n 1, under 30, suppressed
    frame = monthly(store, "complaint_reply_30d")
    march = frame[frame["bucket"] == date(2025, 3, 1)].iloc[0]
    assert math.isnan(march["value"])
    assert march["n"] == 1
    assert march["pending"] == 12


def test_quick_replies_in_an_open_window_do_not_lift_the_share_to_100(store: Engine) -> None:
    # 15/03-31/03 only: 30 replied in 5 days, 12 pending; no complaint has had its 30 days,
    # so there is no share yet (not 30 / 30 = 100%): provisional with its 12 pending
    result = queries.kpi_value(
        engine=store,
        filters=Q1,
        scope=EVERYONE,
        kpi="complaint_reply_30d",
        period=Period(date(2025, 3, 15), date(2025, 3, 31)),
    )
    assert math.isnan(result.value)
    assert result.n == 0
    assert result.pending == 12
    assert result.provisional is True


def test_a_period_mostly_in_its_open_window_shows_no_share_yet(store: Engine) -> None:
    # 20/02-31/03: 41 complaints have had their 30 days (20 within), 42 of 15/03 have not:
    # 20 / 41 would stand for a period whose cases are mostly still open; no value, provisional
    result = queries.kpi_value(
        engine=store,
        filters=Q1,
        scope=EVERYONE,
        kpi="complaint_reply_30d",
        period=Period(date(2025, 2, 20), date(2025, 3, 31)),
    )
    assert math.isnan(result.value)
    assert math.isnan(result.ci_low)
    assert result.n == 41
    assert result.suppressed is False
    assert (result.pending, result.provisional) == (12, True)


def test_complaint_buckets_with_pending_cases_are_provisional(store: Engine) -> None:
    frame = monthly(store, "complaint_reply_30d")
    assert column(frame, "provisional") == [False, False, True]
    assert column(frame, "pending") == [0, 0, 12]
    assert frame["provisional"].dtype == bool
    assert frame["pending"].dtype == "int64"


def test_weekly_complaint_buckets_are_pending_only_from_the_first_open_day(
    store: Engine,
) -> None:
    # the first open day is 02/03 (a Sunday): the week from 24/02 holds only the late 01/03
    frame = queries.kpi_series(
        engine=store, filters=Q1.narrowed(grain="week"), scope=EVERYONE, kpi="complaint_reply_30d"
    )
    pending = dict(zip(frame["bucket"], frame["pending"], strict=True))
    assert pending == {
        date(2025, 1, 6): 0,
        date(2025, 1, 13): 0,
        date(2025, 2, 17): 0,
        date(2025, 2, 24): 0,
        date(2025, 3, 10): 12,
        date(2025, 3, 31): 0,
    }


def test_a_quarter_counts_only_its_open_days_as_pending(store: Engine) -> None:
    # Q1 holds 38 complaints without a reply; only the 12 of 15/03 are still within 30 days
    frame = queries.kpi_series(
        engine=store,
        filters=Q1.narrowed(grain="quarter"),
        scope=EVERYONE,
        kpi="complaint_reply_30d",
    )
    assert column(frame, "pending") == [12]
    assert column(frame, "n") == [91]


def test_complaint_share_over_the_period_leaves_pending_out(store: Engine) -> None:
    result = value_of(store, "complaint_reply_30d")
    # the 42 complaints of 15/03 (open window) are out: 55 within of 91
    assert result.value == pytest.approx(5500 / 91)
    assert result.n == 91
    assert result.pending == 12
    assert result.provisional is True


def test_complaint_share_carries_a_wilson_interval(store: Engine) -> None:
    frame = monthly(store, "complaint_reply_30d")
    january = frame[frame["bucket"] == date(2025, 1, 1)].iloc[0]
    assert january["value"] == 70.0
    assert january["ci_low"] == pytest.approx(56.2496495, abs=1e-6)
    assert january["ci_high"] == pytest.approx(80.8964465, abs=1e-6)


def test_a_complaint_cell_under_30_cases_is_suppressed_with_its_n(store: Engine) -> None:
    frame = queries.kpi_series(
        engine=store,
        filters=Q1,
        scope=EVERYONE,
        kpi="complaint_reply_30d",
        by=("province",),
        period=JANUARY,
    )
    ra = frame[frame["province"] == "RA"].iloc[0]
    assert ra["suppressed"]
    assert math.isnan(ra["value"])
    assert ra["n"] == 5


def test_a_closed_period_is_not_provisional(store: Engine) -> None:
    result = value_of(store, "complaint_reply_30d", Q1.narrowed(end=date(2025, 2, 28)))
    assert result.value == pytest.approx(5500 / 90)
    assert result.provisional is False
    assert result.pending == 0


def test_complaint_reply_days_average_the_replied_and_count_the_unanswered(store: Engine) -> None:
    result = value_of(store, "complaint_reply_days")
    assert result.value == pytest.approx(1100 / 95)
    assert result.n == 95
    assert result.unanswered == 38
    assert result.pending == 12
    assert result.provisional is True


def test_an_explicit_period_is_censored_at_the_stores_latest_day(store: Engine) -> None:
    result = queries.kpi_value(
        engine=store,
        filters=Q1,
        scope=EVERYONE,
        kpi="complaint_reply_30d",
        period=Period(date(2025, 3, 1), date(2025, 3, 31)),
    )
    assert result.pending == 12
    assert result.n == 1


# --- association cases ------------------------------------------------------------------------


def test_association_cases_open_past_target_count_as_late(store: Engine) -> None:
    frame = monthly(store, "association_within_target")
    january = frame[frame["bucket"] == date(2025, 1, 1)].iloc[0]
    assert january["value"] == 75.0
    assert january["n"] == 32
    assert january["ci_low"] == pytest.approx(57.8934410, abs=1e-6)
    assert january["ci_high"] == pytest.approx(86.7475991, abs=1e-6)


def test_association_cases_within_target_are_pending_and_provisional(store: Engine) -> None:
    frame = monthly(store, "association_within_target")
    assert column(frame, "provisional") == [False, False, True]
    assert column(frame, "pending") == [0, 0, 4]
    march = frame[frame["bucket"] == date(2025, 3, 1)].iloc[0]
    assert math.isnan(march["value"])  # all 34 opened 20/03, in the open window: no share yet
    assert march["n"] == 0


def test_an_association_month_of_five_cases_is_suppressed(store: Engine) -> None:
    frame = monthly(store, "association_within_target")
    february = frame[frame["bucket"] == date(2025, 2, 1)].iloc[0]
    assert february["suppressed"]
    assert math.isnan(february["value"])
    assert february["n"] == 5


def test_association_share_over_the_period(store: Engine) -> None:
    result = value_of(store, "association_within_target")
    assert result.value == pytest.approx(2900 / 37)  # the 34 of 20/03 are in the open window
    assert result.n == 37
    assert result.pending == 4
    assert result.provisional is True


def test_association_reply_days_have_an_interval_and_the_unanswered_count(store: Engine) -> None:
    frame = monthly(store, "association_reply_days")
    january = frame[frame["bucket"] == date(2025, 1, 1)].iloc[0]
    assert january["value"] == 24.0
    assert january["ci_low"] == pytest.approx(21.0883506, abs=1e-6)
    assert january["ci_high"] == pytest.approx(26.9116494, abs=1e-6)
    assert january["unanswered"] == 2
    result = value_of(store, "association_reply_days")
    assert result.value == pytest.approx(920 / 65)
    assert result.unanswered == 6


# --- what changed -----------------------------------------------------------------------------


def test_what_changed_never_uses_a_provisional_value(store: Engine) -> None:
    def side(value: float, provisional: bool) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "province": ["BO"],
                "value": [value],
                "n": [500.0],
                "ci_low": [math.nan],
                "ci_high": [math.nan],
                "provisional": [provisional],
                "pending": [40 if provisional else 0],
            }
        )

    kpis = ("complaint_reply_30d",)
    closed = movements_between(
        kpis=kpis, now={kpis[0]: side(99.0, False)}, before={kpis[0]: side(60.0, False)}
    )
    assert [m.province for m in closed] == ["BO"]
    pending = movements_between(
        kpis=kpis, now={kpis[0]: side(99.0, True)}, before={kpis[0]: side(60.0, False)}
    )
    assert pending == []


def test_association_within_target_reads_the_target_table(store: Engine) -> None:
    # a 45-day target: January's 24 (20 days) and 6 (40 days) on time, 2 late: 30 / 32
    with store.begin() as connection:
        connection.execute(
            insert(table_of(KpiTarget)),
            [
                {
                    "kpi": "association_reply_days",
                    "threshold": 45.0,
                    "direction": "max",
                    "source": "internal",
                    "valid_from": date(2024, 1, 1),
                }
            ],
        )
    frame = monthly(store, "association_within_target")
    assert frame["value"].iloc[0] == 93.75
    assert column(frame, "pending") == [0, 0, 4]


# --- whether the store has any source data for a KPI ------------------------------------------


def test_a_store_without_line_times_has_no_line_accessibility_data(store: Engine) -> None:
    # contacts and association cases only: no contact-centre reports, surveys or adoption
    found = queries.kpis_with_data(
        store, ["line_accessibility", "contacts", "complaint_reply_30d", "csi",
                "online_adoption", "association_within_target"]
    )  # fmt: skip
    assert found == {"contacts", "complaint_reply_30d", "association_within_target"}


def test_a_mean_reply_time_moves_when_its_intervals_say_so() -> None:
    # 26.0 (25.8-26.2) -> 25.0 (24.8-25.2), se 0.1 each: under a tenth, but z = 1 / 0.1414 = 7.07
    def side(value: float, low: float, high: float) -> pd.DataFrame:
        frame = {"province": ["BO"], "value": [value], "n": [5000.0], "ci_low": [low]}
        return pd.DataFrame(frame | {"ci_high": [high], "se": [0.1], "provisional": [False]})

    kpis = ("association_reply_days",)
    found = movements_between(
        kpis=kpis, now={kpis[0]: side(25.0, 24.8, 25.2)}, before={kpis[0]: side(26.0, 25.8, 26.2)}
    )
    assert [(m.province, m.change, m.better) for m in found] == [("BO", -1.0, True)]
