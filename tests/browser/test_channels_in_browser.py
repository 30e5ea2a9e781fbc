"""The channels page in a real Chromium: opened from a link on its online-area section, the chooser
switches to the mix, the mix switch and the language; a link opens another section in English;
a click on a ranked bar filters to its province. One section is drawn at a time."""

from __future__ import annotations

import re

import pytest
from browser_app import Server, open_view, screenshot, wait_for_run
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

LINK = "/channels?period=2020&grain=quarter"


def charts(page: Page) -> Locator:
    """The plotly charts of the main area."""
    return page.locator('[data-testid="stMain"] .js-plotly-plot')


def test_the_channels_page_opens_from_a_link_switches_section_mix_and_language(
    page: Page, server: Server
) -> None:
    open_view(page, server, LINK)
    main = page.locator('[data-testid="stMain"]')
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(main.locator("h1").first).to_have_text("Canali")
    expect(main).to_contain_text("Riferimento Hera ≥ 8,0%")
    expect(charts(page)).to_have_count(2)  # the online area over time and ranked
    expect(main.get_by_role("heading", name="Mix dei canali nel tempo")).to_have_count(0)
    screenshot(page, "channels")

    choices = main.locator('[data-testid="stButtonGroup"] button')
    choices.filter(has_text=re.compile("^Mix dei canali$")).click()
    expect(page).to_have_url(re.compile(r"[?&]section=mix(&|$)"))
    wait_for_run(page)
    expect(main.get_by_role("heading", name="Mix dei canali nel tempo")).to_have_count(1)
    expect(main).to_contain_text("Sportello: −38,6% di contatti nel 2020 rispetto al 2019")
    expect(charts(page)).to_have_count(1)  # the mix only: no adoption chart left behind

    choices.filter(has_text=re.compile("^Volumi$")).click()
    expect(page).to_have_url(re.compile(r"[?&]mix=volume(&|$)"))
    wait_for_run(page)
    expect(main).to_contain_text("Contatti per canale in ciascun periodo, sovrapposti.")

    page.locator('[data-testid="stSidebarUserContent"] button').filter(
        has_text=re.compile("^English$")
    ).click()
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    wait_for_run(page)
    expect(main.locator("h1").first).to_have_text("Channels")
    expect(main).to_contain_text("Channel mix over time")
    expect(page).to_have_url(re.compile(r"[?&]mix=volume(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]section=mix(&|$)"))
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "channels-in-english")


def test_a_link_opens_the_satisfaction_section_in_english(page: Page, server: Server) -> None:
    open_view(page, server, "/channels?lang=en&section=satisfaction")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="Satisfaction by channel")).to_have_count(1)
    expect(charts(page)).to_have_count(2)  # CSI and NPS per channel
    expect(
        main.get_by_role("heading", name="Channel adoption against the references")
    ).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "channels-en-satisfaction")


def test_a_click_on_a_ranked_bar_filters_to_its_province(page: Page, server: Server) -> None:
    open_view(page, server, LINK)
    wait_for_run(page)  # the section drawn: no later chart shifts the ranking under the click
    ranking = page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]').nth(1)
    ranking.scroll_into_view_if_needed()
    bars = ranking.locator("g.barlayer .point path")
    expect(bars).to_have_count(6)  # the demo's six provinces, best first
    first = ranking.locator(".js-plotly-plot").evaluate("plot => plot.data[0].customdata[0]")
    where = bars.first.bounding_box()
    assert where is not None
    page.mouse.click(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
    page.wait_for_url(lambda url: f"province={first}" in url, timeout=30_000)
    wait_for_run(page)
    expect(
        page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]')
        .nth(1)
        .locator("g.barlayer .point path")
    ).to_have_count(1)
