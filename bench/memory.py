"""Resident memory of the running app: `streamlit run` on the Hera-scale store, pages opened in
Debian's Chromium (the browser tests' harness), then the server's peak resident set (VmHWM).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from data_access.db import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tests" / "browser"))  # the harness the browser tests use

from browser_app import CHROMIUM, CHROMIUM_ARGS, open_view, start_server

PATHS = ("/overview", "/trends", "/trends?grain=week", "/overview?province=RA&province=FC")


def peak_resident_mb(pid: int) -> float:
    """The process's peak resident set size in MB, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def app_memory(store: Path) -> tuple[float | None, str]:
    """(peak MB of the app process after opening PATHS, what was opened) or (None, why not)."""
    if not CHROMIUM.exists():
        return None, f"skipped: {CHROMIUM} is missing (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        server = start_server(f"sqlite:///{store}", Path(folder) / "streamlit.log")
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
                )
                page = browser.new_page()
                for path in PATHS:
                    open_view(page, server, path)
                browser.close()
            return peak_resident_mb(server.process.pid), ", ".join(PATHS)
        finally:
            server.stop()
