"""The shell: every page in the navigation, pages not built yet say so and link back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from apptest_support import page_infos
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
PLANNED = ["satisfaction", "associations"]


def test_navigation_has_every_page_with_its_url_path() -> None:
    assert [spec.url_path for items in specs().values() for spec in items] == URL_PATHS


@pytest.mark.parametrize("url_path", PLANNED)
def test_a_page_not_built_yet_says_what_it_will_show(
    url_path: str, demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page(url_path, province=["RA"])
    assert not app.exception
    assert page_infos(app)[0] == "Questa pagina è in preparazione."
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
    assert page_infos(app)[0] == "This page is being built."
    assert app.markdown[0].value == "**What it will show:**"


# --- any period in a URL: a clear message and a working page -----------------------------------

WINDOW = "i dati vanno dal 01/01/2019 al 31/12/2025"
PERIOD_LINKS = {
    "past the data": (
        {"period": "custom", "from": "2026-01-01", "to": "2026-03-31"},
        f"Nessun dato dal 01/01/2026 al 31/03/2026: {WINDOW}.",
    ),
    "before the data": (
        {"period": "1899"},
        f"Nessun dato dal 01/01/1899 al 31/12/1899: {WINDOW}.",
    ),
    "half outside": (
        {"period": "custom", "from": "2025-10-01", "to": "2026-03-31"},
        "I dati vanno dal 01/01/2019 al 31/12/2025: del periodo chiesto (dal 01/10/2025 al "
        "31/03/2026) è mostrata la parte con dati, dal 01/10/2025 al 31/12/2025.",
    ),
    "only from": (
        {"from": "2025-06-01"},
        "Manca la data di fine: il periodo arriva all'ultimo giorno con dati "
        "(dal 01/06/2025 al 31/12/2025).",
    ),
    "only to": (
        {"to": "2025-06-30"},
        "Manca la data di inizio: sono mostrati i 12 mesi fino alla data di fine "
        "(dal 01/07/2024 al 30/06/2025).",
    ),
    "bad date": (
        {"period": "custom", "from": "2025-02-30", "to": "2025-03-31"},
        "Parametro ignorato: from=2025-02-30: data non valida (atteso AAAA-MM-GG)",
    ),
    "from after to": (
        {"from": "2025-03-31", "to": "2025-01-01"},
        "Parametro ignorato: from=2025-03-31 è dopo to=2025-01-01: date scambiate",
    ),
    "unknown period": ({"period": "abc"}, "Parametro ignorato: period=abc: periodo sconosciuto"),
    "year zero": ({"period": "0000"}, "Parametro ignorato: period=0000: periodo sconosciuto"),
}


@pytest.mark.parametrize(("query", "message"), PERIOD_LINKS.values(), ids=list(PERIOD_LINKS))
def test_any_period_in_a_link_gives_a_message_and_a_working_page(
    query: dict[str, str], message: str, demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", **query)
    assert not app.exception
    assert message in [element.value for element in (*app.info, *app.warning)]
    assert app.title[0].value == "Panoramica"
    assert app.caption[0].value  # the sentence says what is shown


def test_a_link_past_the_data_recovers_when_the_period_changes(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", period="custom", **{"from": "2026-01-01", "to": "2026-03-31"})
    app.sidebar.selectbox(key="w_period").set_value("2024").run()
    assert not app.exception
    assert app.query_params == {"period": "2024"}
    assert not page_infos(app)


def test_the_data_window_offered_for_a_period_without_data_opens_it(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", period="1899")
    app.button(key="header_offer").click().run()
    assert not app.exception
    assert (app.query_params["from"], app.query_params["to"]) == ("2019-01-01", "2025-12-31")


def test_an_empty_store_keeps_the_period_of_the_link_and_says_it_has_no_data(
    tmp_path: Path, use_store, open_page
) -> None:
    from data_access import migrate

    migrate.prepare(use_store(f"sqlite:///{tmp_path / 'empty.db'}"))
    app = open_page("overview", period="2024")
    assert not app.exception
    assert app.query_params == {"period": "2024"}
    assert page_infos(app) == [
        "Non ci sono ancora dati da mostrare: chi gestisce Ascolto può caricarli.",
        "Il periodo chiesto (dal 01/01/2024 al 31/12/2024) non ha dati.",
    ]


# --- the sidebar says what is selected --------------------------------------------------------


def test_choosing_a_region_shows_its_provinces_in_the_province_box(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview")
    app.sidebar.selectbox(key="w_region").set_value("Emilia-Romagna").run()
    box = app.sidebar.multiselect(key="w_province")
    assert box.value == ["BO", "FC", "FE", "MO", "RA", "RN"]
    assert app.query_params["province"] == ["BO", "FC", "FE", "MO", "RA", "RN"]


def test_a_custom_period_is_applied_only_once_both_dates_are_chosen(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", period="2024")
    app.sidebar.selectbox(key="w_period").set_value("custom").run()
    app.sidebar.date_input(key="w_range").set_value((date(2025, 3, 1),)).run()
    assert (
        "Scegli la data di inizio e quella di fine: il periodo si applica quando ci sono entrambe."
        in [caption.value for caption in app.sidebar.caption]
    )
    assert app.caption[0].value.startswith("Dal 01/01/2024 al 31/12/2024;")  # still 2024


def test_choosing_custom_starts_from_the_period_on_screen(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", period="2024")
    app.sidebar.selectbox(key="w_period").set_value("custom").run()
    assert app.sidebar.date_input(key="w_range").value == (date(2024, 1, 1), date(2024, 12, 31))
    assert (app.query_params["from"], app.query_params["to"]) == ("2024-01-01", "2024-12-31")


def test_an_unknown_channel_in_the_url_is_reported_and_left_out_of_the_view(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", channel=["APP", "web"])  # codes are lower case: 'app'
    assert not app.exception
    assert "Parametro ignorato: channel=APP: nessun dato" in [w.value for w in app.warning]
    assert app.multiselect(key="w_channel").value == ["web"]
    assert app.query_params["channel"] == "web"
