"""The shell: every page in the navigation, pages not built yet say so and link back."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.navigation import specs

ROOT = Path(__file__).resolve().parents[1]

pytest_plugins = ["apptest_support"]

URL_PATHS = [
    "overview",
    "trends",
    "channels",
    "contact-centre",
    "satisfaction",
    "associations",
    "export",
]
PLANNED = ["channels", "contact-centre", "satisfaction", "associations", "export"]


def test_navigation_has_every_page_with_its_url_path() -> None:
    assert [spec.url_path for items in specs().values() for spec in items] == URL_PATHS


@pytest.mark.parametrize("url_path", PLANNED)
def test_a_page_not_built_yet_says_what_it_will_show(
    url_path: str, demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page(url_path, province=["RA"])
    assert not app.exception
    assert app.info[0].value == "Questa pagina è in preparazione."
    assert "Cosa mostrerà" in app.markdown[0].value
    assert len(app.markdown[1].value.splitlines()) >= 2


@pytest.mark.parametrize("url_path", URL_PATHS)
def test_every_page_keeps_the_filters_in_the_url(
    url_path: str, demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page(url_path, province=["RA"], grain="quarter")
    assert not app.exception
    assert (app.query_params["province"], app.query_params["grain"]) == ("RA", "quarter")


@pytest.mark.parametrize("page_file", sorted(p.name for p in (ROOT / "pages").glob("[!_]*.py")))
def test_a_page_file_run_on_its_own_hands_over_to_dashboard(
    page_file: str, demo_store: str, use_store
) -> None:
    use_store(demo_store)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    app.query_params["province"] = "RA"
    app.switch_page(f"pages/{page_file}").run()  # first run: Streamlit's legacy pages/ mode
    assert not app.exception
    assert app.sidebar.multiselect(key="w_province").value == ["RA"]
