"""KPI tiles: value, change against the comparison period, n and interval for surveys."""

from __future__ import annotations

import math

import streamlit as st

from data_access.kpis import KPIS
from data_access.queries import KpiValue
from ui import formatting


def kpi_tile(value: KpiValue) -> None:
    """Draw one KPI as an st.metric; a survey change is shown only when significant."""
    kpi = KPIS[value.kpi]
    delta = formatting.change(value.change, kpi)
    if kpi.is_estimate and not value.significant:
        delta = None
    help_text = kpi.help
    if kpi.is_estimate and value.n:
        low, high = (formatting.kpi_value(v, kpi) for v in (value.ci_low, value.ci_high))
        help_text += f"\n\nn = {formatting.number(value.n)}; intervallo al 95%: {low} – {high}"
        if value.suppressed:
            help_text += "\n\nMeno di 30 risposte: valore non mostrato."
    st.metric(
        kpi.label,
        formatting.kpi_value(None if math.isnan(value.value) else value.value, kpi),
        delta=delta,
        delta_color="normal" if kpi.better == "higher" else "inverse",
        help=help_text,
        border=True,
    )
