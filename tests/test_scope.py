"""Scope inside every query: no scope no rows, a URL can narrow a view but never widen it."""

from __future__ import annotations

import math
from datetime import date

import kpi_store
import pytest
from sqlalchemy.engine import Engine

from data_access import queries
from data_access.filters import Filters
from data_access.scope import Scope

JAN_FEB = Filters(period="custom", start=date(2025, 1, 1), end=date(2025, 2, 28), compare="none")
RAVENNA_MANAGER = Scope.of("responsabile.ravenna", ["RA"])


@pytest.fixture
def store(engine: Engine) -> Engine:
    return kpi_store.build(engine)


def contacts(store: Engine, scope: Scope, provinces: tuple[str, ...] = ()) -> float:
    filters = JAN_FEB.narrowed(provinces=provinces)
    return queries.kpi_value(engine=store, filters=filters, scope=scope, kpi="contacts").value


def test_an_anonymous_scope_gets_no_value(store: Engine) -> None:
    result = queries.kpi_value(engine=store, filters=JAN_FEB, scope=Scope(), kpi="contacts")
    assert math.isnan(result.value)
    assert result.n == 0.0


@pytest.mark.parametrize("kpi", ["contacts", "csi", "online_adoption", "association_reply_days"])
def test_an_anonymous_scope_gets_no_rows(store: Engine, kpi: str) -> None:
    frame = queries.kpi_series(engine=store, filters=JAN_FEB, scope=Scope(), kpi=kpi)
    assert frame.empty


def test_a_manager_sees_only_their_provinces(store: Engine) -> None:
    # RA: c7 c8 c9 c10 c11 + 10 offered in the report
    assert contacts(store, RAVENNA_MANAGER) == 15.0


def test_a_manager_asking_for_another_province_gets_nothing(store: Engine) -> None:
    assert math.isnan(contacts(store, RAVENNA_MANAGER, ("BO",)))


def test_a_url_cannot_widen_a_managers_view(store: Engine) -> None:
    assert contacts(store, RAVENNA_MANAGER, ("BO", "RA")) == 15.0


def test_a_url_can_narrow_an_executives_view(store: Engine) -> None:
    everyone = Scope.all_provinces("direzione")
    assert contacts(store, everyone) == 21.0
    assert contacts(store, everyone, ("RA",)) == 15.0


def test_a_url_can_narrow_a_managers_view(store: Engine) -> None:
    romagna = Scope.of("responsabile.romagna", ["BO", "RA"])
    assert contacts(store, romagna, ("BO",)) == 6.0


def test_an_unknown_province_matches_nothing(store: Engine) -> None:
    assert math.isnan(contacts(store, Scope.all_provinces("direzione"), ("XX",)))


def test_province_series_of_a_manager_hold_only_their_rows(store: Engine) -> None:
    frame = queries.kpi_series(
        engine=store,
        filters=JAN_FEB,
        scope=RAVENNA_MANAGER,
        kpi="service_level",
        by=("bucket", "province"),
    )
    assert frame["province"].tolist() == ["RA", "RA"]


def test_the_customer_base_is_scoped_too(store: Engine) -> None:
    # RA: 15 contacts ÷ mean(800, 750) × 1,000 = 19.3548...
    result = queries.kpi_value(
        engine=store, filters=JAN_FEB, scope=RAVENNA_MANAGER, kpi="contacts_per_1000"
    )
    assert result.n == 775.0
    assert result.value == pytest.approx(19.354839, abs=1e-6)


def test_channel_adoption_is_scoped_too(store: Engine) -> None:
    # RA February: 130 registered ÷ 750 customers = 17.33%
    result = queries.kpi_value(
        engine=store, filters=JAN_FEB, scope=RAVENNA_MANAGER, kpi="online_adoption"
    )
    assert result.value == pytest.approx(17.333333, abs=1e-6)


def test_surveys_are_scoped_too(store: Engine) -> None:
    # only cell B (5 RA responses) is visible: suppressed
    result = queries.kpi_value(engine=store, filters=JAN_FEB, scope=RAVENNA_MANAGER, kpi="csi")
    assert (result.n, result.suppressed) == (5.0, True)


def test_association_cases_are_scoped_too(store: Engine) -> None:
    # RA's only case (a3) has no answer yet
    result = queries.kpi_value(
        engine=store, filters=JAN_FEB, scope=RAVENNA_MANAGER, kpi="association_reply_days"
    )
    assert math.isnan(result.value)
    assert result.n == 0.0
