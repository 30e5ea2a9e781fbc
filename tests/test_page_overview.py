"""The overview through AppTest: tiles as data_access computes them, what changed, scope."""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_support import (  # noqa: F401
    click_chart,
    demo_store,
    open_page,
    page_infos,
    shown,
    small_store,
    use_store,
)
from streamlit.util import calc_hash

from data_access import migrate, queries
from data_access.filters import Filters
from data_access.movements import largest_movements
from data_access.scope import Scope
from pages.overview import MOVERS, TILES
from ui import formatting
from ui.movements import movement_sentence

EVERYWHERE = Scope.all_provinces("t")
EMPTY_STORE = "Non ci sono ancora dati da mostrare: chi gestisce Ascolto può caricarli."


def tiles(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def test_overview_shows_every_tile(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("overview")
    assert not app.exception
    assert len(app.metric) == len(TILES) == 12


def test_tiles_show_the_values_data_access_computes(demo_store: str, use_store, open_page) -> None:
    engine = use_store(demo_store)
    app = open_page("overview")
    values = queries.kpi_values(engine=engine, filters=Filters(), scope=EVERYWHERE, kpis=TILES)
    shown = tiles(app)
    assert shown["Contatti"] == formatting.number(values["contacts"].value)
    assert (
        shown["Livello di servizio (LS)"]
        == f"{formatting.number(values['service_level'].value, 1)}%"
    )
    assert (
        shown["Tempo medio di attesa (TMA)"]
        == f"{formatting.number(values['average_wait'].value)} s"
    )


def test_a_survey_tile_shows_n_and_the_interval(demo_store: str, use_store, open_page) -> None:
    engine = use_store(demo_store)
    app = open_page("overview")
    csi = queries.kpi_value(engine=engine, filters=Filters(), scope=EVERYWHERE, kpi="csi")
    low, high = (formatting.number(v, 1) for v in (csi.ci_low, csi.ci_high))
    expected = f"n = {formatting.number(csi.n)} · IC 95% {low} – {high}"
    assert expected in [caption.value for caption in app.caption]


def test_the_root_forwards_to_the_overview_with_the_filters(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("", province=["RA"], period="2024")
    assert app.title[0].value == "Panoramica"
    assert app.caption[0].value.startswith(
        "Dal 01/01/2024 al 31/12/2024; per mese; province: Ravenna"
    )


def test_url_filters_reach_the_tiles(demo_store: str, use_store, open_page) -> None:
    engine = use_store(demo_store)
    app = open_page("overview", province=["RA"], period="2024")
    filters = Filters(period="2024", provinces=("RA",))
    expected = queries.kpi_value(engine=engine, filters=filters, scope=EVERYWHERE, kpi="contacts")
    assert tiles(app)["Contatti"] == formatting.number(expected.value)


def test_what_changed_lists_the_largest_movements(demo_store: str, use_store, open_page) -> None:
    engine = use_store(demo_store)
    app = open_page("overview")
    period = Filters().resolve(queries.latest_day(engine))
    found = largest_movements(
        engine=engine, filters=Filters(), scope=EVERYWHERE, kpis=MOVERS, period=period
    )
    names = queries.dimension_names(engine)["provinces"]
    assert found, "the demo store has movements to show"
    bullets = "\n".join(f"- {movement_sentence(m, names)}" for m in found)
    assert bullets in [block.value for block in app.markdown]


def test_a_bad_url_parameter_is_reported_not_fatal(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("overview", grain="fortnight")
    assert not app.exception
    assert "grain=fortnight" in app.warning[0].value


def test_an_empty_store_says_there_is_no_data(tmp_path: Path, use_store, open_page) -> None:
    engine = use_store(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate.prepare(engine)
    app = open_page("overview")
    assert not app.exception
    assert page_infos(app)[0] == EMPTY_STORE
    assert len(app.metric) == 0


def test_someone_without_provinces_sees_no_data(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", "nobody@example.it")
    app = open_page("overview")
    assert app.title[0].value == "Nessun accesso ai dati"
    assert len(app.metric) == 0


def test_a_manager_cannot_widen_the_view_by_url(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", "romagna@ascolto.example")
    app = open_page("overview", province=["BO"])
    assert "province=BO: non visibile con il tuo profilo" in app.warning[0].value
    romagna = Scope.of("romagna@ascolto.example", ["RA", "FC", "RN"])
    expected = queries.kpi_value(engine=engine, filters=Filters(), scope=romagna, kpi="contacts")
    assert tiles(app)["Contatti"] == formatting.number(expected.value)


def test_the_overview_in_english_names_and_formats_every_tile_in_english(
    demo_store: str, use_store, open_page
) -> None:
    engine = use_store(demo_store)
    app = open_page("overview", lang="en")
    values = queries.kpi_values(engine=engine, filters=Filters(), scope=EVERYWHERE, kpis=TILES)
    shown = tiles(app)
    assert list(shown)[:4] == [
        "Satisfaction index (CSI)",
        "Net Promoter Score (NPS)",
        "Contacts",
        "Service level (LS)",
    ]
    assert shown["Contacts"] == formatting.number(values["contacts"].value, lang="en")
    assert "," in shown["Contacts"] and "." not in shown["Contacts"]
    assert shown["Service level (LS)"] == formatting.percent(values["service_level"].value, 1, "en")
    assert [header.value for header in app.subheader] == ["What changed", "Provinces compared"]


def test_what_changed_speaks_english(demo_store: str, use_store, open_page) -> None:
    engine = use_store(demo_store)
    app = open_page("overview", lang="en")
    period = Filters().resolve(queries.latest_day(engine))
    found = largest_movements(
        engine=engine, filters=Filters(), scope=EVERYWHERE, kpis=MOVERS, period=period
    )
    names = queries.dimension_names(engine)["provinces"]
    bullets = "\n".join(f"- {movement_sentence(m, names, 'en')}" for m in found)
    assert bullets in [block.value for block in app.markdown]
    assert ": from " in bullets


def test_an_import_shows_on_the_next_run_without_a_restart(
    tmp_path: Path, use_store, open_page
) -> None:
    from data_access.importing import import_file

    engine = use_store(f"sqlite:///{tmp_path / 'grows.db'}")
    migrate.prepare(engine)
    app = open_page("overview")
    assert page_infos(app)[0] == EMPTY_STORE
    sample = Path(__file__).resolve().parents[1] / "fixtures" / "samples" / "contacts.csv"
    import_file(engine=engine, kind="contacts", path=sample)
    app.run()
    assert len(app.metric) == len(TILES)


# --- the ranking's indicator lives in the URL --------------------------------------------------


def test_the_ranking_indicator_is_written_to_the_url(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("overview", province=["RA"])
    app.session_state["w_overview_rank"] = "nps"  # what a click on NPS does
    app.run()
    assert app.query_params == {"province": "RA", "rank": "nps"}


def test_a_click_on_a_ranked_province_narrows_the_view_and_keeps_the_indicator(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", province=["BO", "RA"], rank="nps")
    app = click_chart(app, "overview_ranking_0", [{"customdata": "RA"}])
    assert not app.exception
    assert app.query_params == {"province": "RA", "rank": "nps"}
    assert app.multiselect(key="w_province").value == ["RA"]


def test_a_click_on_the_province_already_shown_changes_nothing(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", province=["RA"])
    app = click_chart(app, "overview_ranking_0", [{"customdata": "RA"}])
    assert app.query_params == {"province": "RA"}
    assert app.get("plotly_chart")[0].proto.id.endswith("-overview_ranking_0")


def test_a_shared_link_opens_the_ranking_on_its_indicator(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", rank="average_wait")
    assert app.button_group(key="w_overview_rank").value == "average_wait"
    assert app.query_params == {"rank": "average_wait"}


def test_the_ranking_indicator_survives_a_visit_to_trends(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", rank="nps")
    app._page_hash = calc_hash("trends")  # the menu's link to Andamenti
    app.run()
    assert "rank" not in app.query_params
    app._page_hash = calc_hash("overview")
    app.run()
    assert app.button_group(key="w_overview_rank").value == "nps"
    assert app.query_params == {"rank": "nps"}


def test_an_unknown_ranking_indicator_is_reported(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("overview", rank="happiness")
    assert not app.exception
    assert "Parametro ignorato: rank=happiness: indicatore sconosciuto" in [
        warning.value for warning in app.warning
    ]
    assert "rank" not in app.query_params


def test_another_pages_parameter_is_dropped_from_the_overview_url(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", province=["RA"], kpi="csi")  # e.g. a late write from Andamenti
    assert app.query_params == {"province": "RA"}


def test_a_period_half_past_the_data_is_compared_as_clipped(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", period="custom", **{"from": "2025-10-01", "to": "2026-03-31"})
    said = {metric.proto.delta_description for metric in app.metric} - {""}
    assert said - {"variazione non significativa"} == {"confronto: ott 2024 – dic 2024"}


# --- reply times, filters that do not apply, KPIs without source data -----------------------


def captions(app) -> list[str]:
    return [caption.value for caption in app.caption]


def test_a_provisional_complaint_tile_says_so_with_the_pending_count(
    demo_store: str, use_store, open_page
) -> None:
    engine = use_store(demo_store)
    app = open_page("overview")
    value = queries.kpi_value(
        engine=engine, filters=Filters(), scope=EVERYWHERE, kpi="complaint_reply_30d"
    )
    assert value.provisional and value.pending > 0, "the demo data ends with open complaints"
    pending = formatting.number(value.pending)
    assert f"Provvisorio: {pending} in attesa, entro i 30 giorni" in captions(app)


def test_a_channel_filter_makes_association_reply_time_not_applicable(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", channel=["app"])
    assert tiles(app)["Tempo di risposta alle associazioni"] == "Non applicabile"
    assert "Non dipende dal canale: togli il filtro Canali per vederlo." in captions(app)


def test_a_kpi_without_source_data_says_so_once(tmp_path: Path, use_store, open_page) -> None:
    import reply_store  # contacts and association cases only: no surveys, no adoption

    engine = use_store(f"sqlite:///{tmp_path / 'replies.db'}")
    migrate.prepare(engine)
    reply_store.build(engine)
    app = open_page("overview")
    assert not app.exception
    assert tiles(app)["Indice di soddisfazione (CSI)"] == "Nessun dato"
    reason = "L'archivio non contiene dati per questo indicatore, in nessun periodo."
    assert reason in captions(app)


def test_the_ranking_says_why_a_survey_kpi_has_no_values_under_a_topic_filter(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("overview", topic="bill_info", rank="csi")
    assert not app.exception
    assert (
        "Indice di soddisfazione (CSI) non si può mostrare con questi filtri. "
        "Non dipende dall'argomento: togli il filtro Argomenti per vederlo."
    ) in page_infos(app)


# --- the ranking's exact numbers ---------------------------------------------------------------


def test_the_ranking_has_its_exact_numbers_in_a_table_under_it(small_store: str, open_page) -> None:
    # kpi_store, January and February 2025: Bologna's CSI is (20×60 + 20×80 + 16×80 + 16×90) / 72
    # = 76,7 from 72 answers, sample sd √(8800/71) = 11,13, 95% interval 76,67 ± 1,96 × 11,13/√72
    # = 74,1 – 79,2; Ravenna's 5 answers are too few to show (suppressed, noted)
    app = open_page("overview", **{"from": "2025-01-01", "to": "2025-02-28"})
    assert not app.exception
    table = shown(app.dataframe[0])  # the page's one table
    assert table.to_dict("records") == [
        {"province": "Bologna", "value": "76,7", "n": "72", "ci_low": "74,1", "ci_high": "79,2",
         "note": ""},
        {"province": "Ravenna", "value": "–", "n": "5", "ci_low": "–", "ci_high": "–",
         "note": "meno di 30 risposte"},
    ]  # fmt: skip
