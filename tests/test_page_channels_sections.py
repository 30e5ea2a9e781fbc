"""The channels page's sections through AppTest: one section run and drawn at a time, chosen by
a segmented control kept in the URL as ?section= (ui.sections)."""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

from apptest_support import click_chart, demo_store, open_page, use_store  # noqa: F401

CHOOSER = "w_channels_section"
ADOPTION = "Adozione dei canali rispetto ai riferimenti"


def chart_keys(app) -> list[str]:  # noqa: ANN001
    """The keys of the plotly charts drawn, without the click counter of clickable charts."""
    return [chart.proto.id.rsplit("-", 1)[-1] for chart in app.get("plotly_chart")]


def test_the_chooser_offers_the_four_sections_in_order(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels")
    assert app.button_group(key=CHOOSER).options == [
        "Area clienti online", "Sportelli", "Altri canali", "Mix dei canali", "Quota digitale",
        "Soddisfazione",
    ]  # fmt: skip


def test_the_page_opens_on_the_online_area_section_only(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels")
    assert not app.exception
    assert app.button_group(key=CHOOSER).value == "online"
    assert [header.value for header in app.subheader] == [ADOPTION]
    assert chart_keys(app) == [
        "channels_online_adoption_trend_0",
        "channels_online_adoption_ranking_0",
    ]  # no branches, other channels, mix, digital share, per 1,000 or satisfaction chart
    assert app.query_params == {}  # the default section stays out of the URL


def test_a_link_to_satisfaction_draws_only_satisfaction(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels", section="satisfaction")
    assert app.button_group(key=CHOOSER).value == "satisfaction"
    assert [header.value for header in app.subheader] == ["Soddisfazione per canale"]
    assert chart_keys(app) == ["channels_csi", "channels_nps"]
    assert app.query_params == {"section": "satisfaction"}


def test_choosing_a_section_writes_it_to_the_url(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("channels", province="RA")
    app.session_state[CHOOSER] = "digital"  # what a click on "Quota digitale" does
    app.run()
    assert [header.value for header in app.subheader] == ["Quota digitale e contatti per cliente"]
    assert chart_keys(app) == ["channels_digital_0", "channels_per_1000"]
    assert app.query_params == {"province": "RA", "section": "digital"}


def test_back_on_the_default_section_the_url_drops_it(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels", section="digital")
    app.session_state[CHOOSER] = "online"
    app.run()
    assert [header.value for header in app.subheader] == [ADOPTION]
    assert app.query_params == {}


def test_an_unknown_section_is_reported_and_the_default_shown(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels", section="weather")
    assert not app.exception
    warnings = [warning.value for warning in app.warning]
    assert "Parametro ignorato: section=weather: sezione sconosciuta" in warnings
    assert [header.value for header in app.subheader] == [ADOPTION]
    assert "section" not in app.query_params


def test_an_unknown_section_is_reported_in_english(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("channels", section="weather", lang="en")
    warnings = [warning.value for warning in app.warning]
    assert "Parameter ignored: section=weather: unknown section" in warnings


def test_the_section_survives_a_language_switch(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("channels", section="satisfaction")
    app.session_state["w_lang"] = "en"  # what a click on "English" does
    app.run()
    assert [header.value for header in app.subheader] == ["Satisfaction by channel"]
    assert app.button_group(key=CHOOSER).value == "satisfaction"
    assert app.button_group(key=CHOOSER).options == [
        "Online area", "Branches", "Other channels", "Channel mix", "Digital share",
        "Satisfaction",
    ]  # fmt: skip
    assert app.query_params == {"section": "satisfaction", "lang": "en"}


def test_the_url_keeps_the_section_when_a_filter_changes(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels", section="mix")
    app.sidebar.selectbox(key="w_grain").set_value("quarter").run()
    assert app.query_params == {"section": "mix", "grain": "quarter"}
    assert [header.value for header in app.subheader] == ["Mix dei canali nel tempo"]


def test_a_click_on_a_province_keeps_the_section(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("channels", section="digital")
    app = click_chart(app, "channels_digital_0", [{"customdata": "RA"}])
    assert not app.exception
    assert app.query_params == {"section": "digital", "province": "RA"}
    assert [header.value for header in app.subheader] == ["Quota digitale e contatti per cliente"]


def test_the_mix_switch_is_kept_while_another_section_is_open(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels", section="mix", mix="volume")
    app.session_state[CHOOSER] = "satisfaction"
    app.run()
    assert app.query_params == {"section": "satisfaction"}  # the switch belongs to its section
    app.session_state[CHOOSER] = "mix"
    app.run()
    assert app.button_group(key="w_channels_mix").value == "volume"
    assert app.query_params == {"section": "mix", "mix": "volume"}
