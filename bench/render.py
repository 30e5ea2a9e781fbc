"""Server-side render time of a page: AppTest in a warm process, Streamlit's cache cleared."""

from __future__ import annotations

import logging
import os
import statistics
import time
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.logger
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module
from streamlit.util import calc_hash

from data_access.db import PROJECT_ROOT

DASHBOARD = PROJECT_ROOT / "dashboard.py"


class _NavigationPagesManager(PagesManager):
    """Start where a served app is once st.navigation has run (not Streamlit's legacy pages/)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


def render_once(url_path: str) -> float:
    """Seconds for one full run of dashboard.py on /url_path with a cold data cache."""
    # AppTest puts Streamlit's loggers back to INFO; clearing the cache outside a runtime warns
    streamlit.logger.set_log_level(logging.ERROR)
    st.cache_data.clear()
    app = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    app._page_hash = calc_hash(url_path)  # how a browser's URL path picks the page
    start = time.perf_counter()
    app.run()
    seconds = time.perf_counter() - start
    if app.exception:
        raise RuntimeError(f"{url_path}: {app.exception[0].message}")
    return seconds


def render_times(store: Path, url_paths: list[str], repeats: int = 5) -> dict[str, float]:
    """Median render seconds per page, after one warm-up run each (imports, Babel, plotly)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{store}"
    # AppTest builds its pages manager from this module attribute: swap the class it finds
    app_test_module.PagesManager = _NavigationPagesManager  # type: ignore[misc]
    results = {}
    for url_path in url_paths:
        render_once(url_path)
        results[url_path] = statistics.median(render_once(url_path) for _ in range(repeats))
    return results
