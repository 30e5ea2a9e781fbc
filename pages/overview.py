"""Overview: the headline KPIs of the period with their change, and contacts over time."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from ui import data, formatting
from ui.tiles import kpi_tile
from ui.view import current_filters, current_scope

HEADLINE = ("csi", "nps", "contacts", "service_level", "average_wait", "abandonment_rate")


def render() -> None:
    """Draw the overview page."""
    st.title("Panoramica")
    filters, scope = current_filters(), current_scope()
    latest = data.latest_day()
    if latest is None:
        st.info(
            "Il database non contiene ancora dati. Carica un file con "
            "`python -m data_access import` oppure crea i dati dimostrativi con "
            "`python -m data_access demo`."
        )
        return
    period = filters.resolve(latest)
    st.caption(filters.sentence(period, data.names()))
    updated = data.freshness()
    if updated is not None:
        st.caption(f"Ultimo aggiornamento dei dati: {formatting.day(updated.date())}")
    for problem in filters.problems:
        st.warning(f"Parametro ignorato: {problem}")

    values = data.kpi_values(filters, scope, HEADLINE)
    columns = st.columns(3)
    for index, kpi in enumerate(HEADLINE):
        with columns[index % 3]:
            kpi_tile(values[kpi])

    series = data.kpi_series(filters, scope, "contacts", ("bucket",))
    if series.empty:
        st.info("Nessun contatto per i filtri scelti.")
        return
    figure = px.line(series, x="bucket", y="value", markers=True)
    figure.update_layout(xaxis_title=None, yaxis_title="Contatti", separators=",.")
    st.subheader("Contatti nel periodo")
    st.plotly_chart(figure, width="stretch")
