"""One KPI tile through AppTest: provisional reply times, n and interval for shares of cases."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui.sparkline import svg_of_data_url


def tile_app(**fields: object) -> AppTest:
    """An app drawing one tile of the KPI value with fields (a monthly sparkline of 3 buckets,
    the last provisional)."""

    def app(fields: dict) -> None:
        import math
        from datetime import date

        import pandas as pd

        from data_access.periods import Period
        from data_access.queries import KpiValue
        from ui.tiles import kpi_tile

        nan = math.nan
        base = {
            "value": nan, "n": 0.0, "ci_low": nan, "ci_high": nan, "suppressed": False,
            "period": Period(date(2025, 1, 1), date(2025, 12, 31)),
            "comparison_period": Period(date(2024, 1, 1), date(2024, 12, 31)),
            "comparison_value": nan, "comparison_n": 0.0, "comparison_ci_low": nan,
            "comparison_ci_high": nan, "comparison_suppressed": False, "change": nan,
            "significant": None,
        }  # fmt: skip
        spark = pd.DataFrame(
            {
                "bucket": [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)],
                "value": [90.0, 92.0, 100.0],
                "provisional": [False, False, True],
                "pending": [0, 0, 222],
            }
        )
        kpi_tile(KpiValue(**(base | fields)), None, spark, "it")

    return AppTest.from_function(app, kwargs={"fields": fields}).run()


def captions(app: AppTest) -> list[str]:
    return [caption.value for caption in app.caption]


def test_a_provisional_share_shows_the_pending_count_and_its_interval() -> None:
    app = tile_app(
        kpi="complaint_reply_30d", value=96.0, n=4310.0, ci_low=95.4, ci_high=96.6,
        provisional=True, pending=222.0, unanswered=230.0,
    )  # fmt: skip
    assert not app.exception
    assert captions(app) == [
        "Provvisorio: 222 in attesa, entro i 30 giorni",
        "n = 4.310 · IC 95% 95,4% – 96,6%",
    ]


def test_a_share_with_most_cases_still_open_says_it_has_no_value_yet() -> None:
    # December: 30 complaints have had their 30 days, 502 have not (222 of them pending)
    app = tile_app(
        kpi="complaint_reply_30d", n=30.0, provisional=True, pending=222.0, unanswered=222.0
    )
    assert app.metric[0].value == "–"
    assert captions(app) == [
        "Provvisorio: 222 in attesa, entro i 30 giorni",
        "Nessuna quota per ora: la maggior parte dei casi è ancora entro i 30 giorni",
    ]


def test_the_sparkline_leaves_provisional_buckets_out() -> None:
    app = tile_app(kpi="complaint_reply_30d", value=96.0, n=4310.0, ci_low=95.4, ci_high=96.6)
    (picture,) = app.get("image")
    assert 'points="3.0,37.0 237.0,3.0"' in svg_of_data_url(picture.proto.imgs[0].url)


def test_a_change_against_a_provisional_value_is_said_to_be_provisional() -> None:
    app = tile_app(
        kpi="association_within_target", value=88.0, n=300.0, ci_low=84.0, ci_high=91.0,
        comparison_value=80.0, comparison_n=280.0, change=8.0, provisional=True, pending=4.0,
    )  # fmt: skip
    assert app.metric[0].proto.delta_description == "provvisorio"
    assert "Provvisorio: 4 in attesa, entro l'obiettivo" in captions(app)


def test_a_mean_reply_time_says_how_many_cases_it_leaves_out() -> None:
    app = tile_app(kpi="complaint_reply_days", value=14.2, n=310.0, unanswered=222.0)
    assert captions(app) == ["Media di 310 risposte; 222 aperte escluse"]


def test_a_share_of_few_cases_is_suppressed_with_its_n() -> None:
    app = tile_app(kpi="association_within_target", n=9.0, suppressed=True)
    assert app.metric[0].value == "–"
    assert captions(app) == ["Meno di 30 casi (n = 9): valore non mostrato"]


def test_a_value_missing_for_the_view_says_so_in_words() -> None:
    app = tile_app(kpi="service_level")
    assert app.metric[0].value == "–"
    assert captions(app) == ["Nessun dato con i filtri scelti."]


def test_a_change_that_rounds_to_nothing_is_grey_and_has_no_arrow() -> None:
    app = tile_app(kpi="service_level", value=95.04, comparison_value=95.0, change=0.04)
    metric = app.metric[0].proto
    assert metric.delta == "0,0 p.p."
    assert metric.color == metric.MetricColor.GRAY
    assert metric.direction == metric.MetricDirection.NONE


def test_a_service_level_rise_is_green_with_an_up_arrow() -> None:
    app = tile_app(kpi="service_level", value=96.0, comparison_value=95.0, change=1.0)
    metric = app.metric[0].proto
    assert metric.delta == "+1,0 p.p."
    assert metric.color == metric.MetricColor.GREEN
    assert metric.direction == metric.MetricDirection.UP
