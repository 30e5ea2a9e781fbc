"""The catalogues: complete in every language, every key the code asks for exists, exact formats."""

from __future__ import annotations

import csv
import re
import string
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from data_access import i18n
from data_access.filters import COMPARISONS, GRAINS, PRESETS
from data_access.kpis import KPIS
from data_access.periods import Period
from ui import charts, formatting
from ui.navigation import specs

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "fixtures" / "reference"
LS = KPIS["service_level"]
TMA = KPIS["average_wait"]
REPLY_DAYS = KPIS["complaint_reply_days"]


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def codes(file_name: str) -> list[str]:
    with (REFERENCE / file_name).open(encoding="utf-8", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


# --- the catalogues ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", i18n.languages())
def test_every_language_has_exactly_the_italian_keys(lang: str) -> None:
    italian, other = set(i18n.catalogue("it")), set(i18n.catalogue(lang))
    assert sorted(italian - other) == [], f"missing in {lang}.toml"
    assert sorted(other - italian) == [], f"in {lang}.toml but not in it.toml"


@pytest.mark.parametrize("lang", i18n.languages())
def test_every_key_has_the_same_placeholders_in_every_language(lang: str) -> None:
    italian, other = i18n.catalogue("it"), i18n.catalogue(lang)
    differ = {
        key: (placeholders(italian[key]), placeholders(other[key]))
        for key in italian.keys() & other.keys()
        if placeholders(italian[key]) != placeholders(other[key])
    }
    assert differ == {}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_value_is_empty(lang: str) -> None:
    assert [key for key, value in i18n.catalogue(lang).items() if not value.strip()] == []


def test_every_key_the_code_names_literally_exists() -> None:
    """text("a.b", ...) anywhere in the app, and the charts' _text("x") meaning "chart.x"."""
    sources = [ROOT / "dashboard.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]
    sources += [ROOT / "data_access" / name for name in ("filters.py", "kpis.py", "i18n.py")]
    used: set[str] = set()
    for path in sources:
        code = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\btext\(\s*"([a-z0-9_.\-]+)"', code))
        used |= set(re.findall(r'"(soon\.[a-z_]+\.[a-z_]+)"', code))
        if path.name == "charts.py":
            used |= {f"chart.{key}" for key in re.findall(r'_text\(\s*"([a-z_]+)"', code)}
    assert len(used) > 40
    for lang in i18n.LANGUAGES:
        assert sorted(used - set(i18n.catalogue(lang))) == [], lang


def test_a_placeholder_list_is_kept_only_while_its_page_draws_it() -> None:
    """Each "soon.<page>.<item>" is named by a page under pages/; a built page takes its list."""
    named = set()
    for path in (ROOT / "pages").glob("*.py"):
        named |= set(re.findall(r'"(soon\.[a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    for lang in i18n.LANGUAGES:
        lists = {key for key in i18n.catalogue(lang) if key.count(".") == 2 and key[:5] == "soon."}
        assert sorted(lists - named) == [], lang


def test_every_key_the_code_builds_from_codes_exists() -> None:
    """Keys built from KPI, reference-data, grain, period, comparison and page codes."""
    wanted = [f"kpi.{code}.{part}" for code in KPIS for part in ("label", "help")]
    wanted += [f"channel.{code}" for code in codes("channels.csv")]
    wanted += [f"segment.{code}" for code in codes("segments.csv")]
    wanted += [f"topic.{code}" for code in codes("topics.csv")]
    for grain in GRAINS:
        wanted += [f"filters.grains.{grain}", f"sentence.grains.{grain}"]
        wanted += [f"trends.one_bucket.{grain}"]
    wanted += [f"filters.periods.{preset}" for preset in (*PRESETS, "year")]
    wanted += [f"filters.comparisons.{compare}" for compare in COMPARISONS]
    wanted += [f"sentence.compared.{compare}" for compare in COMPARISONS if compare != "none"]
    wanted += [f"unit.{unit}" for unit in ("seconds", "days", "change_percent", "points")]
    for lang in i18n.LANGUAGES:
        assert [key for key in wanted if key not in i18n.catalogue(lang)] == [], lang


def test_every_page_and_section_has_a_title_in_each_language() -> None:
    assert {section: [p.title for p in pages] for section, pages in specs("en").items()} == {
        "Summary": ["Overview", "Trends"],
        "Analysis": ["Channels", "Contact centre", "Satisfaction", "Associations"],
        "Data": ["Export"],
    }
    assert list(specs("it")) == ["Sintesi", "Approfondimenti", "Dati"]


def test_text_fills_placeholders() -> None:
    assert i18n.text("trends.over_time", "en", kpi="Service level (LS)") == (
        "Service level (LS): trend"
    )


def test_an_unknown_key_is_an_error_not_a_silent_blank() -> None:
    with pytest.raises(KeyError):
        i18n.text("no.such.key", "it")


def test_reference_labels_are_translated_by_code() -> None:
    names = {
        "provinces": {"FC": "Forlì-Cesena"},
        "channels": {"branch": "Sportello", "fax": "Fax"},
        "topics": {"social_bonus": "Bonus sociale"},
    }
    assert i18n.localised_names(names, "en") == {
        "provinces": {"FC": "Forlì-Cesena"},  # a proper name stays as the store has it
        "channels": {"branch": "Branch counter", "fax": "Fax"},  # no entry: the store's label
        "topics": {"social_bonus": "Social bonus"},
    }


def test_a_registered_language_is_offered_and_formats_like_its_model() -> None:
    i18n.register("xx", {"language.name": "Pseudo"}, like="en")
    try:
        assert i18n.languages() == ("it", "en", "xx")
        assert i18n.babel_locale("xx") == "en_GB"
        assert i18n.format_day(date(2025, 12, 31), "xx") == "2025-12-31"
    finally:
        i18n.unregister("xx")
    assert i18n.languages() == ("it", "en")


# --- exact formats ----------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "expected"), [("it", "1.234.567"), ("en", "1,234,567")])
def test_a_count(lang: str, expected: str) -> None:
    assert formatting.number(1234567, lang=lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [("it", "12,3%"), ("en", "12.3%")])
def test_a_percentage(lang: str, expected: str) -> None:
    assert formatting.percent(12.34, 1, lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [("it", "31/12/2025"), ("en", "2025-12-31")])
def test_a_day(lang: str, expected: str) -> None:
    assert formatting.day(date(2025, 12, 31), lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [("it", "€ 1.234,50"), ("en", "€1,234.50")])
def test_an_amount_in_euro(lang: str, expected: str) -> None:
    assert formatting.currency(1234.5, lang) == expected


@pytest.mark.parametrize(
    ("kpi", "value", "lang", "expected"),
    [
        (LS, 92.44, "it", "92,4%"),
        (LS, 92.44, "en", "92.4%"),
        (TMA, 1234.4, "it", "1.234 s"),
        (TMA, 1234.4, "en", "1,234 s"),
        (REPLY_DAYS, 17.25, "it", "17,3 gg"),  # half up, as targets judge it
        (REPLY_DAYS, 17.25, "en", "17.3 d"),
    ],
)
def test_a_kpi_value_with_its_unit(kpi, value: float, lang: str, expected: str) -> None:
    assert formatting.kpi_value(value, kpi, lang) == expected


@pytest.mark.parametrize(("lang", "expected"), [("it", "-3,8 p.p."), ("en", "-3.8 pp")])
def test_a_change_in_percentage_points(lang: str, expected: str) -> None:
    assert formatting.change(-3.8, LS, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("it", "01/01/2024 – 31/12/2024"), ("en", "2024-01-01 – 2024-12-31")],
)
def test_a_period(lang: str, expected: str) -> None:
    assert formatting.period(Period(date(2024, 1, 1), date(2024, 12, 31)), lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"), [("it", "gen 2024 – giu 2024"), ("en", "Jan 2024 – Jun 2024")]
)
def test_a_run_of_whole_months(lang: str, expected: str) -> None:
    period = Period(date(2024, 1, 1), date(2024, 6, 30))
    assert formatting.short_period(period, lang) == expected


@pytest.mark.parametrize(
    ("grain", "long", "expected"),
    [
        ("week", False, "6 Jan 2025"),
        ("week", True, "week of 6 Jan 2025"),
        ("month", False, "Jan 2025"),
        ("month", True, "January 2025"),
        ("quarter", False, "Q1 2025"),
        ("quarter", True, "1st quarter 2025"),
    ],
)
def test_bucket_labels_in_english(grain: str, long: bool, expected: str) -> None:
    assert charts.bucket_label(date(2025, 1, 6), grain, "en", long=long) == expected


def test_a_change_that_rounds_to_nothing_reads_zero_without_a_sign() -> None:
    assert formatting.change(-0.04, LS, "it") == "0,0 p.p."


@pytest.mark.parametrize(("lang", "expected"), [("it", "dic 2024"), ("en", "Dec 2024")])
def test_a_single_whole_month_is_named_once(lang: str, expected: str) -> None:
    period = Period(date(2024, 12, 1), date(2024, 12, 31))
    assert formatting.short_period(period, lang) == expected


@pytest.mark.parametrize(
    ("value", "bound", "decimals", "expected"),
    [
        (7.95, 8.0, 1, True),  # shows 8,0: half up
        (7.949999, 8.0, 1, False),
        (7.95, 8.0, 0, True),  # shows 8
        (7.5, 8.0, 0, True),  # 7,5 half up is 8
        (7.4999999, 8.0, 0, False),
        (69.85, 69.9, 1, True),  # the float is 69.8499…, but it reads 69,85: half up 69,9
        (-7.95, -8.0, 1, True),
        (-8.05, -8.0, 1, False),  # -8,05 half up (away from zero) shows -8,1
        (float("nan"), 8.0, 1, False),
    ],
)
def test_read_at_least_judges_each_value_as_it_is_shown(
    value: float, bound: float, decimals: int, expected: bool
) -> None:
    assert i18n.read_at_least(np.array([value]), bound, decimals).tolist() == [expected]
