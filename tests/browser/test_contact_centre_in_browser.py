"""The contact-centre page in a real Chromium: opened from a link, the 2020 grid drawn with its
missed months, a click on a cell narrows the view to its province; a link opens a section in
English and the chooser switches to another, one section drawn at a time.
Screenshots go to test-artifacts/ (contact-centre-*.png)."""

from __future__ import annotations

import re

import pytest
from browser_app import RUN_TIMEOUT_MS, Server, open_view, screenshot, wait_for_run
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser


def charts(page: Page) -> Locator:
    """The plotly charts of the main area, once the first has drawn its SVG."""
    found = page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]')
    found.first.locator("svg.main-svg").first.wait_for()
    return found


def test_the_grid_marks_2020_and_a_click_on_a_cell_filters_to_its_province(
    page: Page, server: Server
) -> None:
    open_view(page, server, "/contact-centre?period=2020")
    grid = charts(page).first
    cells = grid.locator("g.heatmaplayer text")
    cells.first.wait_for()
    texts = cells.all_text_contents()
    assert "57,4% ✗" in texts  # Bologna, March 2020
    assert sum(text.endswith("✗") for text in texts) >= 50  # the lockdown year stands out
    screenshot(page, "contact-centre-2020")
    wait_for_run(page)  # everything drawn: no later element shifts the grid under the click
    grid.scroll_into_view_if_needed()
    points = grid.locator("g.scatterlayer path.point")  # one invisible click target per cell
    assert points.count() == 72  # 12 months × 6 provinces
    # rows are provinces by name (Bologna, Ferrara, Forlì-Cesena, Modena, Ravenna, Rimini),
    # twelve months each: the 49th cell is Ravenna's January
    where = points.nth(4 * 12).bounding_box()
    assert where is not None
    page.mouse.click(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
    page.wait_for_url(lambda url: "province=RA" in url, timeout=RUN_TIMEOUT_MS)
    # the URL changes before the rerun that redraws the grid: wait for the grid itself
    expect(charts(page).first.locator("g.scatterlayer path.point")).to_have_count(
        12, timeout=RUN_TIMEOUT_MS
    )


def test_a_link_opens_a_section_in_english_and_the_chooser_switches_it(
    page: Page, server: Server
) -> None:
    open_view(page, server, "/contact-centre?lang=en&province=RA&section=why")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="Why they call")).to_have_count(1)
    expect(charts(page)).to_have_count(1)  # the topics only: no grid, calls, waits or hours
    expect(main.get_by_role("heading", name="ARERA standards, month by month")).to_have_count(0)
    screenshot(page, "contact-centre-en-why")
    choices = main.locator('[data-testid="stButtonGroup"] button')
    choices.filter(has_text=re.compile("^When they call$")).click()
    expect(page).to_have_url(re.compile(r"[?&]section=when(&|$)"))
    wait_for_run(page)
    expect(main.get_by_role("heading", name="When customers call")).to_have_count(1)
    expect(main.get_by_role("heading", name="Why they call")).to_have_count(0)
    expect(charts(page)).to_have_count(2)  # demand and answer rate by weekday × hour
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "contact-centre-en-when")
