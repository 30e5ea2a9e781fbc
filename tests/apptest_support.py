"""Shared helpers for page tests through Streamlit's AppTest: the stores and opening a page.

Use the fixtures with `pytest_plugins = ["apptest_support"]` in a test module (or conftest);
the `open_page` fixture gives a function: `open_page("trends", province=["RA"])` runs
dashboard.py as a browser opening /trends?province=RA would, and returns the AppTest.

How a page is opened: AppTest.switch_page() only resolves page *files*, and our pages are
callables (st.Page(module.render, url_path=...)). st.navigation identifies a page by
calc_hash(url_path) (StreamlitPage._script_hash), and AppTest passes its `_page_hash` as the
run's requested page, as the browser's URL path does; so the page hash is set before the first
run, and later `.run()` calls stay on the page, as a reload would.

Legacy multipage mode: AppTest resets PagesManager.uses_pages_directory before every run, and
with a pages/ folder beside dashboard.py Streamlit then runs the page *file* matching the hash
on its own (pages/trends.py, which only defines render()), not dashboard.py. A served app leaves
that mode once st.navigation has run; the fixture keeps AppTest out of it the same way, so the
tests see what a browser sees after the app's first run (DESIGN.md "Layout").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import kpi_store
import pandas as pd
import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from streamlit import dataframe_util
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module
from streamlit.testing.v1.element_tree import Dataframe
from streamlit.util import calc_hash

from data_access import migrate
from data_access.db import get_engine
from ui.auth import DEMO_ICON

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 30.0  # seconds per run: a cold cache on the demo store takes a few


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small demo store (30,000 contacts, seed 7) shared by the page tests, built once."""
    from fixtures.demo import build_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'demo.db'}"
    engine = get_engine(url)
    migrate.prepare(engine)
    build_demo(engine=engine, contacts=30_000, seed=7)
    return url


@pytest.fixture
def use_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Engine]]:
    """Point the app at a store (DATABASE_URL) with a cold cache; returns its engine."""

    def use(url: str) -> Engine:
        monkeypatch.setenv("DATABASE_URL", url)
        st.cache_data.clear()
        return get_engine(url)

    yield use
    st.cache_data.clear()


@pytest.fixture
def small_store(tmp_path: Path, use_store) -> str:
    """The hand-built store of tests/kpi_store.py in a file the app opens, cold cache."""
    url = f"sqlite:///{tmp_path / 'kpi.db'}"
    engine = use_store(url)
    migrate.prepare(engine)
    kpi_store.build(engine)
    return url


class _NavigationPagesManager(PagesManager):
    """A PagesManager that starts where a served app is after st.navigation ran once."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        PagesManager.uses_pages_directory = False  # read from the base class by the runner
        super().__init__(*args, **kwargs)


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AppTest]]:
    """A function running dashboard.py on /url_path?query (the root for ''), AppTest returned."""
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPagesManager)

    def open_(url_path: str = "", **query: str | list[str]) -> AppTest:
        app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
        if url_path:
            app._page_hash = calc_hash(url_path)
        for key, value in query.items():
            app.query_params[key] = value
        return app.run()

    yield open_
    PagesManager.uses_pages_directory = None


def page_infos(app: AppTest) -> list[str]:
    """The st.info messages of the page, without the demo-mode banner on top of every page."""
    return [info.value for info in app.info if info.icon != DEMO_ICON]


def shown(table: Dataframe) -> pd.DataFrame:
    """An st.dataframe's cells as the reader sees them (a Styler's display text, else values)."""
    display = table.proto.arrow_data.styler.display_values
    if not display:
        return table.value.astype(str)
    return dataframe_util.convert_arrow_bytes_to_pandas_df(display)


def click_chart(app: AppTest, key: str, points: list[Mapping[str, Any]]) -> AppTest:
    """Select points of the st.plotly_chart with this key, as a click in the browser does, and
    rerun: the chart's on_select callback runs before the script, as it does when served.

    AppTest has no plotly element to click, and a value put in session_state does not call a
    callback; so the selection goes in as the widget state the frontend would send.
    """
    found = [chart for chart in app.get("plotly_chart") if chart.proto.id.endswith(f"-{key}")]
    assert found, f"no st.plotly_chart with key {key!r} on the page"
    states = app._tree.get_widget_states()  # the other widgets keep their values
    state = states.widgets.add()
    state.id = found[0].proto.id
    empty = {"point_indices": [], "box": [], "lasso": []}
    state.string_value = json.dumps({"selection": {"points": list(points), **empty}})
    return app._run(states)
