"""The trends page through AppTest: KPI chooser in the URL, lines, map, tables, empty cases."""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

import json
from pathlib import Path

from apptest_support import click_chart, demo_store, open_page, page_infos, shown, use_store  # noqa: F401

from data_access import migrate, queries
from data_access.filters import Filters
from data_access.kpis import KPIS
from data_access.scope import Scope
from ui import formatting
from ui.charts import bucket_label

EVERYONE = Scope.all_provinces("t")


def test_trends_draws_a_line_chart_a_map_and_their_tables(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends", province=["BO", "RA"])
    assert not app.exception
    assert app.title[0].value == "Andamenti"
    assert [header.value for header in app.subheader] == [
        "Livello di servizio (LS): andamento",
        "Livello di servizio (LS) per provincia",
    ]
    assert len(app.get("plotly_chart")) == 2
    assert len(app.dataframe) == 2


def test_the_map_names_its_boundaries_source(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("trends")
    captions = [caption.value for caption in app.caption]
    assert "Confini amministrativi ISTAT (CC-BY 4.0), elaborazione openpolis" in captions


def test_the_chosen_kpi_is_written_to_the_url(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("trends", province=["RA"])
    assert app.query_params == {"province": "RA"}  # the default KPI stays out, like filters'
    app.selectbox(key="w_trends_kpi").set_value("average_wait").run()
    assert app.query_params == {"province": "RA", "kpi": "average_wait"}
    assert app.subheader[0].value == "Tempo medio di attesa (TMA): andamento"


def test_a_kpi_put_in_the_url_is_shown(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("trends", province=["RA"])
    app.query_params["kpi"] = "average_wait"  # the back button, or a link in the same tab
    app.run()
    assert app.selectbox(key="w_trends_kpi").value == "average_wait"
    assert app.subheader[0].value == "Tempo medio di attesa (TMA): andamento"


def test_a_shared_link_opens_on_its_kpi(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("trends", province=["RA"], grain="quarter", kpi="average_wait")
    assert app.selectbox(key="w_trends_kpi").value == "average_wait"


def test_an_unknown_kpi_in_the_url_is_reported_not_fatal(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends")
    app.query_params["kpi"] = "happiness"
    app.run()
    assert not app.exception
    warnings = [warning.value for warning in app.warning]
    assert "Parametro ignorato: kpi=happiness: indicatore sconosciuto" in warnings
    assert app.selectbox(key="w_trends_kpi").value == "service_level"
    assert "kpi" not in app.query_params


def test_the_trend_table_shows_what_data_access_computes(
    demo_store: str, use_store, open_page
) -> None:
    engine = use_store(demo_store)
    app = open_page("trends", province="RA", grain="quarter")
    app.selectbox(key="w_trends_kpi").set_value("average_wait").run()
    assert not app.exception
    expected = queries.kpi_series(
        engine=engine,
        filters=Filters(grain="quarter", provinces=("RA",)),
        scope=EVERYONE,
        kpi="average_wait",
        by=("bucket", "province"),
    )
    kpi = KPIS["average_wait"]
    rows = [
        [
            bucket_label(row.bucket, "quarter"),
            "Ravenna",
            formatting.kpi_value(row.value, kpi),
            formatting.number(row.n),
        ]
        for row in expected.itertuples()
    ]
    table = shown(app.dataframe[0])
    assert table.values.tolist() == rows
    assert table["bucket"].tolist() == ["T1 2025", "T2 2025", "T3 2025", "T4 2025"]


def test_the_map_table_lists_every_visible_province(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("trends", province="RA")
    table = shown(app.dataframe[1])
    assert table["province"].tolist() == [
        "Bologna",
        "Ferrara",
        "Forlì-Cesena",
        "Modena",
        "Ravenna",
        "Rimini",
    ]


def test_a_survey_kpi_under_30_responses_says_so(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("trends", province="RA")
    app.selectbox(key="w_trends_kpi").set_value("csi").run()
    assert not app.exception
    infos = page_infos(app)
    assert infos[0].startswith(
        "Indice di soddisfazione (CSI): meno di 30 risposte in ogni punto del grafico"
    )
    table = shown(app.dataframe[0])
    assert set(table["value"]) == {"–"}
    assert set(table["note"]) == {"meno di 30 risposte"}
    assert "nan" not in " ".join(table.values.ravel()).lower()


def test_a_province_without_data_gets_a_message(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("trends", province="NA")  # Napoli: in the reference data, not in the demo
    assert not app.exception
    warnings = [warning.value for warning in app.warning]
    assert any("province=NA" in warning for warning in warnings)


def test_a_period_without_data_says_so(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("trends", period="custom", **{"from": "2001-01-01", "to": "2001-12-31"})
    assert not app.exception
    infos = page_infos(app)
    assert infos == [
        "Nessun dato dal 01/01/2001 al 31/12/2001: i dati vanno dal 01/01/2019 al 31/12/2025.",
        "Livello di servizio (LS): nessun dato per i filtri scelti; prova un periodo più ampio.",
        "Livello di servizio (LS): nessun dato per provincia con i filtri scelti.",
    ]
    assert not app.dataframe


def test_trends_on_an_empty_store_says_there_is_no_data(
    tmp_path: Path, use_store, open_page
) -> None:
    engine = use_store(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate.prepare(engine)
    app = open_page("trends")
    assert not app.exception
    assert page_infos(app)[0] == (
        "Non ci sono ancora dati da mostrare: chi gestisce Ascolto può caricarli."
    )
    assert not app.get("plotly_chart")


def test_a_click_on_a_line_narrows_the_view_to_its_province(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends", province=["BO", "RA"])
    app = click_chart(app, "trends_trend_0", [{"customdata": "RA"}])
    assert not app.exception
    assert app.query_params == {"province": "RA"}


def test_a_click_on_the_map_narrows_the_view_to_that_province(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends")
    app = click_chart(app, "trends_map_0", [{"location": "FC"}])
    assert not app.exception
    assert app.query_params == {"province": "FC"}


def test_a_click_on_a_province_without_data_on_the_map_changes_nothing(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends")
    app = click_chart(app, "trends_map_0", [{"location": "TO"}])
    assert not app.exception
    assert app.query_params == {}


def test_trends_in_english_titles_its_sections_and_tables_in_english(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends", province="RA", grain="quarter", lang="en")
    assert not app.exception
    assert app.title[0].value == "Trends"
    assert [header.value for header in app.subheader] == [
        "Service level (LS): trend",
        "Service level (LS) by province",
    ]
    table = shown(app.dataframe[0])
    assert table["bucket"].tolist() == ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"]
    assert all(value.endswith("%") and "," not in value for value in table["value"])
    captions = [caption.value for caption in app.caption]
    assert "Administrative boundaries ISTAT (CC-BY 4.0), processed by openpolis" in captions


def test_an_unknown_kpi_is_reported_in_english(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("trends", kpi="happiness", lang="en")
    warnings = [warning.value for warning in app.warning]
    assert "Parameter ignored: kpi=happiness: unknown indicator" in warnings


def chart_spec(app, index: int) -> dict:
    """The plotly figure the page sent, as JSON."""
    return json.loads(app.get("plotly_chart")[index].proto.spec)


def trace_names(app, index: int = 0) -> list[str]:
    return [trace.get("name") for trace in chart_spec(app, index)["data"]]


def test_six_provinces_open_without_the_comparison_lines(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends")  # every province, compared with last year by default
    assert not app.exception
    assert app.toggle(key="w_trends_cmp").value is False
    assert not [name for name in trace_names(app) if name.endswith("confronto")]
    assert len(trace_names(app)) == 6


def test_one_province_opens_with_its_comparison_line(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("trends", province="RA")
    assert app.toggle(key="w_trends_cmp").value is True
    assert trace_names(app) == ["Ravenna", "Ravenna, confronto"]


def test_a_link_with_cmp_lines_draws_the_comparison_for_every_province(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends", cmp_lines="1")
    assert app.toggle(key="w_trends_cmp").value is True
    assert len([name for name in trace_names(app) if name.endswith("confronto")]) == 6


def test_switching_the_comparison_on_puts_it_in_the_url(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends")
    app.toggle(key="w_trends_cmp").set_value(True).run()
    assert app.query_params.get("cmp_lines") == "1"
    assert len([name for name in trace_names(app) if name.endswith("confronto")]) == 6
    app.toggle(key="w_trends_cmp").set_value(False).run()
    assert "cmp_lines" not in app.query_params


def test_without_a_comparison_period_there_is_no_toggle(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends", compare="none")
    assert not app.toggle


def test_both_charts_speak_the_page_language_in_plotly(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends", province="RA")
    for chart in app.get("plotly_chart"):
        config = json.loads(chart.proto.config)
        assert config["locale"] == "it"
        assert config["locales"]["it"]["dictionary"]["Download plot as a PNG"] == (
            "Scarica il grafico come immagine PNG"
        )


def test_the_map_is_coloured_against_the_service_level_standard(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends", province="RA")
    coloured = chart_spec(app, 1)["data"][1]
    # ARERA's 80% floor in the middle of a diverging scale: orange misses, blue meets
    assert (coloured["zmin"] + coloured["zmax"]) / 2 == 80.0
    assert "80%<br>obiettivo" in coloured["colorbar"]["ticktext"]


def test_the_offered_data_window_keeps_the_chosen_kpi(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends", period="1899", kpi="average_wait")
    app.button(key="header_offer").click().run()
    assert not app.exception
    assert app.query_params == {
        "period": "custom",
        "from": "2019-01-01",
        "to": "2025-12-31",
        "kpi": "average_wait",
    }


def test_a_period_whose_cases_are_mostly_still_open_says_so_not_no_values(
    tmp_path: Path, use_store, open_page
) -> None:
    import reply_store  # latest day 31/03/2025; the 42 complaints of 15/03 are still open

    engine = use_store(f"sqlite:///{tmp_path / 'replies.db'}")
    migrate.prepare(engine)
    reply_store.build(engine)
    app = open_page(
        "trends", kpi="complaint_reply_30d", period="custom", **{"from": "2025-03-15"},
        to="2025-03-31",
    )  # fmt: skip
    assert not app.exception
    infos = page_infos(app)
    assert (
        "Reclami con risposta entro 30 giorni: la maggior parte dei casi è ancora entro i tempi "
        "di risposta (12 in attesa), quindi nessun valore è ancora mostrato. Scegli un periodo "
        "che finisca prima."
    ) in infos
    assert (
        "Reclami con risposta entro 30 giorni: in ogni provincia la maggior parte dei casi è "
        "ancora entro i tempi di risposta (12 in attesa)."
    ) in infos
