"""Which view dimensions each KPI family depends on: a filter on one it ignores makes the KPI
not applicable to the view (no value, and why), never an unfiltered number.

Worked out by hand from tests/kpi_store.py (January and February 2025).
"""

from __future__ import annotations

import math
from datetime import date

import kpi_store
import pytest
from sqlalchemy.engine import Engine

from data_access import queries
from data_access.filters import Filters
from data_access.kpis import KPIS, not_applicable_text
from data_access.scope import Scope

EVERYONE = Scope.all_provinces("direzione")
JAN_FEB = Filters(period="custom", start=date(2025, 1, 1), end=date(2025, 2, 28), compare="none")
SELECTED = {
    "provinces": ("RA",),
    "areas": ("IMOLA",),
    "channels": ("app",),
    "segments": ("business",),
    "topics": ("payments",),
}
NA = None  # not applicable to the view
# n of each family's KPI with one dimension filtered (contacts: the count; CSI: responses;
# online adoption: customers of the last month with adopters; association reply days: answered)
MATRIX = {
    "contacts": {"provinces": 15, "areas": 0, "channels": 1, "segments": 1, "topics": 3},
    "csi": {"provinces": 5, "areas": 0, "channels": 0, "segments": 0, "topics": NA},
    "online_adoption": {
        "provinces": 750,
        "areas": 0,
        "channels": NA,
        "segments": 0,
        "topics": NA,
    },  # fmt: skip
    "association_reply_days": {
        "provinces": 0,
        "areas": 1,
        "channels": NA,
        "segments": NA,
        "topics": 0,
    },  # fmt: skip
}
CELLS = [(kpi, dimension, n) for kpi, row in MATRIX.items() for dimension, n in row.items()]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from data_access import migrate
    from data_access.db import get_engine

    engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('applicability') / 'a.db'}")
    migrate.prepare(engine)
    return kpi_store.build(engine)


@pytest.mark.parametrize(("kpi", "dimension", "n"), CELLS)
def test_each_family_honours_or_declines_each_dimension(
    store: Engine, kpi: str, dimension: str, n: int | None
) -> None:
    filters = JAN_FEB.narrowed(**{dimension: SELECTED[dimension]})
    value = queries.kpi_value(engine=store, filters=filters, scope=EVERYONE, kpi=kpi)
    if n is NA:
        assert value.not_applicable == (dimension,)
        assert math.isnan(value.value) and value.n == 0
    else:
        assert value.not_applicable == ()
        assert value.n == n


@pytest.mark.parametrize(("kpi", "dimension"), [(k, d) for k, d, n in CELLS if n is NA])
def test_a_series_not_applicable_to_the_view_is_empty(store: Engine, kpi: str, dimension: str):
    filters = JAN_FEB.narrowed(**{dimension: SELECTED[dimension]})
    frame = queries.kpi_series(engine=store, filters=filters, scope=EVERYONE, kpi=kpi)
    assert frame.empty


def test_the_kpi_registry_declares_its_dimensions_per_family() -> None:
    assert KPIS["association_within_target"].dimensions == {"provinces", "areas", "topics"}
    assert KPIS["nps"].dimensions == {"provinces", "areas", "channels", "segments"}
    assert KPIS["branch_usage"].dimensions == {"provinces", "areas", "segments"}
    assert KPIS["complaint_reply_30d"].dimensions == {
        "provinces", "areas", "channels", "segments", "topics"
    }  # fmt: skip


def test_a_board_leaves_the_other_kpis_of_the_view_untouched(store: Engine) -> None:
    filters = JAN_FEB.narrowed(channels=("app",))
    found = queries.kpi_board(
        engine=store, filters=filters, scope=EVERYONE, kpis=("contacts", "association_reply_days")
    )
    assert found.values["contacts"].value == 1.0
    assert found.values["association_reply_days"].not_applicable == ("channels",)
    assert found.by_bucket["association_reply_days"].empty


def test_the_reason_names_the_filter_to_remove_in_each_language() -> None:
    assert not_applicable_text(("channels",), "it") == (
        "Non dipende dal canale: togli il filtro Canali per vederlo."
    )
    assert not_applicable_text(("channels", "segments"), "en") == (
        "It does not depend on the channel: clear the Channels filter to see it. "
        "It does not depend on the segment: clear the Segments filter to see it."
    )
