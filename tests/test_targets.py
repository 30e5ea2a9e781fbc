"""Targets in force on a day (province overrides) and the green/amber/red reading of a value."""

from __future__ import annotations

import math
from datetime import date

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from data_access.kpis import KPIS
from data_access.models import KpiTarget, table_of
from data_access.targets import status, target_for, targets_for
from ui import formatting

RAVENNA = "039"


def target(threshold: float, direction: str) -> KpiTarget:
    return KpiTarget(
        kpi="x", threshold=threshold, direction=direction, source="internal", valid_from=date.min
    )


def test_the_target_in_force_is_the_latest_valid_one(engine: Engine) -> None:
    found = target_for(engine=engine, kpi="service_level", on=date(2025, 6, 30))
    assert (found.threshold, found.direction, found.source) == (80.0, "min", "ARERA")


def test_a_newer_target_takes_over_from_its_valid_from_day(engine: Engine) -> None:
    assert target_for(engine=engine, kpi="service_level", on=date(2026, 1, 1)).threshold == 85.0
    assert target_for(engine=engine, kpi="average_wait", on=date(2016, 12, 31)).threshold == 200.0
    assert target_for(engine=engine, kpi="average_wait", on=date(2017, 1, 1)).threshold == 180.0


def test_there_is_no_target_before_the_first_one(engine: Engine) -> None:
    assert target_for(engine=engine, kpi="service_level", on=date(2014, 12, 31)) is None


def test_a_kpi_without_targets_has_none(engine: Engine) -> None:
    assert target_for(engine=engine, kpi="nps", on=date(2025, 1, 1)) is None


def test_targets_for_several_kpis_give_each_its_own_or_none(engine: Engine) -> None:
    found = targets_for(
        engine=engine, kpis=("service_level", "average_wait", "nps"), on=date(2025, 6, 30)
    )
    assert list(found) == ["service_level", "average_wait", "nps"]
    assert (found["service_level"].threshold, found["average_wait"].threshold) == (80.0, 180.0)
    assert found["nps"] is None


@pytest.fixture
def ravenna_target(engine: Engine) -> Engine:
    """Ravenna's own service-level target of 90% from 2020 on."""
    row = {
        "kpi": "service_level",
        "province_code": RAVENNA,
        "threshold": 90.0,
        "direction": "min",
        "source": "internal",
        "valid_from": date(2020, 1, 1),
    }
    with engine.begin() as connection:
        connection.execute(insert(table_of(KpiTarget)), [row])
    return engine


def service_level_threshold(engine: Engine, sigla: str | None, on: date) -> float:
    found = target_for(engine=engine, kpi="service_level", province_sigla=sigla, on=on)
    return found.threshold


def test_a_province_target_wins_over_the_general_one(ravenna_target: Engine) -> None:
    assert service_level_threshold(ravenna_target, "RA", date(2025, 6, 30)) == 90.0


def test_targets_for_a_province_take_its_own_where_it_has_one(ravenna_target: Engine) -> None:
    kpis = ("service_level", "average_wait")
    found = targets_for(engine=ravenna_target, kpis=kpis, province_sigla="RA", on=date(2025, 6, 30))
    assert (found["service_level"].threshold, found["average_wait"].threshold) == (90.0, 180.0)


def test_a_province_target_leaves_other_provinces_on_the_general_one(
    ravenna_target: Engine,
) -> None:
    assert service_level_threshold(ravenna_target, "BO", date(2025, 6, 30)) == 80.0
    assert service_level_threshold(ravenna_target, None, date(2025, 6, 30)) == 80.0


def test_a_province_target_applies_only_from_its_valid_from_day(ravenna_target: Engine) -> None:
    assert service_level_threshold(ravenna_target, "RA", date(2019, 6, 1)) == 80.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [(81.25, "green"), (80.0, "green"), (77.0, "amber"), (76.0, "amber"), (75.0, "red")],
)
def test_a_minimum_target_is_green_when_met_amber_within_5_percent(
    value: float, expected: str
) -> None:
    # 5% of 80 is 4: down to 76 is amber
    assert status(value, target(80.0, "min"), decimals=2) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(120.0, "green"), (180.0, "green"), (189.0, "amber"), (190.0, "red")],
)
def test_a_maximum_target_is_green_when_not_exceeded(value: float, expected: str) -> None:
    # 5% of 180 is 9: up to 189 is amber
    assert status(value, target(180.0, "max"), decimals=0) == expected


def test_no_value_or_no_target_has_no_status() -> None:
    assert status(None, target(80.0, "min"), decimals=1) is None
    assert status(math.nan, target(80.0, "min"), decimals=1) is None
    assert status(90.0, None, decimals=1) is None


# --- judged at the precision shown (CSI 1 decimal, TMA 0 decimals, kpis.py) -------------------

CSI = KPIS["csi"]
TMA = KPIS["average_wait"]


def test_a_csi_shown_as_the_target_meets_it() -> None:
    # Bologna's 69,96 reads "70,0" beside "≥ 70,0": green, not amber
    assert formatting.kpi_value(69.96, CSI, "it") == "70,0"
    assert status(69.96, target(70.0, "min"), decimals=CSI.decimals) == "green"


def test_a_csi_shown_below_the_target_misses_it() -> None:
    assert formatting.kpi_value(69.94, CSI, "it") == "69,9"
    assert status(69.94, target(70.0, "min"), decimals=CSI.decimals) == "amber"


def test_a_wait_shown_as_the_maximum_meets_it() -> None:
    assert formatting.kpi_value(180.4, TMA, "it") == "180 s"
    assert status(180.4, target(180.0, "max"), decimals=TMA.decimals) == "green"


def test_a_wait_shown_above_the_maximum_misses_it_within_the_amber_margin() -> None:
    # "181 s" against "≤ 180 s": 1 s over, within 5% of 180 (9 s)
    assert formatting.kpi_value(180.6, TMA, "it") == "181 s"
    assert status(180.6, target(180.0, "max"), decimals=TMA.decimals) == "amber"


def test_a_tie_rounds_half_up_in_the_text_and_in_the_status_alike() -> None:
    # Babel alone rounds half to even (180.5 -> "180"); shown and judged values must agree
    assert formatting.kpi_value(180.5, TMA, "it") == "181 s"
    assert status(180.5, target(180.0, "max"), decimals=0) == "amber"
    assert formatting.kpi_value(69.85, CSI, "it") == "69,9"
    assert status(69.95, target(70.0, "min"), decimals=1) == "green"


def test_the_amber_margin_is_judged_on_the_shown_value() -> None:
    # 75,96 shows as "76,0": 4,0 short of 80, exactly 5% of it
    assert status(75.96, target(80.0, "min"), decimals=1) == "amber"
    assert status(75.94, target(80.0, "min"), decimals=1) == "red"
