"""Overview and trends on a phone (390×844) and on a desktop, in a real Chromium.

The charts must be drawn inside the screen's width, the map must keep the width of the phone
(its colour bar under it, not beside it), the trend's legend must not eat the chart, and the
toolbar speaks Italian. Screenshots of each run go to test-artifacts/ (phone-*.png, desktop-*.png).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_app import (
    ARTIFACTS,
    RUN_TIMEOUT_MS,
    VIEWPORT,
    Server,
    artifact,
    open_view,
    screenshot,
    wait_for_run,
)
from playwright.sync_api import Browser, Locator, Page
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A tab of a phone-sized touch browser in Italian."""
    context = browser.new_context(
        viewport=PHONE, locale="it-IT", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    tab = context.new_page()
    tab.set_default_timeout(RUN_TIMEOUT_MS)
    yield tab
    context.close()


def charts(page: Page) -> Locator:
    """The plotly charts of the main area, once each has drawn its SVG."""
    found = page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]')
    found.first.locator("svg.main-svg").first.wait_for()
    return found


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, "not drawn"
    return found


def shot(locator: Locator, name: str) -> None:
    """Save one element as test-artifacts/<name>.png (Streamlit scrolls inside its main area,
    so a full-page screenshot shows only the first screen)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for attempt in range(3):  # a late rerun may replace the element while it is being shot
        try:
            locator.scroll_into_view_if_needed()
            locator.screenshot(path=str(artifact(name)))
            return
        except PlaywrightError:
            if attempt == 2:
                raise
            wait_for_run(locator.page)


def page_width(page: Page) -> float:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_the_overview_fits_a_phone(phone: Page, server: Server) -> None:
    open_view(phone, server, "/overview")
    choices = phone.locator('[data-testid="stMain"] [data-testid="stButtonGroup"] button')
    choices.filter(has_text="Livello di servizio (LS)").click()
    # the choice is written to the URL, which reruns once more: wait for the URL, then that run
    phone.wait_for_url(lambda url: "rank=service_level" in url, timeout=RUN_TIMEOUT_MS)
    wait_for_run(phone)
    ranking = charts(phone).first
    screenshot(phone, "phone-overview")
    shot(ranking, "phone-overview-ranking")
    assert page_width(phone) <= PHONE["width"]
    chart = box(ranking)
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= PHONE["width"]
    dots = ranking.locator("g.scatterlayer path.point")
    assert dots.count() >= 6
    for index in range(dots.count()):
        dot = box(dots.nth(index))
        assert chart["x"] <= dot["x"] and dot["x"] + dot["width"] <= chart["x"] + chart["width"]


def test_the_trends_page_fits_a_phone(phone: Page, server: Server) -> None:
    open_view(phone, server, "/trends")
    trend, drawn_map = charts(phone).nth(0), charts(phone).nth(1)
    drawn_map.locator("g.choroplethlayer path").first.wait_for()
    screenshot(phone, "phone-trends")
    shot(trend, "phone-trends-chart")
    shot(drawn_map, "phone-trends-map")
    assert page_width(phone) <= PHONE["width"]
    whole, legend = box(trend), box(trend.locator("g.legend"))
    assert legend["height"] < whole["height"] / 2
    area = box(drawn_map.locator("g.choroplethlayer"))
    colour_bar = box(drawn_map.locator("g.colorbar"))
    assert area["width"] >= 300
    assert colour_bar["y"] >= area["y"] + area["height"] - 2  # under the map, not beside it


def test_the_toolbar_speaks_italian(phone: Page, server: Server) -> None:
    open_view(phone, server, "/trends?province=RA")
    chart = charts(phone).first
    chart.hover()
    button = chart.locator('.modebar-btn[data-title="Scarica il grafico come immagine PNG"]')
    assert button.count() == 1


@pytest.mark.parametrize("path", ["/overview", "/trends"], ids=["overview", "trends"])
def test_desktop_screenshots(browser: Browser, server: Server, path: str) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="it-IT")
    tab = context.new_page()
    tab.set_default_timeout(RUN_TIMEOUT_MS)
    try:
        open_view(tab, server, path)
        found = charts(tab)
        screenshot(tab, f"desktop{path.replace('/', '-')}")
        for index in range(found.count()):
            shot(found.nth(index), f"desktop{path.replace('/', '-')}-chart-{index + 1}")
        assert page_width(tab) <= VIEWPORT["width"]
    finally:
        context.close()


def test_a_click_on_a_province_label_narrows_the_view(page: Page, server: Server) -> None:
    open_view(page, server, "/trends")
    drawn_map = charts(page).nth(1)
    label = drawn_map.locator("g.scattergeo text").filter(has_text="RA")
    label.first.wait_for()
    label.first.scroll_into_view_if_needed()
    where = box(label.first)
    page.mouse.click(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
    page.wait_for_url(lambda url: "province=RA" in url)
    wait_for_run(page)
    assert "province=RA" in page.url
