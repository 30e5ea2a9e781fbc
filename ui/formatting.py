"""Numbers, percentages, money and dates in the reader's language, through Babel.

Every function takes `lang` ('it', 'en'): data_access.i18n maps it to a Babel locale and to the
language's date pattern (31/12/2025 in Italian, 2025-12-31 in English). Numbers are rounded half
up by i18n.shown before Babel sees them (Babel alone rounds half to even), the same rounding
data_access.targets judges a target by; a value that rounds to zero prints without a sign.
"""

from __future__ import annotations

import math
import re
from datetime import date
from functools import cache

from babel.core import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent, parse_pattern

from data_access import i18n
from data_access.kpis import Kpi
from data_access.periods import Period

LANG = i18n.DEFAULT
MISSING = "–"


def _nan(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)


@cache
def _locale(lang: str) -> Locale:
    """lang's Babel Locale, parsed once (a locale name is parsed again on every format call)."""
    return Locale.parse(i18n.babel_locale(lang))


def number(value: float | None, decimals: int = 0, lang: str = LANG) -> str:
    """1234567 -> '1.234.567' ('1,234,567' in English); NaN/None -> '–'; half up, no '-0'."""
    if value is None or _nan(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(i18n.shown(value, decimals), format=pattern, locale=_locale(lang))


@cache
def _percent_pattern(lang: str, decimals: int) -> str:
    """The locale's percent pattern with a fixed number of decimals ('#,##0.0%')."""
    pattern = _locale(lang).percent_formats[None].pattern.split(";")[0]
    fraction = "." + "0" * decimals if decimals else ""
    return re.sub(r"0(?=[^0]*$)", "0" + fraction, pattern, count=1)


def percent(value: float | None, decimals: int = 1, lang: str = LANG) -> str:
    """12.34 (a percentage, not a fraction) -> '12,3%' ('12.3%' in English); half up, no '-0'."""
    if value is None or _nan(value):
        return MISSING
    fraction = i18n.shown(value, decimals).scaleb(-2)  # exact: Babel has nothing left to round
    return format_percent(fraction, format=_percent_pattern(lang, decimals), locale=_locale(lang))


def currency(value: float | None, lang: str = LANG, currency_code: str = "EUR") -> str:
    """1234.5 -> '€ 1.234,50' ('€1,234.50' in English); half up, no '-0'."""
    if value is None or _nan(value):
        return MISSING
    pattern = i18n.currency_format(lang)
    return format_currency(
        i18n.shown(value, parse_pattern(pattern).frac_prec[1]),
        currency_code,
        format=pattern,
        locale=_locale(lang),
        currency_digits=False,
    )


def kpi_value(value: float | None, kpi: Kpi, lang: str = LANG) -> str:
    """A KPI value with its unit: '92,4%', '38 s', '17,2 gg', '+41'."""
    if value is None or _nan(value):
        return MISSING
    if kpi.unit == "percent":
        return percent(value, kpi.decimals, lang)
    text = number(value, kpi.decimals, lang)
    if kpi.unit in ("seconds", "days"):
        return f"{text} {i18n.text(f'unit.{kpi.unit}', lang)}"
    if kpi.unit == "nps" and i18n.shown(value, kpi.decimals) > 0:
        return "+" + text
    return text


def change(value: float | None, kpi: Kpi, lang: str = LANG) -> str | None:
    """A signed change with its unit ('+1,2 p.p.' for percentages), or None when unknown.

    A change that rounds to nothing has no sign ('0,0 p.p.'), never '-0,0' nor '+0,0'.
    """
    if value is None or _nan(value):
        return None
    seen = i18n.shown(value, kpi.decimals)
    text = number(abs(value), kpi.decimals, lang)
    unit = {"percent": "change_percent", "seconds": "seconds", "days": "days", "nps": "points"}
    if kpi.unit in unit:
        text += " " + i18n.text(f"unit.{unit[kpi.unit]}", lang)
    sign = "+" if seen > 0 else "-" if seen < 0 else ""
    return sign + text  # ASCII minus: st.metric reads the sign


def day(value: date, lang: str = LANG) -> str:
    """31/12/2025 in Italian, 2025-12-31 in English."""
    return i18n.format_day(value, lang)


def period(value: Period, lang: str = LANG) -> str:
    """'01/01/2024 – 31/12/2024'."""
    return f"{day(value.start, lang)} – {day(value.end, lang)}"


def short_period(value: Period, lang: str = LANG) -> str:
    """'2024' for a calendar year, 'dic 2024' for one month, else 'gen 2024 – giu 2024' (or
    days when not whole months)."""
    if value.start == date(value.start.year, 1, 1) and value.end == date(value.start.year, 12, 31):
        return str(value.start.year)
    if value.whole_months:
        first, last = (
            format_date(d, "MMM y", locale=_locale(lang)) for d in (value.start, value.end)
        )
        return first if first == last else f"{first} – {last}"
    return period(value, lang)
