"""Formatters round half up, as the target status does, and never print a negative zero."""

from __future__ import annotations

import pytest

from data_access.kpis import KPIS
from ui import formatting

LS = KPIS["service_level"]  # percent, 1 decimal
TMA = KPIS["average_wait"]  # seconds, 0 decimals
NPS = KPIS["nps"]  # signed points, 0 decimals
REPLY_DAYS = KPIS["complaint_reply_days"]  # days, 1 decimal
CES = KPIS["ces"]  # score, 2 decimals


# --- no negative zero -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (-0.04, 1, "it", "0,0"),
        (-0.0, 1, "it", "0,0"),
        (-0.0, 0, "it", "0"),
        (-0.4, 0, "it", "0"),
        (-0.004, 2, "en", "0.00"),
        (-0.4, 0, "en", "0"),
    ],
)
def test_a_number_that_rounds_to_zero_has_no_sign(
    value: float, decimals: int, lang: str, expected: str
) -> None:
    assert formatting.number(value, decimals, lang) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (-0.04, 1, "it", "0,0%"),
        (-0.0, 1, "it", "0,0%"),
        (-0.4, 0, "it", "0%"),
        (-0.04, 1, "en", "0.0%"),
    ],
)
def test_a_percentage_that_rounds_to_zero_has_no_sign(
    value: float, decimals: int, lang: str, expected: str
) -> None:
    assert formatting.percent(value, decimals, lang) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [(-0.004, "it", "€ 0,00"), (-0.0, "it", "€ 0,00"), (-0.004, "en", "€0.00")],
)
def test_an_amount_that_rounds_to_zero_has_no_sign(value: float, lang: str, expected: str) -> None:
    assert formatting.currency(value, lang) == expected


@pytest.mark.parametrize(
    ("value", "kpi", "expected"),
    [
        (-0.04, LS, "0,0%"),
        (-0.0, LS, "0,0%"),
        (-0.4, TMA, "0 s"),
        (-0.04, REPLY_DAYS, "0,0 gg"),
        (-0.004, CES, "0,00"),
        (-0.4, NPS, "0"),  # the tile's "IC 95% -10 – -0" read "-0"
        (-0.0, NPS, "0"),
        (0.4, NPS, "0"),  # nor a plus before a zero
    ],
)
def test_a_kpi_value_that_rounds_to_zero_has_no_sign(value: float, kpi, expected: str) -> None:
    assert formatting.kpi_value(value, kpi, "it") == expected


def test_a_positive_nps_keeps_its_plus_and_a_negative_one_its_minus() -> None:
    assert formatting.kpi_value(0.5, NPS, "it") == "+1"
    assert formatting.kpi_value(-0.5, NPS, "it") == "-1"


@pytest.mark.parametrize(
    ("value", "kpi", "expected"),
    [
        (-0.04, LS, "0,0 p.p."),
        (0.04, LS, "0,0 p.p."),
        (-0.0, LS, "0,0 p.p."),
        (-0.4, TMA, "0 s"),
        (-0.4, NPS, "0 pt"),
        (-0.04, REPLY_DAYS, "0,0 gg"),
    ],
)
def test_a_change_that_rounds_to_zero_has_no_sign(value: float, kpi, expected: str) -> None:
    assert formatting.change(value, kpi, "it") == expected


def test_a_change_keeps_its_sign_when_it_shows_a_digit() -> None:
    assert formatting.change(-0.05, LS, "it") == "-0,1 p.p."
    assert formatting.change(0.05, LS, "it") == "+0,1 p.p."


# --- half up, not Babel's half to even --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(0.125, 2, "0,13"), (2.5, 0, "3"), (180.5, 0, "181"), (69.85, 1, "69,9"), (-2.5, 0, "-3")],
)
def test_a_number_rounds_half_up(value: float, decimals: int, expected: str) -> None:
    assert formatting.number(value, decimals, "it") == expected


def test_a_percentage_rounds_half_up() -> None:
    assert formatting.percent(95.85, 1, "it") == "95,9%"
    assert formatting.percent(12.5, 0, "it") == "13%"


def test_an_amount_rounds_half_up() -> None:
    assert formatting.currency(0.125, "it") == "€ 0,13"


def test_a_change_rounds_half_up() -> None:
    assert formatting.change(-2.5, TMA, "it") == "-3 s"


def test_an_infinite_value_still_prints() -> None:
    assert formatting.number(float("inf"), 1, "it") == "∞"
    assert formatting.percent(float("-inf"), 1, "it") == "-∞%"
