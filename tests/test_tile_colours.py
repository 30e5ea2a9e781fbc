"""A KPI tile through AppTest: its change coloured by the KPI's good way, its target badge, n.

Higher is better for LS (service level, percent, 1 decimal), lower is better for TMA (average
wait, seconds, no decimals); CSI is a survey KPI whose change is grey unless significant. The
expected colours are Streamlit's Metric proto colours and the badge's Markdown directive, read
from the elements the tile drew.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from typing import Any

import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from data_access.models import KpiTarget
from data_access.periods import Period
from data_access.queries import KpiValue
from ui.sparkline import svg_of_data_url

GREEN, RED, GRAY = MetricProto.GREEN, MetricProto.RED, MetricProto.GRAY
UP, DOWN = MetricProto.UP, MetricProto.DOWN
YEAR_2025 = Period(date(2025, 1, 1), date(2025, 12, 31))
YEAR_2024 = Period(date(2024, 1, 1), date(2024, 12, 31))
LS_ARERA = KpiTarget(
    kpi="service_level", threshold=80.0, direction="min", source="ARERA",
    valid_from=date(2015, 1, 1),
)  # fmt: skip
TMA_ARERA = KpiTarget(
    kpi="average_wait", threshold=180.0, direction="max", source="ARERA",
    valid_from=date(2017, 1, 1),
)  # fmt: skip


def kpi_value(kpi: str, value: float, before: float, **fields: Any) -> KpiValue:
    """A KpiValue for 2025 against 2024; fields the tile does not read default to empty."""
    known: dict[str, Any] = {
        "kpi": kpi,
        "value": value,
        "n": math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "suppressed": False,
        "period": YEAR_2025,
        "comparison_period": YEAR_2024,
        "comparison_value": before,
        "comparison_n": math.nan,
        "comparison_ci_low": math.nan,
        "comparison_ci_high": math.nan,
        "comparison_suppressed": False,
        "change": value - before,
        "significant": None,
        **fields,
    }
    for field in dataclasses.fields(KpiValue):  # fields added later: their default, else None
        if field.name not in known:
            has_default = field.default is not dataclasses.MISSING
            known[field.name] = field.default if has_default else None
    return KpiValue(**known)


def _tile_script(value: object, target: object, spark: object) -> None:  # run as a script
    import pandas as pd

    from data_access.models import KpiTarget
    from data_access.queries import KpiValue
    from ui.tiles import kpi_tile

    assert isinstance(value, KpiValue) and (target is None or isinstance(target, KpiTarget))
    assert spark is None or isinstance(spark, pd.DataFrame)
    kpi_tile(value, target, spark, "it")


def draw(
    value: KpiValue, target: KpiTarget | None = None, spark: pd.DataFrame | None = None
) -> AppTest:
    kwargs = {"value": value, "target": target, "spark": spark}
    app = AppTest.from_function(_tile_script, default_timeout=30, kwargs=kwargs).run()
    assert not app.exception
    return app


def delta(app: AppTest) -> tuple[str, int, int]:
    """The metric's delta text, colour and arrow."""
    proto = app.metric[0].proto
    return proto.delta, proto.color, proto.direction


def badges(app: AppTest) -> list[str]:
    return [md.value for md in app.markdown if "-badge[" in md.value]


# --- the change: green when it goes the KPI's good way, red otherwise -------------------------


def test_a_rise_in_service_level_is_green() -> None:
    app = draw(kpi_value("service_level", 85.0, 82.5))
    assert delta(app) == ("+2,5 p.p.", GREEN, UP)


def test_a_fall_in_service_level_is_red() -> None:
    app = draw(kpi_value("service_level", 82.5, 85.0))
    assert delta(app) == ("-2,5 p.p.", RED, DOWN)


def test_a_rise_in_average_wait_is_red() -> None:
    app = draw(kpi_value("average_wait", 99.0, 60.0))
    assert delta(app) == ("+39 s", RED, UP)


def test_a_fall_in_average_wait_is_green() -> None:
    app = draw(kpi_value("average_wait", 60.0, 99.0))
    assert delta(app) == ("-39 s", GREEN, DOWN)


def test_a_census_change_says_what_it_is_compared_with() -> None:
    app = draw(kpi_value("service_level", 85.0, 82.5))
    assert app.metric[0].proto.delta_description == "confronto: 2024"


# --- survey changes: grey unless significant --------------------------------------------------


def test_a_survey_change_that_is_not_significant_is_grey() -> None:
    app = draw(kpi_value("csi", 71.0, 69.0, n=200.0, comparison_n=200.0, significant=False))
    assert delta(app) == ("+2,0", GRAY, UP)
    assert app.metric[0].proto.delta_description == "variazione non significativa"


def test_a_significant_survey_rise_is_green() -> None:
    app = draw(kpi_value("csi", 75.0, 69.0, n=200.0, comparison_n=200.0, significant=True))
    assert delta(app) == ("+6,0", GREEN, UP)
    assert app.metric[0].proto.delta_description == "confronto: 2024"


def test_a_significant_survey_fall_is_red() -> None:
    app = draw(kpi_value("csi", 63.0, 69.0, n=200.0, comparison_n=200.0, significant=True))
    assert delta(app) == ("-6,0", RED, DOWN)


# --- the target badge: green met, orange within 5% of the threshold, red missed ---------------


@pytest.mark.parametrize(
    ("value", "badge"),
    [
        (80.0, ":green-badge[:material/check_circle: Standard ARERA ≥ 80,0%]"),
        (79.96, ":green-badge[:material/check_circle: Standard ARERA ≥ 80,0%]"),  # shows 80,0
        (76.0, ":orange-badge[:material/error: Standard ARERA ≥ 80,0%]"),  # 4 = 5% of 80
        (75.9, ":red-badge[:material/cancel: Standard ARERA ≥ 80,0%]"),
    ],
    ids=["met", "met-as-shown", "amber-edge", "missed"],
)
def test_service_level_badge_against_at_least_80(value: float, badge: str) -> None:
    app = draw(kpi_value("service_level", value, value), LS_ARERA)
    assert badges(app) == [badge]


@pytest.mark.parametrize(
    ("value", "badge"),
    [
        (180.0, ":green-badge[:material/check_circle: Standard ARERA ≤ 180 s]"),
        (120.0, ":green-badge[:material/check_circle: Standard ARERA ≤ 180 s]"),
        (189.0, ":orange-badge[:material/error: Standard ARERA ≤ 180 s]"),  # 9 = 5% of 180
        (190.0, ":red-badge[:material/cancel: Standard ARERA ≤ 180 s]"),
    ],
    ids=["met-at-threshold", "met", "amber-edge", "missed"],
)
def test_average_wait_badge_against_at_most_180(value: float, badge: str) -> None:
    app = draw(kpi_value("average_wait", value, value), TMA_ARERA)
    assert badges(app) == [badge]


def test_a_missing_value_shows_the_target_without_a_badge() -> None:
    app = draw(kpi_value("average_wait", math.nan, 60.0), TMA_ARERA)
    assert badges(app) == []
    assert "Standard ARERA ≤ 180 s" in [caption.value for caption in app.caption]


def test_an_internal_target_says_so() -> None:
    internal = KpiTarget(
        kpi="csi", threshold=70.0, direction="min", source="internal", valid_from=date(2020, 1, 1)
    )
    app = draw(kpi_value("csi", 72.0, 72.0, n=200.0), internal)
    assert badges(app) == [":green-badge[:material/check_circle: Obiettivo interno ≥ 70,0]"]


# --- what else a tile shows -------------------------------------------------------------------


def test_a_survey_tile_shows_n_and_the_interval() -> None:
    app = draw(kpi_value("csi", 70.0, 70.0, n=1234.0, ci_low=66.36, ci_high=73.64))
    assert [caption.value for caption in app.caption] == ["n = 1.234 · IC 95% 66,4 – 73,6"]


def test_a_suppressed_survey_tile_says_why_with_its_n() -> None:
    value = kpi_value("csi", math.nan, 70.0, n=29.0, suppressed=True)
    app = draw(value)
    assert app.metric[0].value == "\u2013"  # an en dash: no value
    assert [caption.value for caption in app.caption] == [
        "Meno di 30 risposte (n = 29): valore non mostrato"
    ]


def test_the_sparkline_leaves_out_missing_buckets() -> None:
    spark = pd.DataFrame({"value": [81.0, math.nan, 83.5]})
    app = draw(kpi_value("service_level", 83.5, 81.0), spark=spark)
    (picture,) = app.get("image")  # two points: 81 at the bottom, 83.5 at the top
    assert 'points="3.0,37.0 237.0,3.0"' in svg_of_data_url(picture.proto.imgs[0].url)


def test_without_a_change_there_is_no_comparison_line() -> None:
    app = draw(kpi_value("service_level", 85.0, math.nan))
    assert (app.metric[0].proto.delta, app.metric[0].proto.delta_description) == ("", "")
