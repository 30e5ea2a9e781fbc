"""The contact-centre page in a real Chromium: opened from a link, the 2020 grid drawn with its
missed months, a click on a cell narrows the view to its province, and English relabels it.
Screenshots go to test-artifacts/ (contact-centre-*.png)."""

from __future__ import annotations

import pytest
from browser_app import RUN_TIMEOUT_MS, Server, open_view, screenshot, wait_for_run
from playwright.sync_api import Locator, Page

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
    grid.scroll_into_view_if_needed()
    points = grid.locator("g.scatterlayer path.point")  # one invisible click target per cell
    assert points.count() == 72  # 12 months × 6 provinces
    # rows are provinces by name (Bologna, Ferrara, Forlì-Cesena, Modena, Ravenna, Rimini),
    # twelve months each: the 49th cell is Ravenna's January
    where = points.nth(4 * 12).bounding_box()
    assert where is not None
    page.mouse.click(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
    page.wait_for_url(lambda url: "province=RA" in url, timeout=RUN_TIMEOUT_MS)
    wait_for_run(page)
    assert charts(page).first.locator("g.scatterlayer path.point").count() == 12


def test_the_page_speaks_english_from_a_link(page: Page, server: Server) -> None:
    open_view(page, server, "/contact-centre?lang=en&province=RA")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("ARERA standards, month by month").wait_for()
    assert main.get_by_text("Why they call").count() == 1
    assert main.get_by_text("This section is in preparation", exact=False).count() == 2
    screenshot(page, "contact-centre-en")
