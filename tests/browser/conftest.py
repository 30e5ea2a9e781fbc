"""Real-browser harness: the app under `streamlit run` on a free port, driven by Debian's Chromium.

Servers run on a small demo store built once per session. `server` is shared by the tests that
do not care about the server's history; `fresh_server` starts one for a single test, for what
happens on the first request after a start. Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_app import (
    CHROMIUM,
    CHROMIUM_ARGS,
    RUN_TIMEOUT_MS,
    VIEWPORT,
    Server,
    artifact,
    screenshot,
    start_server,
)
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium, or skip (fail under CI=true) when it is not installed."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests"
        if IN_CI:
            pytest.fail(reason + " (CI=true requires it; .ci/run installs it)")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def playwright_driver(chromium_path: Path) -> Iterator[Playwright]:
    """Playwright's driver for the session."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright, chromium_path: Path) -> Iterator[Browser]:
    """One headless Chromium for the session."""
    chromium = playwright_driver.chromium.launch(
        executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def browser_store(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a small demo store (30,000 contacts, seed 7) built once for the session."""
    from data_access import migrate
    from data_access.db import get_engine
    from fixtures.demo import build_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'demo.db'}"
    engine = get_engine(url)
    migrate.prepare(engine)
    build_demo(engine=engine, contacts=30_000, seed=7)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def server(
    chromium_path: Path, browser_store: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A server shared by the tests that do not depend on what it served before (warmed up)."""
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    running = start_server(browser_store, log, warm=True)
    yield running
    running.stop()


@pytest.fixture
def start_fresh_server(
    chromium_path: Path, browser_store: str, tmp_path: Path
) -> Iterator[Callable[..., Server]]:
    """Start servers that no browser has talked to yet (stopped after the test)."""
    started: list[Server] = []

    def start(command: list[str] | None = None) -> Server:
        running = start_server(browser_store, tmp_path / f"streamlit-{len(started)}.log", command)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


@pytest.fixture
def fresh_server(start_fresh_server: Callable[..., Server]) -> Server:
    """A server of this test's own: its first request is this test's first request."""
    return start_fresh_server()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A new browser profile (no cookies, no session) in Italian."""
    profile = browser.new_context(viewport=VIEWPORT, locale="it-IT")
    yield profile
    profile.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Remember each phase's report on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A tab; when the test fails, its last state is saved to test-artifacts/FAILED-<test>.png."""
    failed_shot = f"FAILED-{request.node.name}"
    artifact(failed_shot).unlink(missing_ok=True)
    tab = context.new_page()
    tab.set_default_timeout(RUN_TIMEOUT_MS)
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        screenshot(tab, failed_shot)
