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


# --- language ---------------------------------------------------------------------------------


def test_italian_is_the_default_and_stays_out_of_the_url(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", province=["RA"])
    assert app.title[0].value == "Panoramica"
    assert app.sidebar.header[0].value == "Filtri"
    assert "lang" not in app.query_params


def test_lang_en_in_the_url_opens_the_view_in_english(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", province=["RA"], period="2024", lang="en")
    assert not app.exception
    assert app.title[0].value == "Overview"
    assert app.caption[0].value == (
        "From 2024-01-01 to 2024-12-31; by month; provinces: Ravenna; "
        "compared with the same period last year (from 2023-01-01 to 2023-12-31)."
    )
    assert app.sidebar.selectbox(key="w_grain").options == ["Week", "Month", "Quarter", "Year"]
    assert app.query_params["lang"] == "en"


def test_the_sidebar_switch_puts_the_language_in_the_url(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends", province=["RA"])
    app.session_state["w_lang"] = "en"  # what a click on "English" does
    app.run()
    assert app.title[0].value == "Trends"
    assert app.query_params["lang"] == "en"
    assert app.query_params["province"] == "RA"


def test_the_language_survives_a_page_switch(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("trends", province=["RA"], lang="en")
    app.query_params.clear()  # Streamlit drops the query string on a page switch
    app.run()
    assert app.title[0].value == "Trends"
    assert (app.query_params["lang"], app.query_params["province"]) == ("en", "RA")


def test_switching_back_to_italian_drops_lang_from_the_url(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", lang="en")
    app.session_state["w_lang"] = "it"
    app.run()
    assert app.title[0].value == "Panoramica"
    assert "lang" not in app.query_params


def test_an_unknown_language_is_reported_and_italian_used(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", lang="fr")
    assert not app.exception
    assert app.title[0].value == "Panoramica"
    assert "Parametro ignorato: lang=fr: lingua sconosciuta" in [w.value for w in app.warning]


@pytest.mark.parametrize("url_path", PLANNED)
def test_a_page_not_built_yet_speaks_english_too(
    url_path: str, demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page(url_path, lang="en")
    assert app.info[0].value == "This page is being built."
    assert app.markdown[0].value == "**What it will show:**"
