"""The view in a real Chromium: periods outside the data, the language switch, the back button."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_app import Server, nav_link, open_view, screenshot, wait_for_run
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

PAST_THE_DATA = "/overview?period=custom&from=2026-01-01&to=2026-03-31"
PAST_THE_DATA_NOTE = (
    "Nessun dato dal 01/01/2026 al 31/03/2026: i dati vanno dal 01/01/2019 al 31/12/2025."
)
TRENDS_VIEW = "/trends?kpi=csi&period=2022&grain=quarter&compare=none&province=RA&province=FC"


def query(page: Page) -> dict[str, list[str]]:
    """The current URL's query string as parsed lists, values sorted."""
    return {key: sorted(values) for key, values in parse_qs(urlsplit(page.url).query).items()}


def exceptions(page: Page) -> Locator:
    """Streamlit's red exception boxes."""
    return page.locator('[data-testid="stException"]')


def select_box(page: Page, label: str, where: str = "stSidebar") -> Locator:
    """The selectbox with this label, in the sidebar or in the main area."""
    boxes = page.locator(f'[data-testid="{where}"] [data-testid="stSelectbox"]')
    return boxes.filter(has=page.locator("label", has_text=re.compile(f"^{label}$")))


def shown(page: Page, label: str, where: str = "stSidebar") -> Locator:
    """The field showing a selectbox's chosen option (its value is the option's label)."""
    return select_box(page, label, where).get_by_role("combobox")


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a sidebar selectbox."""
    select_box(page, label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_a_link_past_the_data_opens_with_a_message_in_italian(page: Page, server: Server) -> None:
    open_view(page, server, PAST_THE_DATA)
    expect(exceptions(page)).to_have_count(0)
    expect(page.locator('[data-testid="stMain"]')).to_contain_text(PAST_THE_DATA_NOTE)
    screenshot(page, "overview-past-the-data")


def test_a_link_past_the_data_recovers_when_the_period_changes(page: Page, server: Server) -> None:
    open_view(page, server, PAST_THE_DATA)
    choose(page, "Periodo", "Anno 2024")
    expect(page).to_have_url(re.compile(r"[?&]period=2024(&|$)"))
    wait_for_run(page)
    expect(exceptions(page)).to_have_count(0)
    assert query(page) == {"period": ["2024"]}
    expect(page.locator('[data-testid="stMain"]')).not_to_contain_text("Nessun dato dal")


def test_switching_language_keeps_the_view_and_relabels_every_control(
    page: Page, server: Server
) -> None:
    open_view(page, server, TRENDS_VIEW)
    page.locator('[data-testid="stSidebarUserContent"] button').filter(
        has_text=re.compile("^English$")
    ).click()
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("Trends")
    wait_for_run(page)
    expect(shown(page, "Period")).to_have_value("Year 2022")
    expect(shown(page, "Grain")).to_have_value("Quarter")
    expect(shown(page, "Comparison")).to_have_value("No comparison")
    expect(shown(page, "Indicator", "stMain")).to_have_value("Satisfaction index (CSI)")
    screenshot(page, "trends-switched-to-english")

    choose(page, "Grain", "Year")  # the next filter change keeps the rest of the view
    expect(page).to_have_url(re.compile(r"[?&]grain=year(&|$)"))
    wait_for_run(page)
    assert query(page) == {
        "kpi": ["csi"],
        "period": ["2022"],
        "grain": ["year"],
        "compare": ["none"],
        "province": ["FC", "RA"],
        "lang": ["en"],
    }
    expect(shown(page, "Period")).to_have_value("Year 2022")
    expect(shown(page, "Comparison")).to_have_value("No comparison")


def test_back_once_after_a_filter_change_brings_the_previous_view_back(
    page: Page, server: Server
) -> None:
    open_view(page, server, "/trends?period=2024&province=RA")
    choose(page, "Dettaglio", "Trimestre")
    expect(page).to_have_url(re.compile(r"[?&]grain=quarter(&|$)"))
    wait_for_run(page)
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"grain="))
    wait_for_run(page)
    assert urlsplit(page.url).path == "/trends"
    assert query(page) == {"period": ["2024"], "province": ["RA"]}
    expect(shown(page, "Dettaglio")).to_have_value("Mese")


def test_switching_from_trends_to_overview_leaves_the_kpi_behind(
    page: Page, server: Server
) -> None:
    open_view(page, server, "/trends?kpi=csi&province=RA")
    nav_link(page, "Panoramica").click()
    expect(page).to_have_url(re.compile(r"/overview"))
    expect(page).not_to_have_url(re.compile(r"kpi="))
    wait_for_run(page)
    assert query(page) == {"province": ["RA"]}


def test_back_once_from_trends_returns_to_the_overview_without_a_kpi(
    page: Page, server: Server
) -> None:
    open_view(page, server, "/overview?period=2024")
    nav_link(page, "Andamenti").click()
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("Andamenti")
    wait_for_run(page)
    choose_indicator = select_box(page, "Indicatore", "stMain")
    choose_indicator.click()
    page.get_by_role("option", name="Indice di soddisfazione (CSI)", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]kpi=csi(&|$)"))
    wait_for_run(page)
    page.go_back()
    wait_for_run(page)
    expect(page).not_to_have_url(re.compile(r"kpi=csi"))
    assert urlsplit(page.url).path == "/trends"  # the indicator before the change
    page.go_back()
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("Panoramica")
    wait_for_run(page)
    assert urlsplit(page.url).path == "/overview"
    assert query(page) == {"period": ["2024"]}


def test_choosing_a_region_shows_its_provinces_in_the_province_box(
    page: Page, server: Server
) -> None:
    open_view(page, server, "/overview?period=2024")
    choose(page, "Regione", "Emilia-Romagna")
    expect(page).to_have_url(re.compile(r"[?&]province=RN(&|$)"))
    wait_for_run(page)
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.locator("label", has_text=re.compile("^Province$"))
    )
    for name in ("Bologna (BO)", "Forlì-Cesena (FC)", "Rimini (RN)"):
        expect(box).to_contain_text(name)
    expect(box).not_to_contain_text("Tutte le province visibili")
