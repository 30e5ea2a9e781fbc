"""The language in a real Chromium: the sidebar switch, the URL and page switches."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_app import Server, nav_labels, nav_link, open_view, screenshot, wait_for_run
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

RAVENNA_2024_EN = (
    "From 2024-01-01 to 2024-12-31; by month; provinces: Ravenna; compared with the same period "
    "last year (from 2023-01-01 to 2023-12-31)."
)
MENU_EN = [
    "Overview",
    "Trends",
    "Channels",
    "Contact centre",
    "Satisfaction",
    "Associations",
    "Export",
]


def query(page: Page) -> dict[str, list[str]]:
    """The current URL's query string as parsed lists."""
    return parse_qs(urlsplit(page.url).query)


def title(page: Page):  # a Playwright Locator
    """The page's h1."""
    return page.locator('[data-testid="stMain"] h1').first


def sentence(page: Page) -> str:
    """The line under the title that says in words what is shown."""
    caption = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first
    return caption.inner_text()


def choose_language(page: Page, name: str) -> None:
    """Click a language in the sidebar's switch."""
    buttons = page.locator('[data-testid="stSidebarUserContent"] button')
    buttons.filter(has_text=re.compile(rf"^{name}$")).click()


def test_the_switch_changes_the_language_and_the_url_and_a_page_switch_keeps_it(
    page: Page, server: Server
) -> None:
    open_view(page, server, "/overview?province=RA&period=2024")
    expect(title(page)).to_have_text("Panoramica")
    choose_language(page, "English")
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    expect(title(page)).to_have_text("Overview")
    wait_for_run(page)
    assert query(page) == {"period": ["2024"], "province": ["RA"], "lang": ["en"]}
    assert sentence(page) == RAVENNA_2024_EN
    assert nav_labels(page) == MENU_EN
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("Filters")
    screenshot(page, "overview-english")

    nav_link(page, "Trends").click()
    expect(page).to_have_url(re.compile(r"/trends\?"))
    expect(title(page)).to_have_text("Trends")
    wait_for_run(page)
    assert query(page)["lang"] == ["en"]
    assert query(page)["province"] == ["RA"]
    expect(page.locator('[data-testid="stMain"] h3').first).to_have_text(
        "Service level (LS): trend"
    )
    screenshot(page, "trends-english")


def test_switching_back_to_italian_drops_lang_from_the_url(page: Page, server: Server) -> None:
    open_view(page, server, "/overview?province=RA&lang=en")
    expect(title(page)).to_have_text("Overview")
    choose_language(page, "Italiano")
    expect(title(page)).to_have_text("Panoramica")
    wait_for_run(page)
    assert query(page) == {"province": ["RA"]}


def test_a_link_with_lang_en_opens_in_english(page: Page, server: Server) -> None:
    open_view(page, server, "/trends?province=RA&lang=en")
    expect(title(page)).to_have_text("Trends")
    assert nav_labels(page) == MENU_EN
