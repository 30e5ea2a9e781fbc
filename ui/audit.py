"""What the app writes to the audit (data_access.audit): a session's sign-in, each page opened
with its view, each file it serves.

The sign-in is the first run of a browser session: with st.login, a person who has signed in
(each new tab or reload is a new session, so it is recorded again); without sign-in (demo mode),
the local account or ASCOLTO_USER; with the role access.toml gives them, recorded before access
is checked, so a person refused (not listed, a broken access file: role '') is recorded too. A
page is recorded when it is opened or its view changes, never on a rerun that changes neither
(a chart click, a download): the session remembers the last (person, page, URL) recorded. The
URL is the page's path with the view's query (the sidebar's filters and language, as the menu's
links carry them); a page's own choices (?kpi=) are in the URL of its exports. While an admin
previews the app as another person, the records name the admin (role admin) and, in viewed_as,
the person previewed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urlencode

import streamlit as st

from data_access import audit
from data_access.db import database_url, get_engine
from data_access.scope import ADMIN, Scope
from ui.sidebar import view_query
from ui.view import View, current_view

SIGNED_IN = "audit_signed_in"  # session: the person whose sign-in is recorded
LAST_VIEW = "audit_last_view"  # session: (person, previewed, page, URL) of the last page recorded


def view_url(view: View) -> str:
    """The view's URL as recorded: '/trends?province=RA' (the page's path and the view's query)."""
    query = urlencode(view_query(view.filters, view.lang), doseq=True)
    return f"/{view.page}?{query}" if query else f"/{view.page}"


class Who(NamedTuple):
    """Who is looking: the person and their role, or an admin and whom they preview."""

    user: str
    role: str
    viewed_as: str | None = None


def _who(scope: Scope) -> Who:
    """Who is looking at a view of scope (an admin previewing it, else its person)."""
    if scope.previewer:
        return Who(scope.previewer, ADMIN, scope.user)
    return Who(scope.user, scope.role)


def record_sign_in(scope: Scope, url_path: str) -> None:
    """Audit the session's sign-in on its first run (dashboard.py, before access is checked):
    the person of scope, their role and the URL they came by."""
    state = st.session_state
    if state.get(SIGNED_IN) == scope.user:
        return
    params = st.query_params
    query = urlencode([(name, value) for name in params for value in params.get_all(name)])
    url = f"/{url_path}?{query}" if query else f"/{url_path}"
    engine = get_engine(database_url())
    audit.record_sign_in(engine, user=scope.user, role=scope.role, url=url)
    state[SIGNED_IN] = scope.user  # kept even if the write failed: one ERROR per session


def record_view() -> None:
    """Audit this run's page (dashboard.py, once the view is set) when the page, its view or
    the person looking changed since the last record."""
    view = current_view()
    who, url = _who(view.scope), view_url(view)
    state = st.session_state
    engine = get_engine(database_url())
    seen = (*who, view.page, url)
    if state.get(LAST_VIEW) != seen:
        audit.record_page(
            engine, user=who.user, role=who.role, viewed_as=who.viewed_as, page=view.page, url=url
        )
        state[LAST_VIEW] = seen  # kept even if the write failed: one ERROR, not one per rerun


def export_recorder(*, kind: str, url: str) -> Callable[[str, int], None]:
    """A function recording, when called with (format, rows), an export of kind from this view.

    Who, which page and which store are taken now, in the script run: a download's deferred
    callable runs outside it, when the button is clicked.
    """
    view = current_view()
    who, page, store = _who(view.scope), view.page, database_url()

    def record(fmt: str, rows: int) -> None:
        engine = get_engine(store)
        audit.record_export(
            engine,
            user=who.user,
            role=who.role,
            viewed_as=who.viewed_as,
            page=page,
            url=url,
            kind=kind,
            fmt=fmt,
            rows=rows,
        )

    return record
