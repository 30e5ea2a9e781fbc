"""The words of the product in each language: locales/<lang>.toml read into flat dotted keys.

A catalogue is a TOML file; tables are sections, so `[kpi.service_level]` with `label = "..."`
is the key "kpi.service_level.label". Values are str.format templates ("{value}"). Italian is
the default and the reference: every language has exactly its keys and placeholders (a test
checks). Formats that are not words (Babel locale, date patterns) are per language here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np
from babel.dates import format_date

from data_access.dimensions import DIMENSIONS

LANGUAGES = ("it", "en")  # the shipped catalogues; the first is the default
DEFAULT = LANGUAGES[0]
CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "locales"
BABEL_LOCALES = {"it": "it_IT", "en": "en_GB"}
DAY_FORMATS = {"it": "dd/MM/yyyy", "en": "yyyy-MM-dd"}  # 31/12/2025, ISO 2025-12-31
DATE_INPUT_FORMATS = {"it": "DD/MM/YYYY", "en": "YYYY-MM-DD"}  # st.date_input's format names
CURRENCY_FORMATS = {"it": "¤ #,##0.00", "en": "¤#,##0.00"}  # € 1.234,50 / €1,234.50
# Filters field -> catalogue prefix of its translated names (provinces and areas have none)
NAME_PREFIXES = {d.attr: d.name_key for d in DIMENSIONS if d.name_key is not None}

_extra: dict[str, tuple[dict[str, str], str]] = {}  # registered languages: entries, like


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested TOML tables as one level of dotted keys ({'a': {'b': 'x'}} -> {'a.b': 'x'})."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def _shipped(lang: str) -> dict[str, str]:
    path = CATALOGUE_DIR / f"{lang}.toml"
    return flatten(tomllib.loads(path.read_text(encoding="utf-8")))


def catalogue(lang: str) -> dict[str, str]:
    """Every key of a language (a shipped or a registered one) with its template."""
    if lang in _extra:
        return _extra[lang][0]
    if lang in LANGUAGES:
        return _shipped(lang)
    raise KeyError(f"unknown language {lang!r}")


def register(lang: str, entries: Mapping[str, str], *, like: str = DEFAULT) -> None:
    """Add a language at run time (e.g. a test's pseudo-language), formatted like `like`."""
    _extra[lang] = (dict(entries), like)


def unregister(lang: str) -> None:
    """Forget a language added with register."""
    _extra.pop(lang, None)


def languages() -> tuple[str, ...]:
    """The languages a person may choose: the shipped ones, then any registered."""
    return (*LANGUAGES, *(lang for lang in _extra if lang not in LANGUAGES))


def known(lang: str | None) -> TypeGuard[str]:
    """True when lang names a language with a catalogue."""
    return lang is not None and lang in languages()


def _base(lang: str) -> str:
    """The shipped language whose formats lang uses."""
    return _extra[lang][1] if lang in _extra else (lang if lang in LANGUAGES else DEFAULT)


def text(key: str, lang: str = DEFAULT, /, **values: object) -> str:
    """The text of key in lang with its {placeholders} filled; KeyError when the key is unknown."""
    template = catalogue(lang)[key]
    return template.format(**values) if values else template


def babel_locale(lang: str = DEFAULT) -> str:
    """The Babel locale formatting numbers and dates for lang ('it' -> 'it_IT')."""
    return BABEL_LOCALES[_base(lang)]


def day_format(lang: str = DEFAULT) -> str:
    """The CLDR pattern of a day in lang ('dd/MM/yyyy', 'yyyy-MM-dd')."""
    return DAY_FORMATS[_base(lang)]


def date_input_format(lang: str = DEFAULT) -> str:
    """st.date_input's format for lang ('DD/MM/YYYY', 'YYYY-MM-DD')."""
    return DATE_INPUT_FORMATS[_base(lang)]


def currency_format(lang: str = DEFAULT) -> str:
    """The CLDR currency pattern for lang."""
    return CURRENCY_FORMATS[_base(lang)]


def shown(value: float, decimals: int) -> Decimal:
    """value as a reader sees it with `decimals` places: half up, never a negative zero.

    Rounds the shortest decimal form of the float (str(69.85) is '69.85', as Babel reads it),
    ties away from zero (180.5 -> 181; Babel alone would round half to even, 180). ui.formatting
    prints this value and data_access.targets judges it, so the text and the status agree.
    """
    exact = Decimal(str(float(value)))
    if not exact.is_finite():
        return exact  # ±∞ (Babel prints "∞") and NaN have nothing to round
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def read_at_least(values: np.ndarray, bound: float, decimals: int) -> np.ndarray:
    """For each value, whether it reads at or above bound with `decimals` places (shown(value)
    >= shown(bound)), without a Decimal per value: rounding never decreases, so only values
    within a hair of the rounding edge below the shown bound need shown's exact reading.
    NaN reads as False.
    """
    values = np.asarray(values, dtype="float64")
    mark = shown(bound, decimals)
    edge = float(mark) - 0.5 * 10.0**-decimals
    result = values >= edge
    near = np.flatnonzero(np.abs(values - edge) <= 1e-9 * np.maximum(1.0, np.abs(values)))
    for index in near:
        result[index] = shown(float(values[index]), decimals) >= mark
    return result


def format_day(value: date, lang: str = DEFAULT) -> str:
    """A day: 31/12/2025 in Italian, 2025-12-31 in English."""
    return format_date(value, format=day_format(lang), locale=babel_locale(lang))


def localised_names(
    names: Mapping[str, Mapping[str, str]], lang: str = DEFAULT
) -> dict[str, dict[str, str]]:
    """Display names with channels, segments and topics in lang (keys like 'channel.web').

    Provinces and areas are proper names and stay as the store has them; a code without a
    catalogue entry keeps the store's label.
    """
    words = catalogue(lang)
    localised: dict[str, dict[str, str]] = {}
    for attr, lookup in names.items():
        prefix = NAME_PREFIXES.get(attr)
        localised[attr] = {
            code: words.get(f"{prefix}.{code}", label) if prefix else label
            for code, label in lookup.items()
        }
    return localised
