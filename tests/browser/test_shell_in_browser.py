"""The dashboard in a real Chromium: pages, filters in the URL, shared links, page switches."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_app import VIEWPORT, Server, nav_labels, nav_link, open_view, screenshot, wait_for_run
from playwright.sync_api import Browser, Locator, Page, expect

pytestmark = pytest.mark.browser

RAVENNA_2024 = (
    "Dal 01/01/2024 al 31/12/2024; per mese; province: Ravenna; confronto con stesso periodo "
    "dell'anno prima (dal 01/01/2023 al 31/12/2023)."
)
HEADLINE = [
    "Indice di soddisfazione (CSI)",
    "Net Promoter Score (NPS)",
    "Contatti",
    "Livello di servizio (LS)",
    "Tempo medio di attesa (TMA)",
    "Tasso di abbandono",
    "Adozione dell'area clienti online",
    "Uso degli sportelli",
    "Quota di contatti digitali",
    "Tempo di risposta ai reclami",
    "Reclami con risposta entro 30 giorni",
    "Tempo di risposta alle associazioni",
]
PAGES = [
    ("overview", "Panoramica"),
    ("trends", "Andamenti"),
    ("channels", "Canali"),
    ("contact-centre", "Call center"),
    ("satisfaction", "Soddisfazione"),
    ("associations", "Associazioni"),
    ("export", "Esporta"),
]


def query(page: Page) -> dict[str, list[str]]:
    """The current URL's query string as parsed lists."""
    return parse_qs(urlsplit(page.url).query)


def sentence_line(page: Page) -> Locator:
    """The line under the title that says in words what is shown."""
    return page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first


def sentence(page: Page) -> str:
    """The text of the sentence line."""
    return sentence_line(page).inner_text()


def tiles(page: Page) -> dict[str, str]:
    """The overview's KPI tiles as {label: value}, once all are drawn."""
    expect(page.locator('[data-testid="stMetricValue"]')).to_have_count(len(HEADLINE))
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values, strict=True)}


def pick_province(page: Page, name: str) -> None:
    """Add a province in the sidebar's 'Province' multiselect by typing its name."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text="Province"
    )
    box.locator("input").click()
    box.locator("input").fill(name)
    page.get_by_role("option", name=re.compile(f"^{name} ")).click()
    page.keyboard.press("Escape")


def test_the_overview_shows_every_kpi_tile(page: Page, server: Server) -> None:
    open_view(page, server, "/overview")
    assert list(tiles(page)) == HEADLINE
    screenshot(page, "overview")


def test_the_root_opens_the_overview_with_its_own_path(page: Page, server: Server) -> None:
    open_view(page, server, "/?province=RA&period=2024")
    expect(page).to_have_url(re.compile(r"/overview\?"))
    assert query(page) == {"period": ["2024"], "province": ["RA"]}


def test_filters_in_the_url_are_said_in_words_under_the_title(page: Page, server: Server) -> None:
    open_view(page, server, "/overview?province=RA&period=2024")
    assert sentence(page) == RAVENNA_2024
    screenshot(page, "overview-ravenna-2024")


def test_choosing_a_province_in_the_sidebar_puts_it_in_the_url(page: Page, server: Server) -> None:
    open_view(page, server, "/overview?period=2024")
    pick_province(page, "Ravenna")
    expect(page).to_have_url(re.compile(r"[?&]province=RA(&|$)"))
    wait_for_run(page)
    assert query(page) == {"period": ["2024"], "province": ["RA"]}
    assert sentence(page) == RAVENNA_2024


def test_choosing_a_grain_in_the_sidebar_puts_it_in_the_url(page: Page, server: Server) -> None:
    open_view(page, server, "/overview")
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Dettaglio"
    ).click()
    page.get_by_role("option", name="Trimestre").click()
    expect(page).to_have_url(re.compile(r"[?&]grain=quarter(&|$)"))


def test_a_copied_link_reopens_the_same_view(page: Page, server: Server, browser: Browser) -> None:
    open_view(page, server, "/overview?period=2024")
    pick_province(page, "Ravenna")
    expect(sentence_line(page)).to_have_text(RAVENNA_2024)
    wait_for_run(page)
    seen = (sentence(page), tiles(page))
    colleague = browser.new_context(viewport=VIEWPORT, locale="it-IT")
    try:
        other = colleague.new_page()
        other.goto(page.url)
        other.locator('[data-testid="stMain"] h1').first.wait_for()
        wait_for_run(other)
        assert (sentence(other), tiles(other)) == seen
    finally:
        colleague.close()


def test_reloading_the_page_keeps_the_view(page: Page, server: Server) -> None:
    open_view(page, server, "/overview?province=RA&period=2024&grain=quarter")
    before = (page.url, sentence(page), tiles(page))
    page.reload()
    page.locator('[data-testid="stMain"] h1').first.wait_for()
    wait_for_run(page)
    assert (page.url, sentence(page), tiles(page)) == before


def test_switching_pages_keeps_the_filters(page: Page, server: Server) -> None:
    open_view(page, server, "/overview?province=RA&period=2024")
    nav_link(page, "Andamenti").click()
    expect(page).to_have_url(re.compile(r"/trends\?"))
    wait_for_run(page)
    filters = {key: values for key, values in query(page).items() if key in ("period", "province")}
    assert filters == {"period": ["2024"], "province": ["RA"]}  # the page may add its own, e.g. kpi
    nav_link(page, "Panoramica").click()
    expect(page).to_have_url(re.compile(r"/overview\?"))
    wait_for_run(page)
    assert query(page) == {"period": ["2024"], "province": ["RA"]}
    assert sentence(page) == RAVENNA_2024


def test_the_menu_lists_every_page_by_its_title(page: Page, server: Server) -> None:
    open_view(page, server, "/overview")
    assert nav_labels(page) == [title for _, title in PAGES]


@pytest.mark.parametrize(("url_path", "title"), PAGES, ids=[path for path, _ in PAGES])
def test_every_page_opens_with_its_title_and_no_error(
    page: Page, server: Server, url_path: str, title: str
) -> None:
    open_view(page, server, f"/{url_path}?province=RA")
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(title)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, f"page-{url_path}")
