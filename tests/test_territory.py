"""The territory a person may filter on: areas with any data, inside their scope."""

from __future__ import annotations

from datetime import date

import kpi_store
import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from data_access.models import SURVEY_MEASURES, CustomerBase, SurveyMonthly, table_of
from data_access.scope import Scope
from data_access.territory import COLUMNS, data_years, visible_territory

EVERYONE = Scope.all_provinces("direzione")


@pytest.fixture
def store(engine: Engine) -> Engine:
    """The KPI store (contacts and surveys in BO and RA, association cases of Imola), plus
    surveys only in Ferrara and customers only in Forlì-Cesena."""
    kpi_store.build(engine)
    survey = {"month": date(2024, 6, 1), "province_code": "038", "area_code": "FE"}
    survey |= {"channel_code": "phone", "segment_code": "household"}
    survey |= dict.fromkeys(SURVEY_MEASURES, 0)
    customers = {"month": date(2024, 6, 1), "area_code": "FC", "segment_code": "household"}
    with engine.begin() as connection:
        connection.execute(insert(table_of(SurveyMonthly)), [survey])
        connection.execute(insert(table_of(CustomerBase)), [customers | {"customers": 10}])
    return engine


def rows(engine: Engine, scope: Scope) -> list[tuple[str, ...]]:
    frame = visible_territory(engine, scope)
    assert list(frame.columns) == COLUMNS
    return [tuple(row) for row in frame.itertuples(index=False)]


def test_areas_with_contacts_surveys_or_customers_are_listed_by_region_province_and_name(
    store: Engine,
) -> None:
    assert rows(store, EVERYONE) == [
        ("Emilia-Romagna", "BO", "Bologna", "BO", "Bologna"),
        ("Emilia-Romagna", "FE", "Ferrara", "FE", "Ferrara"),
        ("Emilia-Romagna", "FC", "Forlì-Cesena", "FC", "Forlì-Cesena"),
        ("Emilia-Romagna", "RA", "Ravenna", "RA", "Ravenna"),
    ]


def test_a_scope_lists_only_its_provinces(store: Engine) -> None:
    assert [row[1] for row in rows(store, Scope.of("romagna", ["RA", "FC", "RN"]))] == ["FC", "RA"]


def test_an_empty_scope_lists_nothing(store: Engine) -> None:
    assert rows(store, Scope.of("nobody", [])) == []


def test_an_empty_store_lists_nothing(engine: Engine) -> None:
    assert rows(engine, EVERYONE) == []


def test_data_years_span_the_first_to_the_last_month_with_contacts_or_surveys(
    store: Engine,
) -> None:
    assert data_years(store) == [2024, 2025]
