"""The channels page through AppTest: sections, references, tables, the mix switch in the URL,
clicks, filters, scope, an empty store and English; each section opened by its link
(?section=), as the page draws one at a time."""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from apptest_support import click_chart, demo_store, open_page, page_infos, shown, use_store  # noqa: F401

from data_access import migrate, queries
from data_access.filters import Filters
from data_access.scope import Scope
from ui import formatting

EVERYONE = Scope.all_provinces("t")
SECTIONS = [
    "online",
    "branches",
    "others",
    "mix",
    "digital",
    "satisfaction",
]  # ?section=, the first the default
CSI = 0  # the satisfaction section's first table


def captions(app) -> list[str]:
    return [caption.value for caption in app.caption]


def online_adoption_of_bo_and_ra(engine) -> pd.DataFrame:
    """What data_access computes for the ranking of a view of Bologna and Ravenna."""
    return queries.kpi_series(
        engine=engine,
        filters=Filters(provinces=("BO", "RA")),
        scope=EVERYONE,
        kpi="online_adoption",
        by=("province",),
    )


def figure(app, index: int) -> dict:
    """The plotly figure the page sent, as JSON."""
    return json.loads(app.get("plotly_chart")[index].proto.spec)


@pytest.mark.parametrize(
    ("section", "header", "figures", "tables"),
    [
        # trend and ranking, their tables and the month each province reached 8%
        ("online", "Adozione dei canali rispetto ai riferimenti", 2, 3),
        ("branches", "Adozione dei canali rispetto ai riferimenti", 2, 2),
        ("others", "Adozione di tutti i canali", 1, 1),
        ("mix", "Mix dei canali nel tempo", 1, 1),
        ("digital", "Quota digitale e contatti per cliente", 2, 2),  # share, per 1,000
        ("satisfaction", "Soddisfazione per canale", 2, 2),  # CSI, NPS
    ],
)
def test_each_section_draws_its_charts_with_a_table_under_every_chart(
    section: str, header: str, figures: int, tables: int, demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels", section=section)
    assert not app.exception
    assert app.title[0].value == "Canali"
    assert [subheader.value for subheader in app.subheader] == [header]
    assert len(app.get("plotly_chart")) == figures
    assert len(app.dataframe) == tables


def test_the_references_name_their_source(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    online = " ".join(captions(open_page("channels")))
    branches = " ".join(captions(open_page("channels", section="branches")))
    assert "Linea tratteggiata: Riferimento Hera ≥ 8,0%." in online
    assert "Linea tratteggiata: Riferimento Hera ≥ 30,0%." in branches


def test_the_ranking_table_shows_what_data_access_computes(
    demo_store: str, use_store, open_page
) -> None:
    engine = use_store(demo_store)
    app = open_page("channels", province=["BO", "RA"])
    expected = online_adoption_of_bo_and_ra(engine)
    table = shown(app.dataframe[1])
    assert table["province"].tolist() == ["Bologna", "Ravenna"]
    assert table["value"].tolist() == [formatting.percent(v) for v in expected["value"]]


def test_the_ranking_is_a_bar_per_province_best_first_against_the_named_reference(
    demo_store: str, use_store, open_page
) -> None:
    engine = use_store(demo_store)
    app = open_page("channels", province=["BO", "RA"])
    expected = online_adoption_of_bo_and_ra(engine).sort_values("value", ascending=False)
    ranking = figure(app, 1)
    (bars,) = ranking["data"]
    assert (bars["type"], bars["orientation"]) == ("bar", "h")
    assert bars["customdata"] == expected["province"].tolist()
    assert bars["text"] == [formatting.percent(v) for v in expected["value"]]
    notes = [note["text"] for note in ranking["layout"]["annotations"]]
    assert "Riferimento Hera ≥ 8,0%" in notes


def test_the_month_each_province_reached_8_percent_is_listed(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels", province=["RA"])
    reached = next(t for t in app.dataframe if "Raggiunto in" in str(t.proto.columns))
    table = shown(reached)
    assert table["province"].tolist() == ["Ravenna"]
    assert table["month"].str.match(r"^[a-z]+ 20\d\d$").all()


def test_the_mix_switch_is_kept_in_the_url(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("channels", section="mix", province=["RA"])
    assert "mix" not in app.query_params  # the default stays out, like the filters'
    assert any(c.startswith("Quota di ogni canale") for c in captions(app))
    app.session_state["w_channels_mix"] = "volume"  # what a click on Volumi does
    app.run()
    assert app.query_params["mix"] == "volume"
    assert any(c.startswith("Contatti per canale in ciascun periodo") for c in captions(app))


def test_a_shared_link_opens_on_volumes(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("channels", section="mix", mix="volume")
    assert not app.exception
    assert any(c.startswith("Contatti per canale in ciascun periodo") for c in captions(app))


def test_an_unknown_mix_is_reported_not_fatal(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("channels", section="mix", mix="pie")
    assert not app.exception
    assert "Parametro ignorato: mix=pie: scelta sconosciuta" in [w.value for w in app.warning]


def test_what_moved_names_the_branches_drop_of_2020(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("channels", section="mix", period="2020", grain="quarter")
    moved = next(m.value for m in app.markdown if m.value.startswith("- "))
    # the demo's branches: 870 contacts in 2019, 534 in 2020
    assert "Sportello: −38,6% di contatti nel 2020 rispetto al 2019 (da 870 a 534)." in moved


def test_without_a_comparison_nothing_is_said_to_have_moved(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels", section="mix", compare="none")
    assert not app.exception
    assert "Scegli un confronto" in " ".join(captions(app))


def test_satisfaction_by_channel_suppresses_small_cells(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels", section="satisfaction")
    csi = shown(app.dataframe[CSI])
    small = csi[csi["n"].map(lambda n: int(n.replace(".", "")) < 30)]
    assert not small.empty
    assert set(small["value"]) == {"–"}
    assert set(small["note"]) == {"meno di 30 risposte"}


def test_a_click_on_a_province_narrows_the_view(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("channels", province=["BO", "RA"])
    app = click_chart(app, "channels_online_adoption_ranking_0", [{"customdata": "RA"}])
    assert not app.exception
    assert app.query_params["province"] == "RA"


def test_a_channel_filter_says_adoption_does_not_depend_on_it(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("channels", channel=["web"])
    assert not app.exception
    infos = page_infos(app)
    assert any("Non dipende dal canale" in info for info in infos)


def test_a_regional_manager_sees_only_their_provinces(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", "romagna@ascolto.example")
    app = open_page("channels")
    assert not app.exception
    ranking = shown(app.dataframe[1])
    assert sorted(ranking["province"]) == ["Forlì-Cesena", "Ravenna", "Rimini"]


def test_one_province_in_scope(
    demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    access = tmp_path / "access.toml"
    access.write_text('[users."ra@x.it"]\nname = "RA"\nprovinces = ["RA"]\n', encoding="utf-8")
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_ACCESS_FILE", str(access))
    monkeypatch.setenv("ASCOLTO_USER", "ra@x.it")
    app = open_page("channels")
    assert not app.exception
    assert shown(app.dataframe[1])["province"].tolist() == ["Ravenna"]


@pytest.mark.parametrize("section", ["mix", "digital", "satisfaction"])
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
    narrowed = shown(open_page("channels", section=section, province="RA").dataframe[0])
    access = tmp_path / "access.toml"
    access.write_text('[users."ravenna@example.it"]\nprovinces = ["RA"]\n', encoding="utf-8")
    monkeypatch.setenv("ASCOLTO_ACCESS_FILE", str(access))
    monkeypatch.setenv("ASCOLTO_USER", "ravenna@example.it")
    app = open_page("channels", section=section)
    assert not app.exception
    assert shown(app.dataframe[0]).values.tolist() == narrowed.values.tolist()
    if section == "digital":  # the province × segment table: the neighbours are out of scope
        assert set(shown(app.dataframe[0])["province"]) == {"Ravenna"}


@pytest.mark.parametrize("section", SECTIONS)
def test_someone_without_provinces_sees_no_data(
    section: str, demo_store: str, use_store, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_store(demo_store)
    monkeypatch.setenv("ASCOLTO_USER", "nobody@example.it")
    app = open_page("channels", section=section)
    assert app.title[0].value == "Nessun accesso ai dati"
    assert not app.get("plotly_chart")
    assert not app.dataframe


@pytest.mark.parametrize("section", SECTIONS)
def test_an_empty_store_says_there_is_no_data(
    section: str, tmp_path: Path, use_store, open_page
) -> None:
    engine = use_store(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate.prepare(engine)
    app = open_page("channels", section=section)
    assert not app.exception
    assert page_infos(app)[0].startswith("Non ci sono ancora dati da mostrare")
    assert not app.get("plotly_chart")


def test_the_page_in_english(demo_store: str, use_store, open_page) -> None:
    use_store(demo_store)
    app = open_page("channels", lang="en", period="2020", section="mix")
    assert not app.exception
    assert app.title[0].value == "Channels"
    assert [header.value for header in app.subheader] == ["Channel mix over time"]
    moved = next(m.value for m in app.markdown if m.value.startswith("- "))
    assert "Branch counter: −38.6% contacts in 2020 against 2019 (870 to 534)." in moved
