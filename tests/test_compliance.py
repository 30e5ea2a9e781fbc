"""ARERA compliance per month and province (data_access.compliance), on tests/centre_store.py:
every expected value is worked out by hand in that module's docstring."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import centre_store
import pytest
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from data_access.compliance import (
    compliance_grid,
    months_met,
    standards_by_month,
    water_rule,
)
from data_access.filters import Filters
from data_access.models import KpiTarget, Province, table_of
from data_access.periods import Period
from data_access.scope import Scope

EVERYONE = Scope.all_provinces("t")
YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def store(engine: Engine, tmp_path: Path) -> Engine:
    return centre_store.build(engine, tmp_path)


def grid(store: Engine, kpi: str = "service_level", **kwargs):
    options = {"filters": Filters(), "scope": EVERYONE, "period": YEAR} | kwargs
    return compliance_grid(engine=store, kpi=kpi, **options)


def cell(frame, month: int, sigla: str):
    rows = frame[(frame["bucket"] == date(2025, month, 1)) & (frame["province"] == sigla)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_each_month_and_province_is_one_cell(store: Engine) -> None:
    found = grid(store)
    assert len(found) == 24  # 12 months × RA, FE
    assert sorted(set(found["province"])) == ["FE", "RA"]


def test_a_month_below_the_standard_is_missed(store: Engine) -> None:
    february = cell(grid(store), 2, "RA")
    assert february["value"] == pytest.approx(79.0)
    assert february["n"] == 100
    assert (february["threshold"], february["direction"]) == (80.0, "min")
    assert (february["source"], february["valid_from"]) == ("ARERA", date(2015, 1, 1))
    assert february["status"] == "missed"


def test_a_month_on_the_standard_is_met(store: Engine) -> None:
    assert cell(grid(store), 4, "RA")["status"] == "met"


def test_a_value_that_shows_as_the_threshold_meets_it(store: Engine) -> None:
    march = cell(grid(store), 3, "RA")
    assert march["value"] == pytest.approx(79.96)  # shows as 80,0%
    assert march["status"] == "met"


def test_a_month_without_calls_has_no_data(store: Engine) -> None:
    february = cell(grid(store), 2, "FE")
    assert february["status"] == "no_data"
    assert february["n"] == 0


def test_the_average_wait_is_judged_against_its_own_standard(store: Engine) -> None:
    found = grid(store, "average_wait")
    assert cell(found, 1, "RA")["value"] == pytest.approx(190.0)
    assert cell(found, 1, "RA")["threshold"] == 180.0  # ARERA's 180 s from 2017, not 200
    assert cell(found, 1, "RA")["status"] == "missed"
    assert cell(found, 1, "FE")["status"] == "met"


def test_accessibility_without_a_standard_in_force_is_not_judged(store: Engine) -> None:
    found = grid(store, "line_accessibility")
    january = cell(found, 1, "RA")
    assert january["value"] == pytest.approx(75.0)
    assert january["status"] == "no_standard"
    assert january["valid_from"] is None
    assert cell(found, 2, "RA")["status"] == "no_data"  # no line times that month


def test_the_grid_is_monthly_whatever_the_views_grain(store: Engine) -> None:
    found = grid(store, filters=Filters(grain="quarter"))
    assert len(found) == 24


def test_the_scope_limits_the_provinces(store: Engine) -> None:
    found = grid(store, scope=Scope.of("ferrara@example.it", ["FE"]))
    assert set(found["province"]) == {"FE"}


def test_an_empty_scope_gives_an_empty_grid(store: Engine) -> None:
    assert grid(store, scope=Scope()).empty


def test_the_view_filters_narrow_the_grid(store: Engine) -> None:
    assert set(grid(store, filters=Filters(provinces=("RA",)))["province"]) == {"RA"}
    assert grid(store, filters=Filters(topics=("payments",))).empty


def test_an_unknown_kpi_is_refused(store: Engine) -> None:
    with pytest.raises(ValueError, match="ARERA"):
        grid(store, "csi")


def test_months_met_counts_per_province(store: Engine) -> None:
    counted = months_met(grid(store))
    assert counted.values.tolist() == [["FE", 11, 11, 9, 2], ["RA", 12, 12, 10, 2]]


def test_the_water_rule_holds_with_ten_months_of_twelve(store: Engine) -> None:
    rule = water_rule(grid(store), YEAR)
    assert rule.values.tolist() == [["FE", 9, 11, False], ["RA", 10, 12, True]]


def test_the_water_rule_is_not_judged_on_less_than_twelve_months(store: Engine) -> None:
    half = Period(date(2025, 1, 1), date(2025, 6, 30))
    rule = water_rule(grid(store, period=half), half)
    assert rule["holds"].tolist() == [None, None]
    assert rule["months_at"].tolist() == [4, 5]  # FE Mar–Jun; RA Jan, Mar–Jun


def test_the_standard_changes_with_valid_from(engine: Engine) -> None:
    months = [date(2025, 12, 1), date(2026, 1, 1)]
    found = standards_by_month(engine=engine, kpi="service_level", months=months, provinces=["RA"])
    assert [found[m, "RA"].threshold for m in months] == [80.0, 85.0]


def test_a_provinces_own_standard_wins_over_a_newer_general_one(engine: Engine) -> None:
    with engine.begin() as connection:
        province = table_of(Province).c
        ravenna = connection.execute(select(province.code).where(province.sigla == "RA")).scalar()
        connection.execute(
            insert(table_of(KpiTarget)),
            [{"kpi": "service_level", "province_code": ravenna, "threshold": 90.0,
              "direction": "min", "source": "internal", "valid_from": date(2014, 6, 1)}],
        )  # fmt: skip
    months = [date(2014, 1, 1), date(2025, 1, 1)]  # before any standard; after ARERA's 2015
    found = standards_by_month(
        engine=engine, kpi="service_level", months=months, provinces=["RA", "FE"]
    )
    assert found[months[0], "RA"] is None and found[months[0], "FE"] is None
    assert found[months[1], "RA"].threshold == 90.0
    assert found[months[1], "FE"].threshold == 80.0
