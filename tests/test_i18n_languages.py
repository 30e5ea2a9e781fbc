"""Every language the app offers is complete: a catalogue file, its formats, its language name.

test_i18n.py checks the keys and placeholders of every language against Italian; this file
checks that a language cannot be shipped halfway (a catalogue nobody offers, or an offered
language without the formats the pages use).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from data_access import i18n

LOCALES = Path(__file__).resolve().parents[1] / "locales"


def test_every_catalogue_file_is_an_offered_language_and_back() -> None:
    assert sorted(path.stem for path in LOCALES.glob("*.toml")) == sorted(i18n.LANGUAGES)


def test_italian_is_the_default_and_the_first_language() -> None:
    assert (i18n.DEFAULT, i18n.languages()[0]) == ("it", "it")


@pytest.mark.parametrize("lang", i18n.languages())
def test_every_language_has_its_number_and_date_formats(lang: str) -> None:
    assert i18n.babel_locale(lang).startswith(f"{lang}_")
    formats = (i18n.day_format(lang), i18n.date_input_format(lang), i18n.currency_format(lang))
    assert all(formats)
    assert i18n.format_day(date(2025, 12, 31), lang).count("31") == 1


@pytest.mark.parametrize("lang", i18n.languages())
def test_every_language_names_itself(lang: str) -> None:
    assert i18n.text("language.name", lang).strip()
