"""Helpers for the browser tests: start and stop the app, wait for Streamlit, read the page."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 30.0  # seconds for /_stcore/health to answer
STOP_TIMEOUT = 10.0  # seconds for the process group to exit after SIGTERM
RUN_TIMEOUT_MS = 30_000  # one script run, first run of a process included
VIEWPORT = {"width": 1440, "height": 1000}


@dataclass
class Server:
    """A running `streamlit run dashboard.py`: its base URL, process and log file."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL after a bounded wait."""
        stop_process_group(self.process)


def stop_process_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started in its own group: SIGTERM, then SIGKILL after a bounded wait."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_TIMEOUT)


def wait_until_answered(process: subprocess.Popen[bytes], url: str, what: str, log: Path) -> None:
    """Wait until url answers 200; stop the process and raise, with its log, when it exits first
    or START_TIMEOUT passes."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    stop_process_group(process)
    raise RuntimeError(f"{what} did not answer in {START_TIMEOUT} s:\n{log.read_text()}")


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it for a socket bound to 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    store_url: str,
    log: Path,
    command: list[str] | None = None,
    *,
    warm: bool = False,
    port: int | None = None,
    secrets: Path | None = None,
    env: dict[str, str] | None = None,
) -> Server:
    """Start the app on port (default: a free one) against store_url and wait until it answers
    its health check.

    command replaces `streamlit run dashboard.py` (e.g. a launcher); server options are appended.
    warm runs dashboard.py once before any browser comes (Streamlit's script health check), so
    the server is past its first-request state and must say "ok" (the script ran without error).
    secrets is the secrets.toml to read (e.g. with [auth] for sign-in) instead of .streamlit's;
    env adds environment variables (e.g. ASCOLTO_ACCESS_FILE).
    """
    port = port or free_port()
    base = command or [str(ROOT / ".venv" / "bin" / "streamlit"), "run", "dashboard.py"]
    argv = [
        *base,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--server.scriptHealthCheckEnabled",
        "true" if warm else "false",
        *(["--secrets.files", str(secrets)] if secrets else []),
    ]
    environment = {**os.environ, "DATABASE_URL": store_url, **(env or {})}
    environment.pop("ASCOLTO_USER", None)  # the local account ("locale", an admin), every province
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log=log)
    wait_until_answered(process, server.url + "/_stcore/health", "streamlit", log)
    if warm:
        _run_script_once(server)
    return server


def _run_script_once(server: Server) -> None:
    """Run dashboard.py in a throwaway session; fail when it raises."""
    check = server.url + "/_stcore/script-health-check"
    try:
        with urllib.request.urlopen(check, timeout=START_TIMEOUT) as answer:
            body = answer.read().decode()
    except urllib.error.HTTPError as error:
        body = error.read().decode()
    if body != "ok":
        server.stop()
        raise RuntimeError(f"dashboard.py did not run cleanly ({body}):\n{server.log.read_text()}")


def wait_for_run(page: Page, timeout: float = RUN_TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script is not running and every element is drawn.

    Streamlit reports the run finished before the browser has loaded the code of some elements
    (they show a skeleton meanwhile) and keeps the previous run's elements as stale until replaced.
    """
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app !== null
                && app.dataset.testConnectionState === "CONNECTED"
                && app.dataset.testScriptState === "notRunning"
                && document.querySelector(
                    '[data-stale="true"], [data-testid^="stSkeleton"], '
                    + '[data-testid="stAppSkeleton"]'
                ) === null;
        }""",
        timeout=timeout,
    )


def open_view(page: Page, server: Server, path: str) -> None:
    """Open server's path (e.g. '/overview?province=RA') and wait for the page's title."""
    page.goto(server.url + path)
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)


def artifact(name: str) -> Path:
    """The path test-artifacts/<name>.png, the name made safe for a file name."""
    return ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = artifact(name)
    page.screenshot(path=str(path), full_page=True)
    return path


NAV_LINK = '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'  # the menu's links


def nav_link(page: Page, title: str):  # a Playwright Locator
    """The sidebar menu's link to the page with this title."""
    label = page.locator("[data-testid='stMarkdownContainer']", has_text=re.compile(rf"^{title}$"))
    return page.locator(NAV_LINK).filter(has=label)


def nav_labels(page: Page) -> list[str]:
    """The page names in the sidebar menu, icons left out."""
    links = page.locator(f"{NAV_LINK} [data-testid='stMarkdownContainer']")
    return [text.strip() for text in links.all_inner_texts()]
