"""KPI tiles: value, change against the comparison, target with its status, sparkline, n and CI.

A time-to-reply value with cases still within their deadline is labelled provisional, with the
pending count; a KPI that does not apply to the view, or has no source data in the store, says
so in words instead of showing a bare '–'.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd
import streamlit as st

from data_access.i18n import DEFAULT, text
from data_access.i18n import shown as shown_value
from data_access.kpis import KPIS, Kpi, not_applicable_text
from data_access.models import KpiTarget
from data_access.queries import KpiValue
from data_access.targets import status
from ui import formatting
from ui.sparkline import sparkline_svg

DeltaColour = Literal["normal", "inverse", "off"]  # the subset of st.metric's we use
BadgeColour = Literal["green", "orange", "red"]  # the subset of st.badge's we use

# colour and icon, so the status never rests on colour alone
STATUS_BADGES: dict[str, tuple[BadgeColour, str]] = {
    "green": ("green", ":material/check_circle:"),
    "amber": ("orange", ":material/error:"),
    "red": ("red", ":material/cancel:"),
}
TILE_HEIGHT = 330  # a sparkline and three lines under it (provisional, n and interval, open)


def _missing(value: float) -> bool:
    return value is None or math.isnan(value)


def target_phrase(target: KpiTarget, unit_value: str, lang: str = DEFAULT) -> str:
    """'Standard ARERA ≥ 80,0%' or 'Obiettivo interno ≥ 70,0'."""
    sign = "≥" if target.direction == "min" else "≤"
    key = f"tile.source.{target.source}"
    source = text(key, lang) if target.source in ("ARERA", "internal") else target.source
    return text("tile.target", lang, source=source, sign=sign, value=unit_value)


def kpi_tile(
    value: KpiValue,
    target: KpiTarget | None,
    spark: pd.DataFrame | None,
    lang: str = DEFAULT,
    *,
    has_data: bool = True,
) -> None:
    """Draw one KPI tile; a change with an interval is called a change only when significant,
    a provisional one is said to be provisional. has_data False: the store holds no source
    data for the KPI at all.
    """
    kpi = KPIS[value.kpi]
    if not has_data or value.not_applicable:
        _unavailable_tile(kpi, value, has_data, lang)
        return
    shown = None if _missing(value.value) else value.value
    delta = formatting.change(value.change, kpi, lang)
    delta_color: DeltaColour = "normal" if kpi.better == "higher" else "inverse"
    delta_arrow: Literal["auto", "off"] = "auto"
    description = None
    if delta is not None and shown_value(value.change, kpi.decimals) == 0:  # no arrow, no colour
        delta_color, delta_arrow = "off", "off"
    if delta is not None and (value.provisional or value.comparison_provisional):
        delta_color, description = "off", text("tile.provisional_change", lang)
    elif delta is not None and kpi.has_interval and not value.significant:
        delta_color, description = "off", text("tile.not_significant", lang)
    elif delta is not None and value.comparison_period is not None:
        compared = formatting.short_period(value.comparison_period, lang)
        description = text("tile.versus", lang, period=compared)
    line = sparkline_values(spark)
    with st.container(border=True, height=TILE_HEIGHT):
        st.metric(
            kpi.label(lang),
            formatting.kpi_value(shown, kpi, lang),
            delta=delta,
            delta_color=delta_color,
            delta_arrow=delta_arrow,
            delta_description=description,
            help=kpi.help(lang),
        )
        if line:
            st.image(sparkline_svg(line), width="stretch")
        for caption in sample_captions(value, lang):
            st.caption(caption)
        if target is not None:
            threshold = formatting.kpi_value(target.threshold, kpi, lang)
            phrase = target_phrase(target, threshold, lang)
            state = status(shown, target, decimals=kpi.decimals)
            if state is None:
                st.caption(phrase)
            else:
                colour, icon = STATUS_BADGES[state]
                st.badge(phrase, color=colour, icon=icon)


def sparkline_values(spark: pd.DataFrame | None) -> list[float]:
    """The tile's line: the buckets' values in order, without missing ones and without
    provisional ones (they can still change)."""
    if spark is None or spark.empty:
        return []
    kept = spark[~spark["provisional"].astype(bool)] if "provisional" in spark else spark
    return [v for v in kept["value"].tolist() if not _missing(v)]


def sample_captions(value: KpiValue, lang: str = DEFAULT) -> list[str]:
    """The lines under a value: 'Provvisorio: 222 in attesa di risposta, entro i 30 giorni',
    n and its interval (or why it is suppressed), the cases a mean of replies leaves out.
    """
    kpi = KPIS[value.kpi]
    n = formatting.number(value.n, 0, lang)
    lines = []
    if _missing(value.value) and not value.suppressed and not value.pending:
        lines.append(text("tile.no_data", lang))  # words, not a bare '–'
    if value.provisional:  # first: the tile's height may hide the last lines
        pending = formatting.number(value.pending, 0, lang)
        lines.append(text(f"tile.provisional.{kpi.family}", lang, pending=pending))
    if value.suppressed:
        key = "tile.suppressed" if kpi.is_estimate else "tile.suppressed_cases"
        lines.append(text(key, lang, n=n))
    elif value.provisional and _missing(value.value):  # most cases still within their deadline
        lines.append(text(f"tile.too_early.{kpi.family}", lang))
    elif value.n and kpi.has_interval:
        low, high = (formatting.kpi_value(v, kpi, lang) for v in (value.ci_low, value.ci_high))
        lines.append(text("tile.sample", lang, n=n, low=low, high=high))
    if kpi.is_censored and kpi.unit == "days" and value.unanswered and not value.suppressed:
        unanswered = formatting.number(value.unanswered, 0, lang)
        lines.append(text("tile.unanswered", lang, n=n, unanswered=unanswered))
    return lines


def _unavailable_tile(kpi: Kpi, value: KpiValue, has_data: bool, lang: str) -> None:
    """A tile saying in words why there is no value: no source data, or not for this view."""
    if has_data:
        shown, reason = (
            text("tile.not_applicable", lang),
            not_applicable_text(value.not_applicable, lang),
        )
    else:
        shown, reason = text("tile.no_source", lang), text("tile.no_source_reason", lang)
    with st.container(border=True, height=TILE_HEIGHT):
        st.metric(kpi.label(lang), shown, help=kpi.help(lang))
        st.caption(reason)
