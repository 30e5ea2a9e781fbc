"""'What changed' and a tile's significance flag for survey KPIs: a change counts when the 95%
interval of the difference excludes 0, i.e. |z| > 1.96 with z = change ÷ √(se_now² + se_before²).

Each province has 50 CSI responses in June 2024 and 50 in June 2025, half at one score and half
at another 20 points higher. For such a cell the sample variance is 50/49 × 10² and the standard
error √(50/49 × 100 ÷ 50) = 10/7 = 1.428571, so the se of a difference is
√2 × 10/7 = 2.020305 and a change is significant from 1.96 × 2.020305 = 3.9597 points.

  RA: 60/80 (70.00) -> 64.00/84.00 (74.00): +4.00, z = 4 ÷ 2.020305 = 1.979899 (significant)
  BO: 60/80 (70.00) -> 63.95/83.95 (73.95): +3.95, z = 1.955150 (just not)
  FE: 60/80 (70.00) -> 56.00/76.00 (66.00): −4.00, z = −1.979899 (significant, worse)
"""

from __future__ import annotations

from datetime import date

import kpi_store
import pytest
from sqlalchemy.engine import Engine

from data_access import queries
from data_access.filters import Filters
from data_access.movements import Movement, largest_movements
from data_access.periods import Period
from data_access.queries import KpiValue
from data_access.scope import Scope

JUNE_2024, JUNE_2025 = date(2024, 6, 3), date(2025, 6, 2)
CELLS = {  # province: (low score before, low score now); high = low + 20, 25 responses each
    "RA": (60.0, 64.0),
    "BO": (60.0, 63.95),
    "FE": (60.0, 56.0),
}


@pytest.fixture
def store(engine: Engine) -> Engine:
    for area, (before, now) in CELLS.items():
        for name, day, low in (("b", JUNE_2024, before), ("n", JUNE_2025, now)):
            scores = [low] * 25 + [low + 20] * 25
            kpi_store.add_responses(engine, f"{area}{name}", day, area, scores)
    return engine


def movements(store: Engine) -> dict[str, Movement]:
    found = largest_movements(
        engine=store,
        filters=Filters(period="2025", compare="last-year"),
        scope=Scope.all_provinces("t"),
        kpis=("csi",),
        period=Period(date(2025, 1, 1), date(2025, 12, 31)),
    )
    return {movement.province: movement for movement in found}


def test_a_survey_rise_just_past_the_interval_is_a_movement(store: Engine) -> None:
    ravenna = movements(store)["RA"]
    assert (ravenna.kpi, ravenna.before, ravenna.now) == ("csi", 70.0, 74.0)
    assert ravenna.change == pytest.approx(4.0, abs=1e-9)
    assert ravenna.strength == pytest.approx(1.979899, abs=1e-6)
    assert ravenna.better is True


def test_a_survey_rise_just_inside_the_interval_is_not_a_movement(store: Engine) -> None:
    assert "BO" not in movements(store)


def test_a_survey_fall_just_past_the_interval_is_a_movement_for_the_worse(store: Engine) -> None:
    ferrara = movements(store)["FE"]
    assert (ferrara.before, ferrara.now) == (70.0, 66.0)
    assert ferrara.strength == pytest.approx(1.979899, abs=1e-6)
    assert ferrara.better is False


def test_survey_movements_are_only_the_significant_ones(store: Engine) -> None:
    assert sorted(movements(store)) == ["FE", "RA"]


# --- the tile's "significant" flag follows the same rule --------------------------------------


def csi_2025(store: Engine, province: str) -> KpiValue:
    filters = Filters(period="2025", compare="last-year", provinces=(province,))
    return queries.kpi_value(
        engine=store, filters=filters, scope=Scope.all_provinces("t"), kpi="csi",
        period=Period(date(2025, 1, 1), date(2025, 12, 31)),
    )  # fmt: skip


def test_a_survey_change_just_past_the_interval_is_flagged_significant(store: Engine) -> None:
    ravenna = csi_2025(store, "RA")
    assert (ravenna.comparison_value, ravenna.value) == (70.0, 74.0)
    assert ravenna.significant is True


def test_a_survey_change_just_inside_the_interval_is_not_flagged(store: Engine) -> None:
    bologna = csi_2025(store, "BO")
    assert bologna.change == pytest.approx(3.95, abs=1e-9)
    assert bologna.significant is False
