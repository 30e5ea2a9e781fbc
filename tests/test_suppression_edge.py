"""Small-cell suppression at its edge: fewer than 30 responses hide the value, 30 show it.

Three survey cells in March 2025, each half at CSI 60 and half at 80 (mean 70) plus, for an
odd count, one response at 70:
  FE 29 responses (14 × 60, 1 × 70, 14 × 80): suppressed, n kept
  BO 30 responses (15 × 60, 15 × 80): squared deviations 30 × 10² = 3,000, variance
     3,000 ÷ 29, se √(3,000 ÷ 29 ÷ 30) = 10/√29 = 1.856953, interval 70 ± 3.639561
  RA 31 responses (15 × 60, 1 × 70, 15 × 80): variance 3,000 ÷ 30 = 100,
     se 10/√31 = 1.796053, interval 70 ± 3.520199
"""

from __future__ import annotations

import math
from datetime import date

import kpi_store
import numpy as np
import pytest
from sqlalchemy.engine import Engine

from data_access import queries, stats
from data_access.filters import Filters
from data_access.queries import KpiValue
from data_access.scope import Scope

MARCH = date(2025, 3, 12)
CELLS = {"FE": 29, "BO": 30, "RA": 31}


def scores(n: int) -> list[float]:
    half = n // 2
    return [60.0] * half + [70.0] * (n % 2) + [80.0] * half


@pytest.fixture
def store(engine: Engine) -> Engine:
    for area, n in CELLS.items():
        kpi_store.add_responses(engine, area, MARCH, area, scores(n))
    return engine


def csi_of(store: Engine, province: str) -> KpiValue:
    filters = Filters(
        period="custom",
        start=date(2025, 3, 1),
        end=date(2025, 3, 31),
        provinces=(province,),
        compare="none",
    )
    return queries.kpi_value(
        engine=store, filters=filters, scope=Scope.all_provinces("t"), kpi="csi"
    )


def test_the_minimum_is_30_responses() -> None:
    assert stats.MIN_RESPONSES == 30


def test_29_responses_are_suppressed_keeping_their_n(store: Engine) -> None:
    result = csi_of(store, "FE")
    assert (result.n, result.suppressed) == (29.0, True)
    assert math.isnan(result.value)
    assert math.isnan(result.ci_low) and math.isnan(result.ci_high)


def test_30_responses_are_shown_with_their_interval(store: Engine) -> None:
    result = csi_of(store, "BO")
    assert (result.n, result.suppressed) == (30.0, False)
    assert result.value == pytest.approx(70.0, abs=1e-9)
    assert (result.ci_low, result.ci_high) == pytest.approx((66.360439, 73.639561), abs=1e-6)


def test_31_responses_are_shown_with_their_interval(store: Engine) -> None:
    result = csi_of(store, "RA")
    assert (result.n, result.suppressed) == (31.0, False)
    assert result.value == pytest.approx(70.0, abs=1e-9)
    assert (result.ci_low, result.ci_high) == pytest.approx((66.479801, 73.520199), abs=1e-6)


def test_a_series_by_province_suppresses_only_the_cell_of_29(store: Engine) -> None:
    filters = Filters(period="custom", start=date(2025, 3, 1), end=date(2025, 3, 31))
    frame = queries.kpi_series(
        engine=store, filters=filters, scope=Scope.all_provinces("t"), kpi="csi",
        by=("province",),
    )  # fmt: skip
    assert list(zip(frame["province"], frame["n"], frame["suppressed"], strict=True)) == [
        ("BO", 30.0, False),
        ("FE", 29.0, True),
        ("RA", 31.0, False),
    ]
    assert np.isnan(frame["value"].tolist()).tolist() == [False, True, False]
