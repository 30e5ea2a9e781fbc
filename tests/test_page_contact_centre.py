"""The contact-centre page through AppTest: the ARERA grid, calls, waits, hours, topics, scope,
empty cases; each section opened by its link (?section=), as the page draws one at a time."""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from apptest_support import click_chart, demo_store, open_page, page_infos, shown, use_store  # noqa: F401

from data_access import migrate
from data_access.compliance import compliance_grid
from data_access.filters import Filters
from data_access.importing import import_file
from data_access.periods import Period
from data_access.scope import Scope
from ui import formatting
from ui.charts import bucket_label

EVERYONE = Scope.all_provinces("t")
SECTIONS = ["compliance", "calls", "waiting", "when", "why"]  # ?section=, the first the default
GRID, MONTHS = 0, 1  # the compliance section's tables, in order
CALLS = BANDS = HOURS = TOPICS = 0  # the first table of the calls, waiting, when, why sections
ESTRA = (
    "day,area,channel,segment,topic,offered,answered,abandoned,answered_20s,wait_seconds,"
    "handling_seconds\n"
    "2020-03-16,AR,phone,household,bill_info,903151,515001,388150,0,50985099,180250350\n"
)


def spec(app, index: int = 0) -> dict:
    """The plotly figure the page sent, as JSON."""
    return json.loads(app.get("plotly_chart")[index].proto.spec)


def grid_cells(app) -> dict[tuple[str, str], str]:
    """The heatmap's cell texts by (month label, province name)."""
    heatmap = spec(app)["data"][0]
    return {
        (month, province): heatmap["text"][row][column]
        for row, province in enumerate(heatmap["y"])
        for column, month in enumerate(heatmap["x"])
    }


@pytest.mark.parametrize(
    ("section", "header", "figures", "tables"),
    [
        ("compliance", "Standard ARERA, mese per mese", 1, 2),  # grid; grid and months met
        ("calls", "Chiamate", 1, 1),
        ("waiting", "Attesa", 2, 2),  # over time, per province
        ("when", "Quando chiamano i clienti", 2, 1),  # demand, answer rate; one table
        ("why", "Perché chiamano", 1, 1),
    ],
)
def test_each_section_draws_its_charts_and_tables(
    section: str, header: str, figures: int, tables: int, demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section=section)
    assert not app.exception
    assert app.title[0].value == "Call center"
    assert [subheader.value for subheader in app.subheader] == [header]
    assert len(app.get("plotly_chart")) == figures
    assert len(app.dataframe) == tables


def test_the_calls_section_has_its_quality_tiles(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="calls")
    assert [metric.label for metric in app.metric] == [
        "Livello di servizio 80/20",
        "Tempo medio di gestione (AHT)",
        "Risoluzione al primo contatto (FCR)",
    ]


def test_waiting_is_drawn_from_the_demo_calls(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="waiting")
    bands = app.dataframe[BANDS].value
    assert list(bands.columns[-5:]) == [
        "within_20s", "within_60s", "within_120s", "within_180s", "within_240s"
    ]  # fmt: skip
    assert (bands["banded"] > 0).all()  # the demo's calls are events: every band is known
    assert not [info for info in page_infos(app) if "preparazione" in info.value]


def test_the_hours_are_drawn_from_the_demo_calls(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="when")
    hours = app.dataframe[HOURS].value
    assert list(hours.columns) == [
        "weekday",
        "hour",
        "contacts",
        "queued",
        "answered",
        "answer_rate",
    ]
    assert 0 < len(hours) <= 7 * 24  # weekday × hour cells with any contact
    assert not [info for info in page_infos(app) if "preparazione" in info.value]


def test_the_2020_lockdown_months_stand_out_as_missed(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", period="2020")
    cells = grid_cells(app)
    # Bologna, March 2020: 54 of 94 calls answered, LS 57,4%: below ARERA's 80%
    assert cells["mar 2020", "Bologna"] == "57,4% ✗"
    assert cells["gen 2020", "Bologna"] == "92,1% ✓"
    heatmap = spec(app)["data"][0]
    row, column = heatmap["y"].index("Bologna"), heatmap["x"].index("mar 2020")
    assert heatmap["z"][row][column] == 1  # the "missed" colour of the discrete scale


def test_the_grid_table_shows_what_data_access_computes(
    demo_store: str, use_store, open_page
) -> None:
    engine = use_store(demo_store)
    app = open_page("contact-centre", period="2020", province="RA")
    expected = compliance_grid(
        engine=engine,
        filters=Filters(period="2020", provinces=("RA",)),
        scope=EVERYONE,
        kpi="service_level",
        period=Period(date(2020, 1, 1), date(2020, 12, 31)),
    )
    table = shown(app.dataframe[GRID])
    assert table["value"].tolist() == [formatting.percent(v) for v in expected["value"]]
    assert table["bucket"].tolist()[:2] == ["gen 2020", "feb 2020"]
    assert set(table["province"]) == {"Ravenna"}
    assert set(table["standard"]) == {"Standard ARERA ≥ 80,0%"}
    assert table["status"].tolist()[:3] == ["rispettato", "rispettato", "non rispettato"]


def test_months_met_and_the_water_rule_per_province(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", period="2020", province="RA")
    table = shown(app.dataframe[MONTHS])
    assert table.values.tolist() == [["Ravenna", "12", "2", "10", "2", "non rispettata"]]
    captions = [caption.value for caption in app.caption]
    assert (
        "Livello di servizio (LS) ≥ 80,0% in almeno 10 mesi su 12: è la regola per il servizio "
        "idrico (ARERA, RQSII); la tabella qui sotto conta i mesi per provincia."
    ) in captions


def test_the_standards_source_is_named(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    captions = [caption.value for caption in open_page("contact-centre").caption]
    assert (
        "Standard ARERA ≥ 80,0% in vigore dal 01/01/2015. Fonte: ARERA, standard di qualità dei "
        "call center (TIQV, vendita di energia), dalla tabella degli obiettivi di Ascolto."
    ) in captions


def test_a_period_of_six_months_does_not_judge_the_water_rule(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", period="custom", to="2025-06-30", province="RA",
                    **{"from": "2025-01-01"})  # fmt: skip
    assert shown(app.dataframe[MONTHS])["water"].tolist() == ["serve un periodo di 12 mesi interi"]


def test_the_grid_stays_monthly_when_the_view_is_by_quarter(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", grain="quarter", province="RA")
    assert len(spec(app)["data"][0]["x"]) == 12


def test_the_calls_follow_the_views_quarters(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="calls", grain="quarter", province="RA")
    assert shown(app.dataframe[CALLS])["bucket"].tolist() == [
        "T1 2025", "T2 2025", "T3 2025", "T4 2025",
    ]  # fmt: skip


def test_a_link_opens_the_grid_on_its_indicator(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", arera="average_wait", province="RA")
    assert app.button_group(key="w_centre_arera").value == "average_wait"
    table = shown(app.dataframe[GRID])
    assert set(table["standard"]) == {"Standard ARERA ≤ 180 s"}
    assert app.query_params == {"arera": "average_wait", "province": "RA"}


def test_the_chosen_indicator_is_written_to_the_url(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", province="RA")
    app.session_state["w_centre_arera"] = "average_wait"  # what a click on TMA does
    app.run()
    assert app.query_params == {"province": "RA", "arera": "average_wait"}


def test_an_unknown_indicator_in_the_url_is_reported(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", arera="happiness")
    assert not app.exception
    warnings = [warning.value for warning in app.warning]
    assert "Parametro ignorato: arera=happiness: indicatore sconosciuto" in warnings


def test_accessibility_without_line_times_says_so(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", arera="line_accessibility")
    infos = page_infos(app)
    assert infos[0].startswith(
        "Accessibilità al servizio (AS): l'archivio non contiene i tempi di linea, in nessuna"
    )
    assert not app.get("plotly_chart")  # no grid


def test_the_calls_table_counts_offered_answered_abandoned(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="calls", period="2020", province="BO", grain="year")
    table = shown(app.dataframe[CALLS])
    assert table.columns.tolist() == [
        "bucket", "offered", "answered", "abandoned", "other", "service_level_80_20", "aht",
        "fcr",
    ]  # fmt: skip
    row = table.iloc[0]
    offered, answered, abandoned = (int(row[c].replace(".", "")) for c in
                                    ("offered", "answered", "abandoned"))  # fmt: skip
    assert offered == answered + abandoned + int(row["other"])


def test_the_topics_table_lists_the_largest_growth_first(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="why", period="2020")
    table = shown(app.dataframe[TOPICS])
    assert table["topic"].tolist()[:2] == ["Pagamenti e rateizzazioni", "Letture dei contatori"]
    assert table["change"].tolist()[0].startswith("+")
    said = [block.value for block in app.markdown]
    assert any(text.startswith("Crescono di più rispetto al periodo di confronto") for text in said)


def test_a_click_on_a_grid_cell_narrows_the_view_to_its_province(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre")
    app = click_chart(app, "centre_grid_0", [{"customdata": "RA"}])
    assert not app.exception
    assert app.query_params == {"province": "RA"}
    assert set(shown(app.dataframe[GRID])["province"]) == {"Ravenna"}


def test_the_page_in_english(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", lang="en", province="RA")
    assert app.title[0].value == "Contact centre"
    assert [header.value for header in app.subheader][0] == "ARERA standards, month by month"
    table = shown(app.dataframe[GRID])
    assert set(table["status"]) == {"met"}
    assert table["bucket"].tolist()[0] == bucket_label(date(2025, 1, 1), "month", "en")


def test_a_regional_manager_sees_only_their_province(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    access = tmp_path / "access.toml"
    access.write_text('[users."ravenna@example.it"]\nprovinces = ["RA"]\n', encoding="utf-8")
    monkeypatch.setenv("ASCOLTO_ACCESS_FILE", str(access))
    monkeypatch.setenv("ASCOLTO_USER", "ravenna@example.it")
    use_store(demo_store)
    app = open_page("contact-centre", province="BO")
    assert "province=BO: non visibile con il tuo profilo" in app.warning[0].value
    assert spec(app)["data"][0]["y"] == ["Ravenna"]
    assert shown(app.dataframe[MONTHS])["province"].tolist() == ["Ravenna"]


@pytest.mark.parametrize("section", ["calls", "waiting", "when", "why"])
def test_a_regional_manager_sees_their_provinces_numbers_in_every_section(
    section: str,
    demo_store: str,
    use_store,
    open_page,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Scoped to Ravenna, the section's first table is everyone's view narrowed to Ravenna."""
    use_store(demo_store)
    narrowed = shown(open_page("contact-centre", section=section, province="RA").dataframe[0])
    access = tmp_path / "access.toml"
    access.write_text('[users."ravenna@example.it"]\nprovinces = ["RA"]\n', encoding="utf-8")
    monkeypatch.setenv("ASCOLTO_ACCESS_FILE", str(access))
    monkeypatch.setenv("ASCOLTO_USER", "ravenna@example.it")
    app = open_page("contact-centre", section=section)
    assert not app.exception
    assert shown(app.dataframe[0]).values.tolist() == narrowed.values.tolist()
    if section == "waiting":  # the per-province table: the neighbours are out of scope
        assert shown(app.dataframe[1])["province"].tolist() == ["Ravenna"]


def test_the_waits_follow_the_links_period(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="waiting", period="2020", province=["BO", "RA"])
    assert shown(app.dataframe[BANDS])["bucket"].tolist() == [
        "gen 2020", "feb 2020", "mar 2020", "apr 2020", "mag 2020", "giu 2020",
        "lug 2020", "ago 2020", "set 2020", "ott 2020", "nov 2020", "dic 2020",
    ]  # fmt: skip


def test_the_hours_follow_the_links_period(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="when", period="2020", province=["BO", "RA"])
    captions = [caption.value for caption in app.caption]
    assert "Mesi interi da gennaio 2020 a dicembre 2020." in captions


def test_the_hours_say_a_segment_filter_does_not_apply(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("contact-centre", section="when", segment="household")
    assert page_infos(app) == [
        "La griglia giorno × ora è per provincia e canale: togli i filtri Aree, Segmenti e "
        "Argomenti per vederla."
    ]
    assert not app.get("plotly_chart")


@pytest.mark.parametrize("section", SECTIONS)
def test_someone_without_provinces_sees_no_data(
    section: str, demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", "nobody@example.it")
    app = open_page("contact-centre", section=section)
    assert app.title[0].value == "Nessun accesso ai dati"
    assert not app.get("plotly_chart")
    assert not app.dataframe


@pytest.mark.parametrize("section", SECTIONS)
def test_an_empty_store_says_there_is_no_data(
    section: str, tmp_path: Path, use_store, open_page
) -> None:
    migrate.prepare(use_store(f"sqlite:///{tmp_path / 'empty.db'}"))
    app = open_page("contact-centre", section=section)
    assert not app.exception
    assert page_infos(app)[0] == (
        "Non ci sono ancora dati da mostrare: chi gestisce Ascolto può caricarli."
    )
    assert not app.get("plotly_chart")


def test_estras_2020_month_shows_ls_57_percent_below_the_standard(
    tmp_path: Path, use_store, open_page
) -> None:
    """Estra's 2020 figures for one province and month: 515,001 of 903,151 calls answered."""
    engine = use_store(f"sqlite:///{tmp_path / 'estra.db'}")
    migrate.prepare(engine)
    path = tmp_path / "estra-2020.csv"
    path.write_text(ESTRA, encoding="utf-8")
    import_file(engine=engine, kind="contact-aggregates", path=path)
    app = open_page("contact-centre", period="2020")
    assert not app.exception
    assert grid_cells(app) == {("mar 2020", "Arezzo"): "57,0% ✗"}
    assert spec(app)["data"][0]["z"] == [[1]]  # the "missed" colour
    table = shown(app.dataframe[GRID])
    assert table[["bucket", "province", "value", "n", "standard", "status"]].values.tolist() == [
        ["mar 2020", "Arezzo", "57,0%", "903.151", "Standard ARERA ≥ 80,0%", "non rispettato"]
    ]
