"""Every KPI against values worked out by hand from the tiny store in tests/kpi_store.py."""

from __future__ import annotations

import math
import warnings
from datetime import UTC, date, datetime, timedelta

import kpi_store
import pandas as pd
import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from data_access import aggregates, queries, stats
from data_access.filters import Filters
from data_access.kpis import KPIS
from data_access.models import Contact, ContactProvinceMonthly, table_of
from data_access.periods import Period
from data_access.queries import KpiValue
from data_access.reference import read_rows
from data_access.scope import Scope

EVERYONE = Scope.all_provinces("direzione")
JAN_FEB = Filters(period="custom", start=date(2025, 1, 1), end=date(2025, 2, 28), compare="none")
BO_JANUARY = JAN_FEB.narrowed(end=date(2025, 1, 31), provinces=("BO",))
SERIES_COLUMNS = [
    "bucket", "value", "n", "ci_low", "ci_high", "se", "suppressed", "provisional", "pending",
    "unanswered",
]  # fmt: skip


@pytest.fixture
def store(engine: Engine) -> Engine:
    return kpi_store.build(engine)


def value_of(store: Engine, kpi: str, filters: Filters = JAN_FEB) -> KpiValue:
    return queries.kpi_value(engine=store, filters=filters, scope=EVERYONE, kpi=kpi)


def series(store: Engine, kpi: str, filters: Filters = JAN_FEB, **kwargs: object) -> pd.DataFrame:
    return queries.kpi_series(engine=store, filters=filters, scope=EVERYONE, kpi=kpi, **kwargs)


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(row) for row in frame[list(columns)].itertuples(index=False)]


def add_web_contacts(store: Engine, *days: date) -> None:
    """One BO web contact on each day, then the aggregates of the months they fall in."""
    with store.begin() as connection:
        connection.execute(
            insert(table_of(Contact)),
            [
                {
                    "source_id": f"extra{index}",
                    "occurred_at": datetime.combine(day, datetime.min.time()),
                    "day": day,
                    "week": day - timedelta(days=day.weekday()),
                    "month": day.replace(day=1),
                    "area_code": "BO",
                    "channel_code": "web",
                    "segment_code": "household",
                    "topic_code": "other",
                }
                for index, day in enumerate(days)
            ],
        )
        aggregates.refresh_contacts(connection, min(days), max(days))


# --- the registry -----------------------------------------------------------------------------


def test_every_kpi_has_a_label_a_unit_a_family_and_a_definition_in_each_language() -> None:
    units = {"count", "percent", "seconds", "days", "score", "nps", "per_thousand"}
    for code, kpi in KPIS.items():
        assert kpi.code == code
        assert kpi.unit in units
        assert kpi.family in {"contact", "survey", "adoption", "association"}
        assert kpi.better in {"higher", "lower"}
        for lang in ("it", "en"):
            assert kpi.label(lang) and kpi.help(lang).endswith(".")


def test_the_registry_holds_the_kpis_of_the_design_table() -> None:
    assert list(KPIS) == [
        "contacts",
        "contacts_per_1000",
        "service_level",
        "average_wait",
        "line_accessibility",
        "abandonment_rate",
        "service_level_80_20",
        "fcr",
        "aht",
        "csi",
        "csat",
        "nps",
        "ces",
        "online_adoption",
        "branch_usage",
        "digital_share",
        "complaint_reply_days",
        "complaint_reply_30d",
        "association_reply_days",
        "association_within_target",
    ]


def test_every_shipped_target_names_a_kpi_of_the_registry() -> None:
    assert {row["kpi"] for row in read_rows("targets.csv")} <= set(KPIS)


def test_fcr_help_says_unknown_resolutions_are_left_out() -> None:
    assert "esclusi" in KPIS["fcr"].help()
    assert "left out" in KPIS["fcr"].help("en")


# --- store-wide facts -------------------------------------------------------------------------


def test_latest_day_is_the_last_day_with_contacts_or_surveys(store: Engine) -> None:
    assert queries.latest_day(store) == date(2025, 2, 20)


def test_latest_day_of_an_empty_store_is_none(engine: Engine) -> None:
    assert queries.latest_day(engine) is None


def test_freshness_is_when_the_last_import_ran(store: Engine) -> None:
    assert queries.freshness(store).replace(tzinfo=UTC) == datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def test_dimension_names_give_display_names_by_filter_attribute(store: Engine) -> None:
    names = queries.dimension_names(store)
    assert names["provinces"]["BO"] == "Bologna"
    assert names["areas"]["IMOLA"] == "Imola"
    assert names["channels"]["web"] == "Area clienti online"
    assert names["segments"]["household"] == "Famiglie"
    assert names["topics"]["bill_info"] == "Chiarimenti sulla bolletta"


# --- contact KPIs over January-February 2025 --------------------------------------------------


def test_contacts_count_events_and_calls_offered_in_reports(store: Engine) -> None:
    # 11 event-level contacts + 10 calls offered in the RA report
    result = value_of(store, "contacts")
    assert (result.value, result.n) == (21.0, 21.0)


def test_contacts_per_1000_divide_by_the_average_monthly_customer_base(store: Engine) -> None:
    # 21 contacts ÷ mean(2,000 in January, 2,000 in February) × 1,000 = 10.5
    result = value_of(store, "contacts_per_1000")
    assert (result.value, result.n) == (10.5, 2000.0)


def test_contacts_per_1000_per_province_use_that_provinces_base(store: Engine) -> None:
    # BO: 6 contacts ÷ mean(1,200, 1,250) = 6 ÷ 1,225 × 1,000 = 4.8979...
    # RA: 15 contacts (5 + 10 offered) ÷ mean(800, 750) = 15 ÷ 775 × 1,000 = 19.3548...
    frame = series(store, "contacts_per_1000", by=("province",))
    assert rows(frame, "province", "n") == [("BO", 1225.0), ("RA", 775.0)]
    assert frame["value"].tolist() == pytest.approx([4.897959, 19.354839], abs=1e-6)


def test_service_level_is_answered_over_queued(store: Engine) -> None:
    # answered 5 calls + 8 in the report = 13; queued 6 + 10 offered = 16; 13 ÷ 16 = 81.25%
    result = value_of(store, "service_level")
    assert (result.value, result.n) == (81.25, 16.0)


def test_average_wait_is_wait_seconds_over_answered_calls(store: Engine) -> None:
    # (10 + 30 + 50 + 20 + 15 + 160 from the report) = 285 s ÷ 13 answered = 21.923 s
    result = value_of(store, "average_wait")
    assert result.value == pytest.approx(21.923077, abs=1e-6)
    assert result.n == 13.0


def test_line_accessibility_is_line_free_over_operator_time(store: Engine) -> None:
    # 3,000 s line free ÷ 4,000 s with an operator logged in = 75%
    result = value_of(store, "line_accessibility")
    assert (result.value, result.n) == (75.0, 4000.0)


def test_line_accessibility_is_missing_where_no_line_times_exist(store: Engine) -> None:
    # Bologna has event-level contacts only: no operator time, no value
    result = value_of(store, "line_accessibility", JAN_FEB.narrowed(provinces=("BO",)))
    assert math.isnan(result.value)
    assert result.n == 0.0


def test_abandonment_rate_is_abandoned_over_queued(store: Engine) -> None:
    # 1 abandoned call + 2 in the report = 3 ÷ 16 queued = 18.75%
    assert value_of(store, "abandonment_rate").value == 18.75


def test_service_level_80_20_is_answered_within_20s_over_queued(store: Engine) -> None:
    # waits of 10, 20 and 15 s (3) + 6 in the report = 9 ÷ 16 = 56.25%
    assert value_of(store, "service_level_80_20").value == 56.25


def test_fcr_leaves_out_contacts_of_unknown_resolution(store: Engine) -> None:
    # known: c1 c2 c5 c6 c7 c8 c10 = 7 (c3 c4 c9 c11 and the report unknown); resolved 5 → 71.43%
    result = value_of(store, "fcr")
    assert result.value == pytest.approx(71.428571, abs=1e-6)
    assert result.n == 7.0


def test_aht_is_handling_seconds_over_handled_contacts(store: Engine) -> None:
    # (300 + 200 + 400 + 100 + 250 + 600 + 1,600 from the report) = 3,450 s ÷ (6 + 8) = 246.43 s
    result = value_of(store, "aht")
    assert result.value == pytest.approx(246.428571, abs=1e-6)
    assert result.n == 14.0


def test_digital_share_counts_web_app_chat_whatsapp_chatbot(store: Engine) -> None:
    # c4 and c6 on the web, c8 on the app: 3 ÷ 21 contacts = 14.29%
    assert value_of(store, "digital_share").value == pytest.approx(14.285714, abs=1e-6)


def test_complaint_reply_days_of_two_replies_are_suppressed_with_the_open_one_counted(
    store: Engine,
) -> None:
    # c4 replied in 20 days, c6 in 40: 2 replies (under 30: suppressed); c11 (11/02) has no
    # reply and its 30 days run past the latest day (20/02): pending, so provisional
    result = value_of(store, "complaint_reply_days")
    assert (result.n, result.suppressed, result.unanswered) == (2.0, True, 1.0)
    assert (result.pending, result.provisional) == (1.0, True)
    assert math.isnan(result.value)


def test_complaint_reply_30d_counts_decided_complaints(store: Engine) -> None:
    # c4 on time (20/01, its 30 days passed); c6 (06/02) and c11 (11/02) were received within
    # 30 days of the latest day (20/02): the open window, left out of the share; c11 pending.
    # 1 decided, under 30 so suppressed
    result = value_of(store, "complaint_reply_30d")
    assert (result.n, result.suppressed, result.pending) == (1.0, True, 1.0)


# --- survey KPIs: estimates with n, 95% intervals and suppression -----------------------------


def test_csi_is_the_mean_score_with_a_normal_95_interval(store: Engine) -> None:
    # cell A: 20 × 60 and 20 × 80 → mean 70; s² = 40 × 10² ÷ 39 = 102.564; se = √(s²/40) = 1.60128
    # 70 ± 1.95996 × 1.60128 = 70 ± 3.13845
    result = value_of(store, "csi", BO_JANUARY)
    assert (result.value, result.n, result.suppressed) == (70.0, 40.0, False)
    assert (result.ci_low, result.ci_high) == pytest.approx((66.861546, 73.138454), abs=1e-6)


def test_csat_is_the_top_box_share_with_a_wilson_interval(store: Engine) -> None:
    # 30 positive of 40 = 75%; Wilson with z = 1.95996: centre (0.75 + z²/80) ÷ (1 + z²/40),
    # half-width z·√(0.75·0.25/40 + z²/6,400) ÷ (1 + z²/40) → 59.806% … 85.813%
    result = value_of(store, "csat", BO_JANUARY)
    assert (result.value, result.n) == (75.0, 40.0)
    assert (result.ci_low, result.ci_high) == pytest.approx((59.806039, 85.812881), abs=1e-6)


def test_nps_is_promoters_minus_detractors_with_its_interval(store: Engine) -> None:
    # 20 promoters (50%) − 8 detractors (20%) = 30; var = (0.5 + 0.2 − 0.3²) ÷ 40 = 0.01525
    # se = √0.01525 × 100 = 12.349; 30 ± 1.95996 × 12.349 = 5.796 … 54.204
    result = value_of(store, "nps", BO_JANUARY)
    assert (result.value, result.n) == (30.0, 40.0)
    assert (result.ci_low, result.ci_high) == pytest.approx((5.796230, 54.203770), abs=1e-6)


def test_ces_is_the_mean_effort_score(store: Engine) -> None:
    # 20 × 5 and 20 × 7 → 6; s² = 40 ÷ 39; se = √(s²/40) = 0.16013; 6 ± 0.31385
    result = value_of(store, "ces", BO_JANUARY)
    assert (result.value, result.n) == (6.0, 40.0)
    assert (result.ci_low, result.ci_high) == pytest.approx((5.686155, 6.313845), abs=1e-6)


def test_a_survey_cell_under_30_responses_is_suppressed_but_keeps_its_n(store: Engine) -> None:
    result = value_of(store, "csi", BO_JANUARY.narrowed(provinces=("RA",)))
    assert math.isnan(result.value)
    assert math.isnan(result.ci_low) and math.isnan(result.ci_high)
    assert (result.n, result.suppressed) == (5.0, True)


def test_survey_series_suppress_only_the_small_cells(store: Engine) -> None:
    frame = series(store, "csi", by=("bucket", "province"))
    assert rows(frame, "bucket", "province", "n", "suppressed") == [
        (date(2025, 1, 1), "BO", 40.0, False),
        (date(2025, 1, 1), "RA", 5.0, True),
        (date(2025, 2, 1), "BO", 32.0, False),
    ]
    assert frame["value"].tolist()[0] == 70.0 and math.isnan(frame["value"].tolist()[1])
    assert frame["value"].tolist()[2] == 85.0


def test_a_significant_survey_change_is_flagged(store: Engine) -> None:
    # CSI BO February 85 (n 32) vs January 70 (n 40): +15; se of the difference
    # √(1.60128² + 0.89803²) = 1.8359, so the interval 15 ± 3.60 excludes 0
    february = Filters(
        period="custom",
        start=date(2025, 2, 1),
        end=date(2025, 2, 28),
        provinces=("BO",),
        compare="previous",
    )
    result = value_of(store, "csi", february)
    assert result.comparison_period == Period(date(2025, 1, 1), date(2025, 1, 31))
    assert (result.value, result.comparison_value, result.change) == (85.0, 70.0, 15.0)
    assert (result.n, result.comparison_n) == (32.0, 40.0)
    assert result.significant is True


def test_a_survey_change_inside_the_noise_is_not_significant(store: Engine) -> None:
    # NPS BO February 50% − 25% = 25 vs January 30: −5; se of the difference
    # √(14.658² + 12.349²) = 19.17, so the interval −5 ± 37.6 contains 0
    february = Filters(
        period="custom",
        start=date(2025, 2, 1),
        end=date(2025, 2, 28),
        provinces=("BO",),
        compare="previous",
    )
    result = value_of(store, "nps", february)
    assert (result.value, result.comparison_value, result.change) == (25.0, 30.0, -5.0)
    assert result.significant is False


def test_a_survey_value_carries_the_standard_errors_its_intervals_were_built_from(
    store: Engine,
) -> None:
    # CSI BO February (n 32) se 0.898027; January se = √(102.564 ÷ 40) = 1.601282
    february = Filters(
        period="custom",
        start=date(2025, 2, 1),
        end=date(2025, 2, 28),
        provinces=("BO",),
        compare="previous",
    )
    result = value_of(store, "csi", february)
    assert (result.se, result.comparison_se) == pytest.approx((0.898027, 1.601282), abs=1e-6)
    assert result.ci_high - result.value == pytest.approx(stats.Z95 * result.se, abs=1e-9)


def test_survey_series_carry_each_cells_standard_error(store: Engine) -> None:
    frame = series(store, "csi", by=("bucket", "province"))
    se = frame["se"].tolist()
    assert (se[0], se[2]) == pytest.approx((1.601282, 0.898027), abs=1e-6)
    assert math.isnan(se[1])  # Ravenna's 5 responses are suppressed, their se with them


def test_census_kpis_have_no_interval_and_no_significance(store: Engine) -> None:
    # service level February (8 + 2 answered ÷ 10 + 2 queued = 83.33%) vs January (3 ÷ 4 = 75%)
    february = Filters(
        period="custom", start=date(2025, 2, 1), end=date(2025, 2, 28), compare="previous"
    )
    result = value_of(store, "service_level", february)
    assert result.value == pytest.approx(83.333333, abs=1e-6)
    assert result.comparison_value == 75.0
    assert result.change == pytest.approx(8.333333, abs=1e-6)
    assert math.isnan(result.ci_low) and math.isnan(result.se) and result.significant is None


def test_without_a_comparison_the_comparison_fields_are_empty(store: Engine) -> None:
    result = value_of(store, "contacts")
    assert result.comparison_period is None
    assert math.isnan(result.comparison_value) and math.isnan(result.change)
    assert result.significant is None


# --- adoption KPIs ----------------------------------------------------------------------------


def test_online_adoption_reads_the_periods_last_month(store: Engine) -> None:
    # February: BO 160 users (registered unknown) + RA 130 registered = 290 ÷ 2,000 = 14.5%
    result = value_of(store, "online_adoption")
    assert result.value == pytest.approx(14.5, abs=1e-9)
    assert result.n == 2000.0


def test_online_adoption_prefers_registered_accounts_to_users(store: Engine) -> None:
    # January: registered BO 240 + RA 120 = 360 ÷ 2,000 = 18%; February 14.5%
    frame = series(store, "online_adoption")
    assert rows(frame, "bucket") == [(date(2025, 1, 1),), (date(2025, 2, 1),)]
    assert frame["value"].tolist() == pytest.approx([18.0, 14.5], abs=1e-9)


def test_online_adoption_per_province_divides_by_that_provinces_customers(store: Engine) -> None:
    # February: BO 160 ÷ 1,250 = 12.8%; RA 130 ÷ 750 = 17.33%
    frame = series(store, "online_adoption", by=("province",))
    assert rows(frame, "province", "n") == [("BO", 1250.0), ("RA", 750.0)]
    assert frame["value"].tolist() == pytest.approx([12.8, 17.333333], abs=1e-6)


def test_branch_usage_is_branch_users_over_customers(store: Engine) -> None:
    # February: 300 + 250 = 550 ÷ 2,000 = 27.5%
    assert value_of(store, "branch_usage").value == pytest.approx(27.5, abs=1e-9)


# --- association KPIs -------------------------------------------------------------------------


def test_association_reply_days_of_two_answers_are_suppressed(store: Engine) -> None:
    # a1 20 days, a2 40 days: 2 answered (under 30); a3 (01/02) pending on 20/02
    result = value_of(store, "association_reply_days")
    assert (result.n, result.suppressed, result.pending, result.unanswered) == (2.0, True, 1, 1)


def test_association_cases_of_imola_count_for_bologna(store: Engine) -> None:
    frame = series(store, "association_reply_days", by=("province",))
    assert rows(frame, "province", "n", "suppressed", "pending") == [
        ("BO", 2.0, True, 0),
        ("RA", 0.0, False, 1),
    ]


# --- series: buckets, grains and the tables they read -----------------------------------------


def test_series_have_one_row_per_bucket_with_the_documented_columns(store: Engine) -> None:
    # January: 3 answered ÷ 4 queued = 75%; February: (2 + 8) ÷ (2 + 10) = 83.33%
    frame = series(store, "service_level")
    assert list(frame.columns) == SERIES_COLUMNS
    assert rows(frame, "bucket", "n") == [(date(2025, 1, 1), 4.0), (date(2025, 2, 1), 12.0)]
    assert frame["value"].tolist() == pytest.approx([75.0, 83.333333], abs=1e-6)


def test_series_by_bucket_and_province_name_provinces_by_sigla(store: Engine) -> None:
    # BO Jan 2 ÷ 3, RA Jan 1 ÷ 1, BO Feb 1 ÷ 1, RA Feb (1 + 8) ÷ (1 + 10)
    frame = series(store, "service_level", by=("bucket", "province"))
    assert list(frame.columns) == ["bucket", "province", *SERIES_COLUMNS[1:]]
    assert rows(frame, "bucket", "province", "n") == [
        (date(2025, 1, 1), "BO", 3.0),
        (date(2025, 1, 1), "RA", 1.0),
        (date(2025, 2, 1), "BO", 1.0),
        (date(2025, 2, 1), "RA", 11.0),
    ]
    assert frame["value"].tolist() == pytest.approx([66.666667, 100, 100, 81.818182], abs=1e-6)


def test_series_by_province_only_cover_the_whole_period(store: Engine) -> None:
    frame = series(store, "contacts", by=("province",))
    assert list(frame.columns) == ["province", *SERIES_COLUMNS[1:]]
    assert rows(frame, "province", "value") == [("BO", 6.0), ("RA", 15.0)]


def test_quarter_grain_rolls_months_up(store: Engine) -> None:
    frame = series(store, "contacts", JAN_FEB.narrowed(grain="quarter"))
    assert rows(frame, "bucket", "value") == [(date(2025, 1, 1), 21.0)]


def test_year_grain_rolls_months_up(store: Engine) -> None:
    frame = series(store, "service_level", JAN_FEB.narrowed(grain="year"))
    assert rows(frame, "bucket", "value", "n") == [(date(2025, 1, 1), 81.25, 16.0)]


def test_week_grain_buckets_start_on_monday(store: Engine) -> None:
    # 6-12 Jan: c1 c2 c7; 13-19: c3 c8; 20-26: c4; 3-9 Feb: c5 c6 + 10 offered; 10-16: c11;
    # 17-23: c9 c10
    frame = series(store, "contacts", JAN_FEB.narrowed(grain="week"))
    assert rows(frame, "bucket", "value") == [
        (date(2025, 1, 6), 3.0),
        (date(2025, 1, 13), 2.0),
        (date(2025, 1, 20), 1.0),
        (date(2025, 2, 3), 12.0),
        (date(2025, 2, 10), 1.0),
        (date(2025, 2, 17), 2.0),
    ]


def test_a_period_of_part_months_counts_only_its_days(store: Engine) -> None:
    # from 11 January: c1 and c2 (10 January) drop out; January c3 c4 c7 c8, February 15
    filters = JAN_FEB.narrowed(start=date(2025, 1, 11))
    frame = series(store, "contacts", filters)
    assert rows(frame, "bucket", "value") == [(date(2025, 1, 1), 4.0), (date(2025, 2, 1), 15.0)]


def test_a_period_ending_inside_a_month_counts_only_its_days(store: Engine) -> None:
    # to 10 February: January 6; February c5 (5th), c6 (6th) and the report's 10 (3rd) = 12
    filters = JAN_FEB.narrowed(end=date(2025, 2, 10))
    frame = series(store, "contacts", filters)
    assert rows(frame, "bucket", "value") == [(date(2025, 1, 1), 6.0), (date(2025, 2, 1), 12.0)]


def test_a_period_inside_one_month_counts_only_its_days(store: Engine) -> None:
    # 4-11 February: c5, c6, c11 (the report of the 3rd is outside)
    filters = JAN_FEB.narrowed(start=date(2025, 2, 4), end=date(2025, 2, 11))
    assert value_of(store, "contacts", filters).value == 3.0


def test_weeks_of_a_period_starting_and_ending_mid_week_count_only_its_days(
    store: Engine,
) -> None:
    # Wednesday 15 January to Wednesday 5 February: week of 13 Jan only c3 (c8 on the 13th is
    # out); 20 Jan c4; 27 Jan none; 3 Feb the report's 10 (3rd) and c5 (5th), c6 (6th) is out
    filters = JAN_FEB.narrowed(start=date(2025, 1, 15), end=date(2025, 2, 5), grain="week")
    frame = series(store, "contacts", filters)
    assert rows(frame, "bucket", "value") == [
        (date(2025, 1, 13), 1.0),
        (date(2025, 1, 20), 1.0),
        (date(2025, 2, 3), 11.0),
    ]


def test_a_weekly_period_ending_on_the_latest_day_reads_its_last_week_whole(
    store: Engine,
) -> None:
    # 10 to 20 February (the latest day, a Thursday): week of 10 Feb c11; 17 Feb c10 and c9
    filters = JAN_FEB.narrowed(start=date(2025, 2, 10), end=date(2025, 2, 20), grain="week")
    frame = series(store, "service_level", filters)
    assert rows(frame, "bucket", "n") == [(date(2025, 2, 10), 0.0), (date(2025, 2, 17), 1.0)]
    assert math.isnan(frame["value"].tolist()[0]) and frame["value"].tolist()[1] == 100.0


def test_a_week_straddling_two_months_is_one_bucket(store: Engine) -> None:
    # extra contacts on Friday 31 January and Sunday 2 February: week of 27 Jan holds both,
    # while the months split them (January 6 + 1, February 15 + 1)
    add_web_contacts(store, date(2025, 1, 31), date(2025, 2, 2))
    weekly = series(store, "contacts", JAN_FEB.narrowed(grain="week"))
    assert (date(2025, 1, 27), 2.0) in rows(weekly, "bucket", "value")
    monthly = series(store, "contacts")
    assert rows(monthly, "bucket", "value") == [(date(2025, 1, 1), 7.0), (date(2025, 2, 1), 16.0)]


def test_a_period_starting_inside_a_straddling_week_counts_only_its_days(store: Engine) -> None:
    # from Saturday 1 February: of the week of 27 Jan only the contact of the 2nd counts
    add_web_contacts(store, date(2025, 1, 31), date(2025, 2, 2))
    filters = JAN_FEB.narrowed(start=date(2025, 2, 1), grain="week")
    frame = series(store, "contacts", filters)
    assert rows(frame, "bucket", "value")[0] == (date(2025, 1, 27), 1.0)


def test_survey_series_by_week_sum_the_responses_of_each_week(store: Engine) -> None:
    # week of 20 Jan: cell A (40) + cell B (5): (20·60 + 20·80 + 5·50) ÷ 45 = 3,050 ÷ 45;
    # week of 10 Feb: cell C, 85
    frame = series(store, "csi", JAN_FEB.narrowed(grain="week"))
    assert rows(frame, "bucket", "n") == [(date(2025, 1, 20), 45.0), (date(2025, 2, 10), 32.0)]
    assert frame["value"].tolist() == pytest.approx([67.777778, 85.0], abs=1e-6)


def test_a_value_over_a_month_whole_weeks_and_ragged_days_counts_each_day_once(
    store: Engine,
) -> None:
    # 28 December 2024 to Wednesday 12 February: all of January (6), the week of 3 Feb (the
    # report's 10, c5, c6), 1-2 and 10-12 February (c11): 6 + 12 + 1 = 19
    filters = JAN_FEB.narrowed(start=date(2024, 12, 28), end=date(2025, 2, 12))
    assert value_of(store, "contacts", filters).value == 19.0


def test_a_value_over_whole_weeks_across_a_month_edge_counts_each_day_once(
    store: Engine,
) -> None:
    # Wednesday 8 January to Wednesday 12 February: 10-12 Jan c1 c2 c7; weeks of 13 Jan to
    # 3 Feb c8 c3 c4, the report's 10, c5 c6; 10-12 Feb c11: 3 + 15 + 1 = 19
    filters = JAN_FEB.narrowed(start=date(2025, 1, 8), end=date(2025, 2, 12))
    assert value_of(store, "contacts", filters).value == 19.0


def test_the_default_period_counts_back_12_months_from_the_latest_day(store: Engine) -> None:
    result = value_of(store, "contacts", Filters())
    assert result.period == Period(date(2024, 3, 1), date(2025, 2, 20))
    assert result.value == 21.0


def test_an_explicit_period_overrides_the_filters_period(store: Engine) -> None:
    frame = series(store, "contacts", period=Period(date(2025, 2, 1), date(2025, 2, 28)))
    assert rows(frame, "bucket", "value") == [(date(2025, 2, 1), 15.0)]


def test_kpi_value_takes_an_explicit_period(store: Engine) -> None:
    february = Period(date(2025, 2, 1), date(2025, 2, 28))
    result = queries.kpi_value(
        engine=store, filters=Filters(), scope=EVERYONE, kpi="contacts", period=february
    )
    assert (result.period, result.value) == (february, 15.0)
    assert result.comparison_period == Period(date(2024, 2, 1), date(2024, 2, 29))


def test_kpi_values_read_several_kpis_at_once(store: Engine) -> None:
    # CSI of all 77 responses: (20·60 + 20·80 + 5·50 + 16·80 + 16·90) ÷ 77 = 5,770 ÷ 77 = 74.94
    found = queries.kpi_values(
        engine=store,
        filters=JAN_FEB,
        scope=EVERYONE,
        kpis=["contacts", "service_level", "csi", "online_adoption", "association_reply_days"],
    )
    assert list(found) == [
        "contacts",
        "service_level",
        "csi",
        "online_adoption",
        "association_reply_days",
    ]
    assert [found[code].value for code in ("contacts", "service_level")] == [21.0, 81.25]
    assert (found["csi"].value, found["csi"].n) == (pytest.approx(74.935065, abs=1e-6), 77.0)
    assert found["online_adoption"].value == pytest.approx(14.5, abs=1e-9)
    assert found["association_reply_days"].n == 2.0


BOARD_KPIS = (
    "contacts", "service_level", "contacts_per_1000", "digital_share", "csi", "nps",
    "online_adoption", "branch_usage", "association_reply_days", "association_within_target",
)  # fmt: skip


def board(store: Engine, filters: Filters) -> queries.KpiBoard:
    return queries.kpi_board(engine=store, filters=filters, scope=EVERYONE, kpis=BOARD_KPIS)


def test_a_board_gives_values_by_bucket_and_by_province_over_the_period(store: Engine) -> None:
    found = board(store, JAN_FEB.narrowed(compare="previous"))
    assert found.values["contacts"].value == 21.0
    assert found.values["service_level"].value == 81.25
    assert rows(found.by_bucket["contacts"], "bucket", "value") == [
        (date(2025, 1, 1), 6.0),
        (date(2025, 2, 1), 15.0),
    ]
    assert list(found.by_province["contacts"]["province"]) == ["BO", "RA"]
    assert found.by_province["contacts"]["value"].sum() == 21.0


@pytest.mark.parametrize(
    "filters",
    [
        JAN_FEB.narrowed(compare="previous"),
        JAN_FEB.narrowed(compare="last-year", grain="week"),
        Filters(grain="quarter"),
        Filters(period="custom", start=date(2025, 1, 8), end=date(2025, 2, 12), grain="week"),
        BO_JANUARY.narrowed(compare="last-year", channels=("phone",)),
        Filters(period="2023", compare="previous"),
    ],
    ids=["months", "weeks", "quarters", "ragged weeks", "one province", "empty"],
)
def test_a_board_equals_what_the_single_queries_give(store: Engine, filters: Filters) -> None:
    found = board(store, filters)
    alone = {
        "values": queries.kpi_values(
            engine=store, filters=filters, scope=EVERYONE, kpis=BOARD_KPIS
        ),
        "by_bucket": queries.kpi_series_many(
            engine=store, filters=filters, scope=EVERYONE, kpis=BOARD_KPIS
        ),
        "by_province": queries.kpi_series_many(
            engine=store, filters=filters, scope=EVERYONE, kpis=BOARD_KPIS, by=("province",)
        ),
    }
    compared = found.values["contacts"].comparison_period
    assert compared is not None
    before = queries.kpi_series_many(
        engine=store,
        filters=filters,
        scope=EVERYONE,
        kpis=BOARD_KPIS,
        by=("province",),
        period=compared,
    )
    for code in BOARD_KPIS:
        assert repr(found.values[code]) == repr(alone["values"][code])
        pd.testing.assert_frame_equal(found.by_bucket[code], alone["by_bucket"][code])
        pd.testing.assert_frame_equal(found.by_province[code], alone["by_province"][code])
        pd.testing.assert_frame_equal(found.by_province_before[code], before[code])


def test_a_board_without_comparison_has_empty_comparison_frames(store: Engine) -> None:
    found = board(store, JAN_FEB)
    assert found.values["csi"].comparison_period is None
    assert found.by_province_before["csi"].empty
    assert list(found.by_province_before["csi"].columns) == ["province", *SERIES_COLUMNS[1:]]


def without_province_aggregate(store: Engine) -> Engine:
    """The store with its province-level contact aggregate emptied (as if never filled)."""
    with store.begin() as connection:
        connection.execute(table_of(ContactProvinceMonthly).delete())
    return store


@pytest.mark.parametrize(
    "narrowing",
    [{"channels": ("phone",)}, {"segments": ("household",)}],
    ids=["channels", "segments"],
)
def test_a_view_filtered_on_no_area_or_topic_reads_the_province_aggregate(
    store: Engine, narrowing: dict[str, tuple[str, ...]]
) -> None:
    emptied = without_province_aggregate(store)
    assert math.isnan(value_of(emptied, "contacts", JAN_FEB.narrowed(**narrowing)).value)


@pytest.mark.parametrize(
    "narrowing",
    [{"areas": ("BO", "IMOLA", "RA")},
     {"topics": tuple(row["code"] for row in read_rows("topics.csv"))}],
    ids=["areas", "topics"],
)  # fmt: skip
def test_an_area_or_topic_filter_reads_the_full_monthly_aggregate(
    store: Engine, narrowing: dict[str, tuple[str, ...]]
) -> None:
    emptied = without_province_aggregate(store)
    assert value_of(emptied, "contacts", JAN_FEB.narrowed(**narrowing)).value == 21.0


# --- empty periods and stores -----------------------------------------------------------------


@pytest.mark.parametrize(
    "kpi",
    ["contacts", "service_level", "contacts_per_1000", "csi", "nps", "online_adoption",
     "association_reply_days"],
)  # fmt: skip
def test_an_empty_period_gives_a_missing_value_and_n_0(store: Engine, kpi: str) -> None:
    empty = Filters(period="2023", compare="none")
    result = value_of(store, kpi, empty)
    assert math.isnan(result.value)
    assert (result.n, result.suppressed) == (0.0, False)


def test_an_empty_period_gives_an_empty_series(store: Engine) -> None:
    frame = series(store, "service_level", Filters(period="2023"))
    assert list(frame.columns) == SERIES_COLUMNS
    assert frame.empty


def test_an_empty_store_gives_no_period_and_no_value(engine: Engine) -> None:
    result = value_of(engine, "csi", Filters())
    assert result.period is None and math.isnan(result.value) and result.n == 0.0
    assert series(engine, "csi", Filters()).empty


def test_an_unknown_kpi_is_refused(store: Engine) -> None:
    with pytest.raises(ValueError, match="unknown KPI 'happiness'"):
        value_of(store, "happiness")


def test_an_unknown_grouping_is_refused(store: Engine) -> None:
    with pytest.raises(ValueError, match="by must be one of"):
        series(store, "contacts", by=("province", "bucket"))


# --- stats ------------------------------------------------------------------------------------


def test_a_mean_of_one_response_has_no_interval() -> None:
    estimate = stats.mean_estimate(1, 70.0, 4900.0)
    assert float(estimate.value) == 70.0
    assert math.isnan(float(estimate.low)) and math.isnan(float(estimate.se))


def test_estimates_of_no_responses_are_missing_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(float(stats.proportion_estimate(0, 0).value))
        assert math.isnan(float(stats.nps_estimate(0, 0, 0).value))
        assert math.isnan(float(stats.mean_estimate(0, 0.0, 0.0).value))


def test_significance_is_undefined_when_a_side_is_missing() -> None:
    known = stats.mean_estimate(40, 2800.0, 200000.0)
    missing = stats.mean_estimate(0, 0.0, 0.0)
    assert stats.significant_change(known, missing) is None


def test_every_kpi_has_source_data_in_the_tiny_store(store: Engine) -> None:
    assert queries.kpis_with_data(store, list(KPIS)) == set(KPIS)
