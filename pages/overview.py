"""Overview: the headline KPIs of the period with their change, and contacts over time."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from ui import data
from ui.header import page_header
from ui.tiles import kpi_tile
from ui.view import current_view

HEADLINE = ("csi", "nps", "contacts", "service_level", "average_wait", "abandonment_rate")


def render() -> None:
    """Draw the overview page."""
    view = current_view()
    if not page_header("Panoramica", view):
        return
    values = data.kpi_values(view.filters, view.scope, HEADLINE)
    columns = st.columns(3)
    for index, kpi in enumerate(HEADLINE):
        with columns[index % 3]:
            kpi_tile(values[kpi])

    series = data.kpi_series(view.filters, view.scope, "contacts", ("bucket",))
    if series.empty:
        st.info("Nessun contatto per i filtri scelti.")
        return
    figure = px.line(series, x="bucket", y="value", markers=True)
    figure.update_layout(xaxis_title=None, yaxis_title="Contatti", separators=",.")
    st.subheader("Contatti nel periodo")
    st.plotly_chart(figure, width="stretch")
