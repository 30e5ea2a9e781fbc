"""Values handed to the database driver by the importer's writer."""

from __future__ import annotations

import numpy as np

from data_access.importing.load import python_values, table_of


def test_sqlite_gets_datetimes_as_text_with_a_space_and_gaps_as_none() -> None:
    values = np.array(["2024-03-05T07:08:09", "NaT", "1999-12-31T23:59:59"], dtype="datetime64[us]")
    text = python_values(values, table_of("contact").c.occurred_at, sqlite=True)
    assert text == ["2024-03-05 07:08:09", None, "1999-12-31 23:59:59"]


def test_sqlite_gets_a_five_digit_year_whole() -> None:
    values = np.array(["10000-01-02T03:04:05"], dtype="datetime64[us]")
    text = python_values(values, table_of("contact").c.occurred_at, sqlite=True)
    assert text == ["10000-01-02 03:04:05"]


def test_sqlite_gets_dates_as_iso_text() -> None:
    values = np.array(["2024-03-05", "NaT", "2024-03-05"], dtype="datetime64[D]")
    text = python_values(values, table_of("contact").c.day, sqlite=True)
    assert text == ["2024-03-05", None, "2024-03-05"]


def test_sqlite_gets_flags_as_the_integers_it_stores() -> None:
    values = np.array([True, False, None], dtype=object)
    flags = python_values(values, table_of("contact").c.resolved_first_contact, sqlite=True)
    assert flags == [1, 0, None]
    assert [type(f) for f in flags] == [int, int, type(None)]  # a bool costs the driver more


def test_other_databases_get_flags_as_bools() -> None:
    values = np.array([True, False, None], dtype=object)
    flags = python_values(values, table_of("contact").c.resolved_first_contact)
    assert [type(f) for f in flags] == [bool, bool, type(None)]
