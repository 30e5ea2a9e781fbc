"""What a person waits in Chromium, on a warm server: opening a page from a link, a filter change,
a chart click and a page switch, each until every chart and table is drawn; the same for the
framework's floor (bench/reference_app.py) served and visited the same way in the same run.

"Drawn": connected, Streamlit's script not running, nothing stale or still a skeleton, every
plotly chart with its SVG, every st.dataframe with its canvas, every metric sparkline drawn, at
least as many of each as the same action drew when settled (a warm-up run of it), and all of
that unchanged for QUIET_MS. The time is when that state began. A rerun action also waits for
the script to have run (or the server to have answered) after the action. Times come from the
page's own clock (performance.now(), navigation start for an open).
"""

from __future__ import annotations

import importlib
import re
import statistics
import sys
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data_access.db import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tests" / "browser"))  # the harness the browser tests use

from browser_app import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    RUN_TIMEOUT_MS,
    VIEWPORT,
    Server,
    open_view,
    start_server,
)

# the dashboard's own menu (st.page_link) or st.navigation's (the reference app)
MENU_LINK = (
    '[data-testid="stSidebar"] '
    ':is([data-testid="stPageLink-NavLink"], [data-testid="stSidebarNavLink"])'
)
QUIET_MS = 300  # a drawn page must stay drawn this long (a URL write's second run starts sooner)
PROVINCE_LABEL = "Province"  # the sidebar multiselect a filter change adds to
PROVINCE = "Ravenna"
FLOOR_PATH = "/"  # st.navigation serves its default page at the root, not at its url_path
REFERENCE_APP = PROJECT_ROOT / "bench" / "reference_app.py"
STREAMLIT = PROJECT_ROOT / ".venv" / "bin" / "streamlit"

# Records the page-clock time of every start of a script run (the app's state attribute; a run
# that started and ended between two observer callbacks counts when seen ending) and of every
# message from the server (a rerun too quick for its state to reach the DOM still sends some).
WATCH_RUNS = """
window.__runs = [];
window.__frames = [];
let seen = false;
new MutationObserver((changes) => {
  for (const change of changes) {
    if (change.type === "attributes" && change.oldValue === "running") {
      if (!seen) window.__runs.push(performance.now());
      seen = false;
    }
  }
  const app = document.querySelector('[data-testid="stApp"]');
  if (app !== null && app.dataset.testScriptState === "running" && !seen) {
    window.__runs.push(performance.now());
    seen = true;
  }
}).observe(document, {attributes: true, attributeOldValue: true, childList: true,
                      subtree: true, attributeFilter: ["data-test-script-state"]});
const Socket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new Socket(...args);
  socket.addEventListener("message", () => window.__frames.push(performance.now()));
  return socket;
};
window.WebSocket.prototype = Socket.prototype;
Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
"""

COUNT = """() => {
  const count = (selector, drawn) => {
    const all = [...document.querySelectorAll('[data-testid="stMain"] ' + selector)];
    return [all.length, all.filter((e) => e.querySelector(drawn) !== null).length];
  };
  return {
    plotly: count('[data-testid="stPlotlyChart"]', '.main-svg'),
    dataframes: count('[data-testid="stDataFrame"]', 'canvas'),
    sparklines: count('[data-testid="stMetricChart"]', 'canvas, svg'),
  };
}"""

SETTLED = (
    """([since, needRuns, expected, quiet]) => new Promise((resolve) => {
  const count = """
    + COUNT
    + """;
  const TIMEOUT = """
    + str(RUN_TIMEOUT_MS)
    + """;
  let first = null;
  const deadline = performance.now() + TIMEOUT;
  const check = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const runs = (window.__runs || []).filter((t) => t >= since);
    const heard = (window.__frames || []).some((t) => t >= since);
    const counts = count();
    const drawn = app !== null
      && app.dataset.testConnectionState === "CONNECTED"
      && app.dataset.testScriptState === "notRunning"
      && (runs.length >= needRuns || (needRuns === 1 && heard))
      && document.querySelector('[data-stale="true"], [data-testid^="stSkeleton"], '
                                + '[data-testid="stAppSkeleton"]') === null
      && Object.entries(counts).every(([kind, [all, done]]) =>
           all === done && done >= (expected[kind] || 0));
    const now = performance.now();
    if (!drawn) first = null;
    else if (first === null) first = now;
    if (first !== null && now - first >= quiet) {
      resolve({at: first, runs: runs.length, firstRun: runs.length ? runs[0] : null,
               counts: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v[1]]))});
    } else if (now > deadline) resolve({timeout: true, counts, runs: runs.length});
    else requestAnimationFrame(check);
  };
  check();
})"""
)

# What a page holds once drawn: plotly traces and GeoJSON, table rows.
PROFILE = """() => {
  const plots = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')];
  const geo = plots.flatMap((p) => (p.data || []).filter((t) => t.geojson));
  return {
    traces: plots.reduce((n, p) => n + (p.data || []).length, 0),
    points: plots.reduce((n, p) => n + (p.data || []).reduce(
      (m, t) => m + ((t.x || t.locations || t.y || []).length || 0), 0), 0),
    geojson_kb: geo.reduce((n, t) => n + JSON.stringify(t.geojson).length, 0) / 1024,
  };
}"""


@dataclass
class Sample:
    """One timed action: seconds waited, script runs it took, bytes the server sent."""

    seconds: float
    runs: int
    received: int
    first_run: float | None = None  # seconds from the action to the script's first start


@dataclass
class Measured:
    """Several samples of one action on one page, and what the page held once drawn."""

    samples: list[Sample] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    profile: dict[str, float] = field(default_factory=dict)
    skipped: str = ""

    @property
    def median(self) -> float:
        """Median seconds."""
        return statistics.median(s.seconds for s in self.samples)

    @property
    def runs(self) -> float:
        """Median script runs per action."""
        return statistics.median(s.runs for s in self.samples)

    @property
    def received_kb(self) -> float:
        """Median kilobytes received over the websocket per action."""
        return statistics.median(s.received for s in self.samples) / 1024

    @property
    def first_run(self) -> float | None:
        """Median seconds from the action to the script's start."""
        starts = [s.first_run for s in self.samples if s.first_run is not None]
        return statistics.median(starts) if starts else None


class Visitor:
    """A Chromium page on a server, with the websocket's received bytes counted."""

    def __init__(self, context: Any, server: Server) -> None:
        self.context, self.server = context, server
        self.page: Any = None  # a Playwright Page once fresh() has opened one
        self.received = 0

    def fresh(self) -> Any:
        """A new tab (the browser's cache stays warm), counting websocket bytes."""
        if self.page is not None:
            self.page.close()
        self.page = self.context.new_page()
        self.page.on("websocket", self._count)
        return self.page

    def _count(self, socket: Any) -> None:
        def add(payload: str | bytes) -> None:
            self.received += len(payload)

        socket.on("framereceived", add)

    def settle(self, since: float, expected: dict[str, int], runs: int = 1) -> dict[str, Any]:
        """Wait until drawn (module docstring); the page-clock time it began, runs, counts."""
        settled = self.page.evaluate(SETTLED, [since, runs, expected, QUIET_MS])
        if settled.get("timeout"):
            raise RuntimeError(f"{self.page.url}: not drawn in {RUN_TIMEOUT_MS} ms: {settled}")
        return settled

    def now(self) -> float:
        """The page's clock, ms."""
        return self.page.evaluate("performance.now()")


Action = Callable[[Visitor, dict[str, int]], Sample]


def open_link(path: str) -> Action:
    """Open path in a new tab from its link, until drawn."""

    def act(visitor: Visitor, expected: dict[str, int]) -> Sample:
        page = visitor.fresh()
        before = visitor.received
        page.goto(visitor.server.url + path, wait_until="commit")
        settled = visitor.settle(0.0, expected)
        first = settled["firstRun"]
        return Sample(
            settled["at"] / 1000,
            settled["runs"],
            visitor.received - before,
            None if first is None else first / 1000,
        )

    return act


def rerun(path: str, prepare: Callable[[Any], Any], trigger: Callable[[Any, Any], None]) -> Action:
    """Open path (not timed), prepare (not timed), then time trigger until redrawn."""

    def act(visitor: Visitor, expected: dict[str, int]) -> Sample:
        page = visitor.fresh()
        open_view(page, visitor.server, path)
        visitor.settle(0.0, {})
        handle = prepare(page)
        before, start = visitor.received, visitor.now()
        trigger(page, handle)
        settled = visitor.settle(start, expected)
        first = settled["firstRun"]
        return Sample(
            (settled["at"] - start) / 1000,
            settled["runs"],
            visitor.received - before,
            None if first is None else (first - start) / 1000,
        )

    return act


def add_province(path: str) -> Action:
    """Add PROVINCE in the sidebar's province multiselect."""

    def prepare(page: Any) -> Any:
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
            has=page.locator("label", has_text=PROVINCE_LABEL)
        )
        box.click()
        option = page.get_by_role("option", name=re.compile(rf"^{PROVINCE}\b"))  # "Ravenna (RA)"
        option.wait_for(timeout=RUN_TIMEOUT_MS)
        return option

    return rerun(path, prepare, lambda _page, option: option.click())


def click_chart(path: str) -> Action:
    """Click the first point (or province) of the first clickable plotly chart."""

    def prepare(page: Any) -> Any:
        point = page.locator(
            '[data-testid="stMain"] [data-testid="stPlotlyChart"] '
            ":is(.scatterlayer .points path, path.choroplethlocation)"
        ).first
        point.scroll_into_view_if_needed()
        box = point.bounding_box()
        if box is None:
            raise RuntimeError(f"{path}: no clickable chart point")
        return (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    return rerun(path, prepare, lambda page, xy: page.mouse.click(*xy))


def switch_page(source: str, title: str) -> Action:
    """From source, click the sidebar menu's link to the page titled title."""

    def prepare(page: Any) -> Any:
        link = page.locator(MENU_LINK).filter(has_text=re.compile(rf"{re.escape(title)}$"))
        link.wait_for(timeout=RUN_TIMEOUT_MS)
        return link

    return rerun(source, prepare, lambda _page, link: link.click())


def measure(visitor: Visitor, action: Action, visits: int) -> Measured:
    """One warm-up (sets what "drawn" must hold), then the median of visits."""
    warm = action(visitor, {})
    expected = visitor.page.evaluate(COUNT)
    result = Measured(counts={kind: done for kind, (_, done) in expected.items()})
    result.profile = visitor.page.evaluate(PROFILE)
    del warm
    for _ in range(visits):
        result.samples.append(action(visitor, result.counts))
    return result


def placeholder(url_path: str) -> bool:
    """True when the page is still an 'in preparation' page (it draws ui.placeholder's)."""
    from ui import placeholder as soon
    from ui.page_list import entry

    module = importlib.import_module(f"pages.{entry(url_path).module}")
    return any(value is soon.coming_soon for value in vars(module).values())


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium context (the browser tests' flags and viewport)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(WATCH_RUNS)
        try:
            yield context
        finally:
            browser.close()


@contextmanager
def served(store: Path | None, folder: Path, name: str) -> Iterator[Server]:
    """The dashboard on store (or, with None, the reference app), warmed by one script run."""
    command = None if store else [str(STREAMLIT), "run", str(REFERENCE_APP)]
    url = f"sqlite:///{store}" if store else "sqlite://"
    server = start_server(url, folder / f"{name}.log", command, warm=True)
    try:
        yield server
    finally:
        server.stop()


@dataclass
class PageTimes:
    """A page's (a) open, (b) filter change and chart click, (c) page switch."""

    open: Measured
    filter: Measured | None = None
    click: Measured | None = None
    switch: Measured | None = None


def reference_times(visits: int) -> dict[str, PageTimes]:
    """The floor (open, its rerun on a filter change and a click, a switch to it from the one
    line page) and the one-line page (open)."""
    from bench.reference_app import FLOOR_TITLE

    with (
        tempfile.TemporaryDirectory() as folder,
        served(None, Path(folder), "floor") as server,
        chromium() as context,
    ):
        visitor = Visitor(context, server)
        floor = PageTimes(
            open=measure(visitor, open_link(FLOOR_PATH), visits),
            filter=measure(visitor, add_province(FLOOR_PATH), visits),
            click=measure(visitor, click_chart(FLOOR_PATH), visits),
            switch=measure(visitor, switch_page("/line", FLOOR_TITLE), visits),
        )
        line = PageTimes(open=measure(visitor, open_link("/line"), visits))
    return {"floor": floor, "one line": line}


def page_times(
    store: Path, url_paths: list[str], visits: int, only: Collection[str] | None = None
) -> dict[str, PageTimes]:
    """Each page's (a), (b) and (c) on one warm `streamlit run` of the dashboard on store;
    only: the pages to measure (default all), each still switched to from the page before it
    in url_paths."""
    from ui.page_list import page_title

    results: dict[str, PageTimes] = {}
    with (
        tempfile.TemporaryDirectory() as folder,
        served(store, Path(folder), "app") as server,
        chromium() as context,
    ):
        visitor = Visitor(context, server)
        for index, url_path in enumerate(url_paths):
            if only is not None and url_path not in only:
                continue
            path = f"/{url_path}"
            source = url_paths[index - 1] if index else url_paths[1 % len(url_paths)]
            results[url_path] = PageTimes(
                open=measure(visitor, open_link(path), visits),
                filter=measure(visitor, add_province(path), visits),
                click=_if_clickable(visitor, path, visits),
                switch=measure(visitor, switch_page(f"/{source}", page_title(url_path)), visits),
            )
    return results


def _if_clickable(visitor: Visitor, path: str, visits: int) -> Measured:
    """click_chart's times, or a Measured saying the page has no clickable chart."""
    page = visitor.fresh()
    open_view(page, visitor.server, path)
    selector = ":is(.scatterlayer .points path, path.choroplethlocation)"
    if page.locator(f'[data-testid="stMain"] [data-testid="stPlotlyChart"] {selector}').count():
        return measure(visitor, click_chart(path), visits)
    return Measured(skipped="no clickable chart")
