"""Numbers, percentages and dates in the reader's locale, through Babel."""

from __future__ import annotations

import math
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

from data_access.filters import Period
from data_access.kpis import Kpi

LOCALE = "it_IT"
MISSING = "–"


def number(value: float | None, decimals: int = 0, locale: str = LOCALE) -> str:
    """1234567 -> '1.234.567'; NaN/None -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale)


def kpi_value(value: float | None, kpi: Kpi, locale: str = LOCALE) -> str:
    """A KPI value with its unit: '92,4%', '38 s', '17,2 giorni', '+41'."""
    text = number(value, kpi.decimals, locale)
    if text == MISSING:
        return text
    suffix = {"percent": "%", "seconds": " s", "days": " gg"}.get(kpi.unit, "")
    if kpi.unit == "nps" and value is not None and value > 0:
        text = "+" + text
    return text + suffix


def change(value: float | None, kpi: Kpi, locale: str = LOCALE) -> str | None:
    """A signed change with its unit ('+1,2 pt' for percentages), or None when unknown."""
    if value is None or math.isnan(value):
        return None
    text = number(abs(value), kpi.decimals, locale)
    unit = {"percent": " pt", "seconds": " s", "days": " gg", "nps": " pt"}.get(kpi.unit, "")
    return ("+" if value >= 0 else "-") + text + unit  # ASCII minus: st.metric reads the sign


def day(value: date, locale: str = LOCALE) -> str:
    """31/12/2025 in Italian."""
    return format_date(value, format="dd/MM/yyyy", locale=locale)


def period(value: Period) -> str:
    """'01/01/2024 – 31/12/2024'."""
    return f"{day(value.start)} – {day(value.end)}"


def short_period(value: Period) -> str:
    """'2024' for a calendar year, else '01/2024–06/2024' (or days when not whole months)."""
    if value.start == date(value.start.year, 1, 1) and value.end == date(value.start.year, 12, 31):
        return str(value.start.year)
    if value.whole_months:
        return f"{value.start:%m/%Y}–{value.end:%m/%Y}"
    return period(value)
