"""The contact-centre page's sections through AppTest: one section run and drawn at a time,
chosen by a segmented control kept in the URL as ?section= (ui.sections)."""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

from apptest_support import click_chart, demo_store, open_page, use_store  # noqa: F401

CHOOSER = "w_centre_section"


def chart_keys(app) -> list[str]:  # noqa: ANN001
    """The keys of the plotly charts drawn, without the click counter of clickable charts."""
    return [chart.proto.id.rsplit("-", 1)[-1] for chart in app.get("plotly_chart")]


def test_the_chooser_offers_the_five_sections_in_order(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre")
    assert app.button_group(key=CHOOSER).options == [
        "Standard ARERA", "Chiamate", "Attesa", "Quando chiamano", "Perché chiamano",
    ]  # fmt: skip


def test_the_page_opens_on_the_compliance_section_only(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre")
    assert not app.exception
    assert app.button_group(key=CHOOSER).value == "compliance"
    assert [header.value for header in app.subheader] == ["Standard ARERA, mese per mese"]
    assert chart_keys(app) == ["centre_grid_0"]  # no calls, waits, hours or topics chart
    assert not app.metric  # the calls' quality tiles are not drawn
    assert app.query_params == {}  # the default section stays out of the URL


def test_a_link_to_the_topics_draws_only_the_topics(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="why")
    assert app.button_group(key=CHOOSER).value == "why"
    assert [header.value for header in app.subheader] == ["Perché chiamano"]
    assert chart_keys(app) == ["centre_topics"]
    assert app.query_params == {"section": "why"}


def test_choosing_a_section_writes_it_to_the_url(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", province="RA")
    app.session_state[CHOOSER] = "calls"  # what a click on "Chiamate" does
    app.run()
    assert [header.value for header in app.subheader] == ["Chiamate"]
    assert app.query_params == {"province": "RA", "section": "calls"}


def test_back_on_the_default_section_the_url_drops_it(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="when")
    app.session_state[CHOOSER] = "compliance"
    app.run()
    assert [header.value for header in app.subheader] == ["Standard ARERA, mese per mese"]
    assert app.query_params == {}


def test_an_unknown_section_is_reported_and_the_default_shown(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="weather")
    assert not app.exception
    warnings = [warning.value for warning in app.warning]
    assert "Parametro ignorato: section=weather: sezione sconosciuta" in warnings
    assert [header.value for header in app.subheader] == ["Standard ARERA, mese per mese"]
    assert "section" not in app.query_params


def test_an_unknown_section_is_reported_in_english(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="weather", lang="en")
    warnings = [warning.value for warning in app.warning]
    assert "Parameter ignored: section=weather: unknown section" in warnings


def test_the_section_survives_a_language_switch(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="why")
    app.session_state["w_lang"] = "en"  # what a click on "English" does
    app.run()
    assert [header.value for header in app.subheader] == ["Why they call"]
    assert app.button_group(key=CHOOSER).value == "why"
    assert app.button_group(key=CHOOSER).options[-1] == "Why they call"  # relabelled
    assert app.query_params == {"section": "why", "lang": "en"}


def test_the_url_keeps_the_section_when_a_filter_changes(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="calls")
    app.sidebar.selectbox(key="w_grain").set_value("quarter").run()
    assert app.query_params == {"section": "calls", "grain": "quarter"}
    assert [header.value for header in app.subheader] == ["Chiamate"]


def test_a_click_on_a_province_keeps_the_section(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="waiting")
    app = click_chart(app, "waits_provinces_0", [{"customdata": "RA"}])
    assert not app.exception
    assert app.query_params == {"section": "waiting", "province": "RA"}
    assert [header.value for header in app.subheader] == ["Attesa"]


def test_the_grids_indicator_is_kept_while_another_section_is_open(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", arera="average_wait")
    app.session_state[CHOOSER] = "calls"
    app.run()
    assert app.query_params == {"section": "calls"}  # the grid's choice belongs to its section
    app.session_state[CHOOSER] = "compliance"
    app.run()
    assert app.button_group(key="w_centre_arera").value == "average_wait"
    assert app.query_params == {"arera": "average_wait"}
