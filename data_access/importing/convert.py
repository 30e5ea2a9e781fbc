"""Vectorised parsing of text columns into typed values; each parser also flags bad values.

Every parser takes a pandas Series of stripped text where "" means "no value" and returns
(values, bad): bad is a numpy bool array marking non-blank text that could not be read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

TRUE_WORDS = ("true", "1")
FALSE_WORDS = ("false", "0")

CANONICAL_DATE_FORMATS: dict[str, tuple[str, ...]] = {
    "date": ("%Y-%m-%d",),
    "datetime": ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"),
    "month": ("%Y-%m", "%Y-%m-%d"),
}
_HUMAN = {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%y": "yy", "%H": "hh", "%M": "mm", "%S": "ss"}


def describe_format(fmt: str) -> str:
    """A strftime format as people write it: %d/%m/%Y -> dd/mm/yyyy."""
    return re.sub(r"%[a-zA-Z]", lambda m: _HUMAN.get(m.group(0), m.group(0)), fmt)


def absent(values: np.ndarray) -> np.ndarray:
    """Which entries of an object array are None (how every parser marks "no value")."""
    return np.asarray(values == None, dtype=bool)  # noqa: E711 - elementwise, not identity


def present(text: pd.Series) -> np.ndarray:
    """Which values are not blank."""
    return (text != "").to_numpy(dtype=bool)


def lookup(text: pd.Series, table: Mapping[str, object]) -> np.ndarray:
    """Each value looked up in table (None when absent), via the few distinct values."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    found = np.array([table.get(u) for u in uniques] + [None], dtype=object)
    return found[codes]  # code -1 (a missing value) picks the trailing None


def parse_bool(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """true/1 -> True, false/0 -> False (any case), blank -> None."""
    words = dict.fromkeys(TRUE_WORDS, True) | dict.fromkeys(FALSE_WORDS, False)
    values = lookup(text.str.lower(), words)
    return values, present(text) & absent(values)


def parse_number(
    text: pd.Series, decimal: str = ".", thousands: str = ""
) -> tuple[np.ndarray, np.ndarray]:
    """Decimal numbers (NaN when blank or bad); decimal and thousands separators as declared."""
    if thousands:
        text = text.str.replace(thousands, "", regex=False)
    if decimal == ",":
        # a point is no decimal separator here: "1.5" in a decimal-comma file is an error
        text = text.where(~text.str.contains(".", regex=False), "x").str.replace(",", ".")
    given = present(text)
    try:
        numbers = text.where(given).astype("float64")
    except (ValueError, TypeError):
        numbers = pd.to_numeric(text.where(given), errors="coerce")
    values = np.array(numbers.to_numpy(dtype=float, na_value=np.nan))
    bad = given & ~np.isfinite(values)
    values[bad] = np.nan
    return values, bad


def parse_int(
    text: pd.Series, decimal: str = ".", thousands: str = ""
) -> tuple[np.ndarray, np.ndarray]:
    """Whole numbers as floats (NaN when blank or bad); 3.0 is accepted, 3.5 is not."""
    values, bad = parse_number(text, decimal, thousands)
    fractional = np.isfinite(values) & (values != np.floor(values))
    values[fractional] = np.nan
    return values, bad | fractional


_CLOCK = {
    "h:mm:ss": re.compile(r"^(\d+):([0-5]\d):([0-5]\d(?:[.,]\d+)?)$"),
    "mm:ss": re.compile(r"^()(\d+):([0-5]\d(?:[.,]\d+)?)$"),
}


def parse_seconds(
    text: pd.Series, fmt: str = "seconds", decimal: str = ".", thousands: str = ""
) -> tuple[np.ndarray, np.ndarray]:
    """Durations in seconds from seconds, minutes, h:mm:ss or mm:ss text."""
    if fmt in ("seconds", "minutes"):
        values, bad = parse_number(text, decimal, thousands)
        return (values * 60 if fmt == "minutes" else values), bad
    parts = text.str.extract(_CLOCK[fmt])
    hours = pd.to_numeric(parts[0].replace("", "0"), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    minutes = pd.to_numeric(parts[1], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    seconds = pd.to_numeric(parts[2].str.replace(",", "."), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    values = hours * 3600 + minutes * 60 + seconds
    return values, present(text) & np.isnan(values)


def parse_datetime(text: pd.Series, formats: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """datetime64 values (NaT when blank or bad); each value takes the first format that fits."""
    given = present(text)
    result = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    todo = given.copy()
    for fmt in formats:
        if not todo.any():
            break
        index = np.flatnonzero(todo)
        parsed = pd.to_datetime(text.iloc[index], format=fmt, errors="coerce")
        parsed = parsed.to_numpy(dtype="datetime64[us]")
        ok = ~np.isnat(parsed)
        result[index[ok]] = parsed[ok]
        todo[index[ok]] = False
    return result, todo


def parse_choice(text: pd.Series, allowed: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Codes looked up case-insensitively in allowed (lower-case text -> stored code)."""
    values = lookup(text.str.lower(), allowed)
    return values, present(text) & absent(values)


def too_long(text: pd.Series, limit: int) -> np.ndarray:
    """Which values are longer than limit characters."""
    return (text.str.len() > limit).to_numpy(dtype=bool)
