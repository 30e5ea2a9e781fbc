"""Filters: the URL round trip, periods counted back from the latest data, words and problems."""

from __future__ import annotations

import dataclasses
from datetime import date

import kpi_store
import pytest
from sqlalchemy import Column, Date, MetaData, String, Table
from sqlalchemy.engine import Engine

from data_access import queries
from data_access.dimensions import ATTRS, DIMENSIONS
from data_access.filters import Filters, MissingDimension, Window
from data_access.i18n import LANGUAGES, catalogue, localised_names
from data_access.periods import Period

RICH = Filters(
    period="custom",
    start=date(2024, 3, 1),
    end=date(2025, 2, 20),
    grain="week",
    provinces=("BO", "RA"),
    areas=("IMOLA",),
    channels=("app", "phone"),
    segments=("household",),
    topics=("bill_info", "outages"),
    compare="previous",
)


@pytest.fixture
def latest(engine: Engine) -> date:
    kpi_store.build(engine)
    return queries.latest_day(engine)


# --- URL round trip ---------------------------------------------------------------------------


def test_a_rich_view_survives_the_url_round_trip() -> None:
    assert Filters.from_query(RICH.to_query()) == RICH


def test_a_rich_view_reads_as_a_query_string() -> None:
    assert RICH.to_query_string() == (
        "period=custom&from=2024-03-01&to=2025-02-20&grain=week&province=BO&province=RA"
        "&area=IMOLA&channel=app&channel=phone&segment=household&topic=bill_info&topic=outages"
        "&compare=previous"
    )


def test_the_default_view_has_an_empty_query() -> None:
    assert Filters().to_query() == {}
    assert Filters.from_query({}) == Filters()


def test_comma_lists_and_lower_case_sigle_are_read() -> None:
    filters = Filters.from_query({"province": "ra,bo", "channel": ["web", "app,web"]})
    assert (filters.provinces, filters.channels) == (("BO", "RA"), ("app", "web"))


def test_a_calendar_year_is_a_period() -> None:
    assert Filters.from_query({"period": "2024"}).period == "2024"


# --- bad parameters ---------------------------------------------------------------------------


def test_bad_parameters_fall_back_to_defaults_and_are_listed() -> None:
    filters = Filters.from_query(
        {"period": "forever", "grain": "hour", "compare": "yesterday", "from": "31/12/2024"}
    )
    assert (filters.period, filters.grain, filters.compare) == ("12m", "month", "last-year")
    assert [problem.text() for problem in filters.problems] == [
        "from=31/12/2024: data non valida (atteso AAAA-MM-GG)",
        "period=forever: periodo sconosciuto",
        "grain=hour: dettaglio sconosciuto",
        "compare=yesterday: confronto sconosciuto",
    ]


def test_bad_parameters_are_listed_in_english_too() -> None:
    filters = Filters.from_query(
        {"period": "forever", "grain": "hour", "compare": "yesterday", "from": "31/12/2024"}
    )
    assert [problem.text("en") for problem in filters.problems] == [
        "from=31/12/2024: not a date (expected YYYY-MM-DD)",
        "period=forever: unknown period",
        "grain=hour: unknown grain",
        "compare=yesterday: unknown comparison",
    ]


def test_swapped_dates_are_put_right_and_listed() -> None:
    filters = Filters.from_query({"from": "2025-02-01", "to": "2025-01-01"})
    assert (filters.start, filters.end) == (date(2025, 1, 1), date(2025, 2, 1))
    assert [problem.text() for problem in filters.problems] == [
        "from=2025-02-01 è dopo to=2025-01-01: date scambiate"
    ]


# --- relative periods count back from the latest data -----------------------------------------


def test_last_12_months_end_on_the_latest_data_day(latest: date) -> None:
    assert Filters(period="12m").resolve(latest) == Period(date(2024, 3, 1), date(2025, 2, 20))


def test_year_to_date_ends_on_the_latest_data_day(latest: date) -> None:
    assert Filters(period="ytd").resolve(latest) == Period(date(2025, 1, 1), date(2025, 2, 20))


def test_a_calendar_year_is_the_whole_year(latest: date) -> None:
    assert Filters(period="2024").resolve(latest) == Period(date(2024, 1, 1), date(2024, 12, 31))


def test_a_custom_period_without_an_end_ends_on_the_latest_data_day(latest: date) -> None:
    filters = Filters(period="custom", start=date(2025, 1, 15))
    assert filters.resolve(latest) == Period(date(2025, 1, 15), date(2025, 2, 20))


def test_a_relative_period_of_an_empty_store_is_none(engine: Engine) -> None:
    assert Filters(period="12m").resolve(queries.latest_day(engine)) is None


# --- comparison periods -----------------------------------------------------------------------


def test_last_year_is_the_same_days_a_year_before() -> None:
    period = Period(date(2024, 3, 1), date(2025, 2, 20))
    compared = Filters(compare="last-year").comparison(period)
    assert compared == Period(date(2023, 3, 1), date(2024, 2, 20))


def test_the_previous_period_of_whole_months_is_the_months_before() -> None:
    period = Period(date(2025, 2, 1), date(2025, 2, 28))
    compared = Filters(compare="previous").comparison(period)
    assert compared == Period(date(2025, 1, 1), date(2025, 1, 31))


def test_the_previous_period_of_part_months_has_as_many_days() -> None:
    # 1 January – 20 February 2025 is 51 days; the 51 days before end on 31 December 2024
    period = Period(date(2025, 1, 1), date(2025, 2, 20))
    compared = Filters(compare="previous").comparison(period)
    assert compared == Period(date(2024, 11, 11), date(2024, 12, 31))


def test_no_comparison_gives_none() -> None:
    assert Filters(compare="none").comparison(Period(date(2025, 1, 1), date(2025, 1, 31))) is None


# --- the sentence -----------------------------------------------------------------------------


def test_the_sentence_names_period_grain_selections_and_comparison(engine: Engine) -> None:
    filters = Filters(
        period="2024",
        grain="quarter",
        provinces=("BO", "RA"),
        channels=("web",),
        compare="previous",
    )
    sentence = filters.sentence(
        Period(date(2024, 1, 1), date(2024, 12, 31)), queries.dimension_names(engine)
    )
    assert sentence == (
        "Dal 01/01/2024 al 31/12/2024; per trimestre; province: Bologna, Ravenna; "
        "canali: Area clienti online; "
        "confronto con periodo precedente (dal 01/01/2023 al 31/12/2023)."
    )


def test_the_default_sentence_says_all_visible_provinces() -> None:
    sentence = Filters().sentence(Period(date(2024, 3, 1), date(2025, 2, 20)))
    assert sentence == (
        "Ultimi 12 mesi: dal 01/03/2024 al 20/02/2025, perché i dati arrivano al 20/02/2025; "
        "per mese; tutte le province visibili; "
        "confronto con stesso periodo dell'anno prima (dal 01/03/2023 al 20/02/2024)."
    )


def test_the_sentence_of_an_empty_store() -> None:
    assert Filters().sentence(None) == "Nessun dato nel periodo scelto."


def test_the_sentence_in_english_names_the_same_view_with_iso_dates(engine: Engine) -> None:
    filters = Filters(
        period="2024",
        grain="quarter",
        provinces=("BO", "RA"),
        channels=("web",),
        compare="previous",
    )
    names = localised_names(queries.dimension_names(engine), "en")
    sentence = filters.sentence(Period(date(2024, 1, 1), date(2024, 12, 31)), names, "en")
    assert sentence == (
        "From 2024-01-01 to 2024-12-31; by quarter; provinces: Bologna, Ravenna; "
        "channels: Online customer area; "
        "compared with the previous period (from 2023-01-01 to 2023-12-31)."
    )


def test_the_default_sentence_in_english() -> None:
    sentence = Filters().sentence(Period(date(2024, 3, 1), date(2025, 2, 20)), lang="en")
    assert sentence == (
        "Last 12 months: from 2024-03-01 to 2025-02-20, as the data run to 2025-02-20; "
        "by month; all visible provinces; "
        "compared with the same period last year (from 2023-03-01 to 2024-02-20)."
    )


def test_the_sentence_of_an_empty_store_in_english() -> None:
    assert Filters().sentence(None, lang="en") == "No data in the chosen period."


def test_year_to_date_says_it_ends_where_the_data_end() -> None:
    # data ending on 31/12 make "year to date", "last 12 months" and "year 2025" the same days
    sentence = Filters(period="ytd").sentence(Period(date(2025, 1, 1), date(2025, 12, 31)))
    assert sentence.startswith(
        "Da inizio anno: dal 01/01/2025 al 31/12/2025, perché i dati arrivano al 31/12/2025; "
    )


# --- the period in the store's data window ------------------------------------------------------

DEMO = Window(date(2019, 1, 1), date(2025, 12, 31))


def fit(**query: str):  # a Fitted
    """The view of a URL's parameters fitted to the demo store's data window."""
    return Filters.from_query(query).fit(DEMO)


def notes(fitted, lang: str = "it") -> list[str]:
    return [note.text(lang) for note in fitted.notes]


def test_a_period_inside_the_data_is_shown_as_asked_without_notes() -> None:
    fitted = fit(period="2024")
    assert (fitted.period, fitted.notes, fitted.offer) == (
        Period(date(2024, 1, 1), date(2024, 12, 31)),
        (),
        None,
    )


def test_a_custom_range_past_the_data_is_kept_and_the_data_window_offered() -> None:
    fitted = fit(period="custom", **{"from": "2026-01-01", "to": "2026-03-31"})
    assert fitted.period == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert notes(fitted) == [
        "Nessun dato dal 01/01/2026 al 31/03/2026: i dati vanno dal 01/01/2019 al 31/12/2025."
    ]
    assert fitted.offer == Period(date(2019, 1, 1), date(2025, 12, 31))


def test_a_range_past_the_data_is_said_in_english_too() -> None:
    fitted = fit(period="custom", **{"from": "2026-01-01", "to": "2026-03-31"})
    assert notes(fitted, "en") == [
        "No data from 2026-01-01 to 2026-03-31: the data run from 2019-01-01 to 2025-12-31."
    ]


def test_a_year_before_the_data_is_kept_and_said_to_have_none() -> None:
    fitted = fit(period="1899")
    assert fitted.period == Period(date(1899, 1, 1), date(1899, 12, 31))
    assert notes(fitted) == [
        "Nessun dato dal 01/01/1899 al 31/12/1899: i dati vanno dal 01/01/2019 al 31/12/2025."
    ]


def test_a_range_half_past_the_data_is_clipped_to_them_and_said() -> None:
    fitted = fit(period="custom", **{"from": "2025-10-01", "to": "2026-03-31"})
    assert fitted.period == Period(date(2025, 10, 1), date(2025, 12, 31))
    assert notes(fitted) == [
        "I dati vanno dal 01/01/2019 al 31/12/2025: del periodo chiesto (dal 01/10/2025 al "
        "31/03/2026) è mostrata la parte con dati, dal 01/10/2025 al 31/12/2025."
    ]
    assert fitted.offer is None


def test_a_range_half_before_the_data_is_clipped_to_them() -> None:
    fitted = fit(period="custom", **{"from": "2018-07-01", "to": "2019-06-30"})
    assert fitted.period == Period(date(2019, 1, 1), date(2019, 6, 30))


def test_a_custom_range_with_only_a_start_runs_to_the_latest_data_and_says_so() -> None:
    fitted = fit(period="custom", **{"from": "2025-06-01"})
    assert fitted.period == Period(date(2025, 6, 1), date(2025, 12, 31))
    assert notes(fitted) == [
        "Manca la data di fine: il periodo arriva all'ultimo giorno con dati "
        "(dal 01/06/2025 al 31/12/2025)."
    ]


def test_a_custom_range_with_only_an_end_is_the_12_months_to_it_and_says_so() -> None:
    fitted = fit(to="2025-06-30")
    assert fitted.period == Period(date(2024, 7, 1), date(2025, 6, 30))
    assert notes(fitted) == [
        "Manca la data di inizio: sono mostrati i 12 mesi fino alla data di fine "
        "(dal 01/07/2024 al 30/06/2025)."
    ]


def test_a_custom_period_without_dates_says_it_shows_the_last_12_months() -> None:
    fitted = fit(period="custom")
    assert fitted.period == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert notes(fitted) == [
        "Periodo personalizzato senza date: sono mostrati gli ultimi 12 mesi con dati "
        "(dal 01/01/2025 al 31/12/2025). Scegli la data di inizio e quella di fine."
    ]


def test_a_bad_date_is_listed_and_the_other_date_still_used() -> None:
    filters = Filters.from_query({"period": "custom", "from": "2025-13-01", "to": "2025-06-30"})
    assert [problem.text() for problem in filters.problems] == [
        "from=2025-13-01: data non valida (atteso AAAA-MM-GG)"
    ]
    assert filters.fit(DEMO).period == Period(date(2024, 7, 1), date(2025, 6, 30))


def test_year_zero_is_not_a_period() -> None:
    filters = Filters.from_query({"period": "0000"})
    assert filters.period == "12m"
    assert [problem.text() for problem in filters.problems] == ["period=0000: periodo sconosciuto"]


def test_a_comparison_before_year_one_is_none_not_an_error() -> None:
    period = Filters(period="0001").resolve(None)
    assert Filters(period="0001", compare="last-year").comparison(period) is None


def test_a_period_asked_of_an_empty_store_is_kept_and_said_to_have_no_data() -> None:
    fitted = Filters(period="2024").fit(None)
    assert fitted.period == Period(date(2024, 1, 1), date(2024, 12, 31))
    assert notes(fitted) == ["Il periodo chiesto (dal 01/01/2024 al 31/12/2024) non ha dati."]


def test_the_default_view_of_an_empty_store_has_no_period_and_no_note() -> None:
    fitted = Filters().fit(None)
    assert (fitted.period, fitted.notes) == (None, ())


# --- SQL conditions ---------------------------------------------------------------------------

CONTACTS_LIKE = Table(  # an aggregate with every dimension's column
    "contacts_like",
    MetaData(),
    Column("day", Date),
    *(Column(dimension.column, String) for dimension in DIMENSIONS),
)
NO_TOPIC = Table(  # like the survey aggregates: no topic column
    "no_topic", MetaData(), Column("day", Date), Column("channel_code", String)
)


def sql(conditions: list) -> list[str]:
    return [str(c.compile(compile_kwargs={"literal_binds": True})) for c in conditions]


def test_conditions_narrow_on_each_selected_dimension_and_the_period() -> None:
    filters = Filters(areas=("IMOLA",), channels=("app", "web"), topics=("outages",))
    period = Period(date(2025, 1, 1), date(2025, 1, 31))
    conditions = filters.conditions(CONTACTS_LIKE, period=period, province_codes=frozenset({"037"}))
    assert sql(conditions) == [
        "contacts_like.day >= '2025-01-01'",
        "contacts_like.day <= '2025-01-31'",
        "contacts_like.province_code IN ('037')",
        "contacts_like.area_code IN ('IMOLA')",
        "contacts_like.channel_code IN ('app', 'web')",
        "contacts_like.topic_code IN ('outages')",
    ]


def test_a_table_lacking_a_selected_dimensions_column_is_an_error() -> None:
    filters = Filters(channels=("web",), topics=("outages",))
    with pytest.raises(MissingDimension, match="^topics: table no_topic has no column topic_code"):
        filters.conditions(NO_TOPIC, period=None, province_codes=None)


def test_a_dimension_declared_ignored_is_skipped() -> None:
    filters = Filters(channels=("web",), topics=("outages",))
    conditions = filters.conditions(NO_TOPIC, period=None, province_codes=None, ignored={"topics"})
    assert sql(conditions) == ["no_topic.channel_code IN ('web')"]


def test_a_dimension_not_selected_needs_no_column() -> None:
    conditions = Filters(channels=("web",)).conditions(NO_TOPIC, period=None, province_codes=None)
    assert sql(conditions) == ["no_topic.channel_code IN ('web')"]


# --- one declaration of the dimensions --------------------------------------------------------


def test_every_declared_dimension_is_a_filters_field_in_url_order() -> None:
    fields = [f.name for f in dataclasses.fields(Filters) if f.name in ATTRS]
    assert fields == list(ATTRS) == ["provinces", "areas", "channels", "segments", "topics"]


def test_every_dimension_has_its_labels_and_sentence_words_in_every_language() -> None:
    for lang in LANGUAGES:
        words = catalogue(lang)
        for dimension in DIMENSIONS:
            keys = [f"filters.{dimension.attr}", f"filters.all_{dimension.attr}"]
            keys += [f"sentence.{dimension.attr}", f"kpi.not_applicable.{dimension.attr}"]
            keys += [f"filters.region_{dimension.attr}"] if dimension.by_region else []
            keys += [f"sentence.all_{dimension.attr}"] if dimension.says_all else []
            assert [key for key in keys if key not in words] == [], (lang, dimension.param)
