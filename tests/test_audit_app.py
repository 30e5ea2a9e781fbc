"""The app's audit through AppTest (ui/audit.py): the session's sign-in once (a person refused
too), a page when it is opened or its view changes (not on a rerun), an admin's preview, every
download served, and a page that goes on when the audit cannot be written.

Without sign-in configured the app runs as the local account ("locale"), an admin in the
project's access.toml; the store is tests/kpi_store.py's (3 association cases in 2025).
"""

# ruff: noqa: F811 - the fixtures are imported from apptest_support and requested by name

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
import streamlit
from apptest_support import open_page, small_store, use_store  # noqa: F401

from data_access import audit
from data_access.db import get_engine
from tests.test_migrations_base import _downgrade

FEB = {"period": "custom", "from": "2025-01-01", "to": "2025-02-28", "grain": "month"}
Y2025 = {"period": "2025"}


@pytest.fixture(autouse=True)
def local_account(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASCOLTO_USER", raising=False)
    monkeypatch.delenv("ASCOLTO_ACCESS_FILE", raising=False)


@pytest.fixture
def buttons(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], Any]]:
    """Every download button's data (a deferred callable, or bytes) by key."""
    drawn: dict[str, Callable[[], Any]] = {}
    original = streamlit.download_button

    def record(label: str, data: Any, key: str, **kw: Any) -> bool:
        drawn[key] = data
        return original(label, data, key=key, **kw)

    monkeypatch.setattr(streamlit, "download_button", record)
    return drawn


def trail(store: str) -> list[tuple]:
    """The audit's rows without their time: (user, role, event, page, url, kind, format, rows,
    viewed_as)."""
    return [tuple(row)[1:] for row in audit.read(get_engine(store))]


def test_opening_a_page_records_the_sign_in_and_the_page_with_its_view(
    small_store: str, open_page
) -> None:
    app = open_page("trends", province="RA")
    assert not app.exception
    assert trail(small_store) == [
        ("locale", "admin", "sign_in", "", "/trends?province=RA", None, None, None, None),
        ("locale", "admin", "page", "trends", "/trends?province=RA", None, None, None, None),
    ]


def test_a_rerun_with_the_same_view_records_nothing_more(small_store: str, open_page) -> None:
    app = open_page("trends", province="RA")
    app.run()
    app.run()
    assert [row[2] for row in trail(small_store)] == ["sign_in", "page"]


def test_a_view_change_records_the_page_again(small_store: str, open_page) -> None:
    app = open_page("trends", province="RA")
    app.sidebar.multiselect(key="w_province").set_value(["BO", "RA"]).run()
    assert not app.exception
    assert [(row[2], row[4]) for row in trail(small_store)] == [
        ("sign_in", "/trends?province=RA"),
        ("page", "/trends?province=RA"),
        ("page", "/trends?province=BO&province=RA"),
    ]


def test_a_table_download_is_recorded_when_it_is_served(
    small_store: str, open_page, buttons
) -> None:
    open_page("trends", province="RA", **FEB)
    assert [row[2] for row in trail(small_store)] == ["sign_in", "page"]  # nothing yet
    buttons["trend_table_download_xlsx"]()
    assert trail(small_store)[2:] == [
        (
            "locale",
            "admin",
            "export",
            "trends",
            "/trends?period=custom&from=2025-01-01&to=2025-02-28&province=RA",
            "table:trend_table",
            "xlsx",
            2,
            None,
        )
    ]


def test_the_export_pages_file_is_recorded_when_it_is_prepared(
    small_store: str, open_page, buttons
) -> None:
    app = open_page("export", kind="association-cases", **Y2025)
    app.button_group[0].set_value("csv-it").run()
    app.button(key="export_download_prepare").click().run()
    assert trail(small_store)[-1] == (
        "locale",
        "admin",
        "export",
        "export",
        "/export?period=2025&kind=association-cases",
        "association-cases",
        "csv-it",
        3,
        None,
    )


def test_a_page_goes_on_when_the_audit_cannot_be_written(
    small_store: str, open_page, caplog: pytest.LogCaptureFixture
) -> None:
    _downgrade(get_engine(small_store), "0004")  # no audit table
    with caplog.at_level(logging.ERROR, logger="data_access.audit"):
        app = open_page("trends", province="RA")
    assert not app.exception
    assert app.dataframe  # the page drew its tables
    assert [r.getMessage() for r in caplog.records] == [
        "audit: sign_in of locale not recorded: no such table: audit",
        "audit: page of locale not recorded: no such table: audit",
    ]


def test_an_admins_preview_is_recorded_as_the_admin_viewing_as_the_person(
    small_store: str, open_page
) -> None:
    app = open_page("trends")
    app.sidebar.selectbox(key="w_preview_as").set_value("romagna@ascolto.example").run()
    assert not app.exception
    assert [(row[0], row[1], row[2], row[8]) for row in trail(small_store)] == [
        ("locale", "admin", "sign_in", None),
        ("locale", "admin", "page", None),
        ("locale", "admin", "page", "romagna@ascolto.example"),
    ]


def test_a_person_refused_is_recorded_signing_in_and_opens_no_page(
    small_store: str, open_page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASCOLTO_USER", "nobody@x.it")
    app = open_page("trends", province="BO")
    app.run()
    assert not app.dataframe  # the no-access page: no data
    assert trail(small_store) == [
        ("nobody@x.it", "", "sign_in", "", "/trends?province=BO", None, None, None, None)
    ]
