"""The pages through Streamlit's AppTest: on the demo store, on an empty store, with URL filters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import migrate, queries
from data_access.db import get_engine
from data_access.filters import Filters
from data_access.scope import Scope
from ui import formatting

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small demo store shared by the page tests (built once per session)."""
    from fixtures.demo import build_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'demo.db'}"
    engine = get_engine(url)
    migrate.prepare(engine)
    build_demo(engine=engine, contacts=30_000, seed=7)
    return url


@pytest.fixture
def use_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[callable]:
    def use(url: str) -> Engine:
        monkeypatch.setenv("DATABASE_URL", url)
        st.cache_data.clear()
        return get_engine(url)

    yield use
    st.cache_data.clear()


def run_app(**query: str | list[str]) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def test_overview_shows_the_tiles_data_access_computes(demo_store: str, use_store) -> None:
    engine = use_store(demo_store)
    app = run_app()
    assert not app.exception
    tiles = {metric.label: metric.value for metric in app.metric}
    expected = queries.kpi_value(
        engine=engine, filters=Filters(), scope=Scope.all_provinces("t"), kpi="contacts"
    )
    assert tiles["Contatti"] == formatting.number(expected.value)
    assert len(tiles) == 6


def test_overview_says_in_words_what_it_shows(demo_store: str, use_store) -> None:
    use_store(demo_store)
    app = run_app()
    captions = [caption.value for caption in app.caption]
    assert captions[0].startswith("Dal 01/01/2025 al 31/12/2025; per mese; tutte le province")


def test_overview_on_an_empty_store_says_there_is_no_data(tmp_path: Path, use_store) -> None:
    engine = use_store(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate.prepare(engine)
    app = run_app()
    assert not app.exception
    assert "non contiene ancora dati" in app.info[0].value


def test_overview_reads_filters_from_the_url(demo_store: str, use_store) -> None:
    engine = use_store(demo_store)
    app = run_app(province=["RA"], period="2024")
    assert not app.exception
    filters = Filters(period="2024", provinces=("RA",))
    expected = queries.kpi_value(
        engine=engine, filters=filters, scope=Scope.all_provinces("t"), kpi="contacts"
    )
    tiles = {metric.label: metric.value for metric in app.metric}
    assert tiles["Contatti"] == formatting.number(expected.value)


def test_a_bad_url_parameter_is_reported_not_fatal(demo_store: str, use_store) -> None:
    use_store(demo_store)
    app = run_app(grain="fortnight")
    assert not app.exception
    assert "grain=fortnight" in app.warning[0].value
