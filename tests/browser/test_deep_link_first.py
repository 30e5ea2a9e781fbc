"""A shared link opened first on a freshly started server goes through dashboard.py.

With a pages/ folder beside the entry script, Streamlit (1.67) starts in its legacy automatic
multipage mode: until some run calls st.navigation, a deep link runs pages/<name>.py on its own,
under a menu of file names, without sign-in, scope or filters. Only a server's first requests
see it, so each case here gets a server of its own.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_app import NAV_LINK, Server, screenshot, wait_for_run
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MENU = [
    "Panoramica",
    "Andamenti",
    "Canali",
    "Call center",
    "Soddisfazione",
    "Associazioni",
    "Esporta",
]
LINKS = [("/trends?province=RA", "Andamenti"), ("/overview?province=RA", "Panoramica")]


def open_first(page: Page, server: Server, path: str) -> None:
    """Make the server's first request from a browser and wait for the run to finish."""
    page.goto(server.url + path)
    wait_for_run(page)


@pytest.mark.parametrize(("path", "title"), LINKS, ids=["trends", "overview"])
def test_the_menu_shows_page_titles_not_file_names(
    page: Page, fresh_server: Server, path: str, title: str
) -> None:
    open_first(page, fresh_server, path)
    screenshot(page, f"deep-link-first{urlsplit(path).path.replace('/', '-')}")
    labels = page.locator(f"{NAV_LINK} [data-testid='stMarkdownContainer']")
    expect(labels).to_have_text(MENU)


@pytest.mark.parametrize(("path", "title"), LINKS, ids=["trends", "overview"])
def test_the_linked_page_is_drawn_with_its_title(
    page: Page, fresh_server: Server, path: str, title: str
) -> None:
    open_first(page, fresh_server, path)
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(title)
    assert urlsplit(page.url).path == urlsplit(path).path


@pytest.mark.parametrize(("path", "title"), LINKS, ids=["trends", "overview"])
def test_the_linked_filters_reach_the_sidebar_and_the_url(
    page: Page, fresh_server: Server, path: str, title: str
) -> None:
    open_first(page, fresh_server, path)
    provinces = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text="Province"
    )
    expect(provinces).to_contain_text("Ravenna (RA)")
    assert parse_qs(urlsplit(page.url).query)["province"] == ["RA"]


def test_the_signed_in_profile_is_applied(page: Page, fresh_server: Server) -> None:
    open_first(page, fresh_server, "/trends?province=RA")
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(
        re.compile(r"Utente locale · amministratore · tutte le province")
    )
