"""KPI tiles: value, change against the comparison, target with its status, sparkline, n and CI."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from data_access.i18n import DEFAULT, text
from data_access.kpis import KPIS
from data_access.models import KpiTarget
from data_access.queries import KpiValue
from data_access.targets import status
from ui import formatting

STATUS_BADGES = {  # colour and icon, so the status never rests on colour alone
    "green": ("green", ":material/check_circle:"),
    "amber": ("orange", ":material/error:"),
    "red": ("red", ":material/cancel:"),
}
TILE_HEIGHT = 250


def _missing(value: float) -> bool:
    return value is None or math.isnan(value)


def target_phrase(target: KpiTarget, unit_value: str, lang: str = DEFAULT) -> str:
    """'Standard ARERA ≥ 80,0%' or 'Obiettivo interno ≥ 70,0'."""
    sign = "≥" if target.direction == "min" else "≤"
    key = f"tile.source.{target.source}"
    source = text(key, lang) if target.source in ("ARERA", "internal") else target.source
    return text("tile.target", lang, source=source, sign=sign, value=unit_value)


def kpi_tile(
    value: KpiValue, target: KpiTarget | None, spark: pd.DataFrame | None, lang: str = DEFAULT
) -> None:
    """Draw one KPI tile; a survey change is called a change only when significant."""
    kpi = KPIS[value.kpi]
    shown = None if _missing(value.value) else value.value
    delta = formatting.change(value.change, kpi, lang)
    delta_color = "normal" if kpi.better == "higher" else "inverse"
    description = None
    if delta is not None and kpi.is_estimate and not value.significant:
        delta_color, description = "off", text("tile.not_significant", lang)
    elif delta is not None and value.comparison_period is not None:
        compared = formatting.short_period(value.comparison_period, lang)
        description = text("tile.versus", lang, period=compared)
    chart = None
    if spark is not None and not spark.empty:
        chart = [v for v in spark["value"].tolist() if not _missing(v)] or None
    with st.container(border=True, height=TILE_HEIGHT):
        st.metric(
            kpi.label(lang),
            formatting.kpi_value(shown, kpi, lang),
            delta=delta,
            delta_color=delta_color,
            delta_description=description,
            help=kpi.help(lang),
            chart_data=chart,
        )
        if kpi.is_estimate:
            n = formatting.number(value.n, 0, lang)
            if value.suppressed:
                st.caption(text("tile.suppressed", lang, n=n))
            elif value.n:
                low, high = (
                    formatting.kpi_value(v, kpi, lang) for v in (value.ci_low, value.ci_high)
                )
                st.caption(text("tile.sample", lang, n=n, low=low, high=high))
        if target is not None:
            threshold = formatting.kpi_value(target.threshold, kpi, lang)
            phrase = target_phrase(target, threshold, lang)
            state = status(shown, target, decimals=kpi.decimals)
            if state is None:
                st.caption(phrase)
            else:
                colour, icon = STATUS_BADGES[state]
                st.badge(phrase, color=colour, icon=icon)
