"""Andamenti for a KPI with no source data in the store, or one the view's filters do not
apply to: one sentence saying so, instead of charts and tables full of '–'."""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

from apptest_support import demo_store, open_page, page_infos, use_store  # noqa: F401


def test_line_accessibility_without_line_times_is_said_once(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)  # the demo store has no contact-centre reports with line times
    app = open_page("trends", kpi="line_accessibility")
    assert not app.exception
    assert page_infos(app) == [
        "Accessibilità al servizio (AS): l'archivio non contiene dati di origine per questo "
        "indicatore, in nessuna provincia e in nessun periodo."
    ]
    assert len(app.get("plotly_chart")) == 0
    assert len(app.dataframe) == 0


def test_a_channel_filter_on_association_reply_time_says_it_does_not_apply(
    demo_store: str, use_store, open_page
) -> None:
    use_store(demo_store)
    app = open_page("trends", kpi="association_reply_days", channel=["app"])
    assert not app.exception
    assert page_infos(app) == [
        "Tempo di risposta alle associazioni non si può mostrare con questi filtri. "
        "Non dipende dal canale: togli il filtro Canali per vederlo."
    ]
    assert len(app.dataframe) == 0
