"""The two sections drawn on their own through AppTest (the contact-centre page calls them)."""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

from apptest_support import demo_store, page_infos, use_store  # noqa: F401
from streamlit.testing.v1 import AppTest


def _sections(lang: str, provinces: tuple[str, ...], scope_provinces: tuple[str, ...]) -> None:
    """An app drawing both sections for 2023 (the view's provinces; scope: all when empty)."""
    from datetime import date

    from data_access.filters import Filters
    from data_access.periods import Period
    from data_access.scope import Scope
    from ui.view import View
    from ui.waiting import render_waiting, render_when

    scope = Scope.of("t", scope_provinces) if scope_provinces else Scope.all_provinces("t")
    filters = Filters(period="2023", provinces=provinces)
    period = Period(date(2023, 1, 1), date(2023, 12, 31))
    view = View(filters, scope, date(2025, 12, 31), period, {}, lang)
    render_waiting(view)
    render_when(view)


def _run(lang: str = "it", provinces=(), scope=()) -> AppTest:  # noqa: ANN001
    app = AppTest.from_function(_sections, kwargs={
        "lang": lang, "provinces": provinces, "scope_provinces": scope,
    }, default_timeout=60)  # fmt: skip
    return app.run()


def test_both_sections_draw_their_charts_and_tables_on_the_demo(demo_store: str, use_store) -> None:
    use_store(demo_store)
    app = _run()
    assert not app.exception
    assert [h.value for h in app.subheader] == ["Attesa", "Quando chiamano i clienti"]
    assert len(app.get("plotly_chart")) == 4  # bands over time, per province, two heatmaps
    assert len(app.dataframe) == 3


def test_the_sections_speak_english(demo_store: str, use_store) -> None:
    use_store(demo_store)
    app = _run("en")
    assert [h.value for h in app.subheader] == ["Waiting", "When customers call"]


def test_one_province_scope_shows_only_that_province(demo_store: str, use_store) -> None:
    use_store(demo_store)
    app = _run(scope=("RA",))
    assert not app.exception
    by_province = app.dataframe[1].value
    assert by_province["province"].tolist() == ["RA"]


def test_an_empty_store_says_there_is_nothing_to_show(tmp_path, use_store) -> None:  # noqa: ANN001
    from data_access import migrate
    from data_access.db import get_engine

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate.prepare(get_engine(url))
    use_store(url)
    app = _run()
    assert not app.exception
    assert page_infos(app) == [
        "Nessuna chiamata risposta nel periodo e nei filtri scelti.",
        "Nessun contatto registrato uno per uno nel periodo e nei filtri scelti.",
    ]


def test_reports_without_wait_bands_say_so_instead_of_zero(tmp_path, use_store) -> None:  # noqa: ANN001
    from data_access import migrate
    from data_access.db import get_engine
    from data_access.importing import import_file

    url = f"sqlite:///{tmp_path / 'reports.db'}"
    engine = get_engine(url)
    migrate.prepare(engine)
    report = tmp_path / "acd.csv"
    report.write_text(
        "day,area,channel,segment,topic,offered,answered,abandoned,answered_20s,wait_seconds,"
        "handling_seconds\n2023-03-01,RA,phone,household,bill_info,903151,515001,388150,"
        "300000,30900060,154500300\n",
        encoding="utf-8",
    )
    import_file(engine=engine, kind="contact-aggregates", path=report)
    use_store(url)
    app = _run()
    assert not app.exception
    assert page_infos(app)[0].startswith("Nessun dato sulle fasce di attesa per questo periodo")
    assert not app.get("plotly_chart")
