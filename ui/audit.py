"""What the app writes to the audit (data_access.audit): a session's sign-in, each page opened
with its view, each file it serves.

The sign-in is the first run of a browser session that reaches a page: with st.login, a person
who has signed in (each new tab or reload is a new session, so it is recorded again); without
sign-in (demo mode), the local account or ASCOLTO_USER, with the role access.toml gives it. A
page is recorded when it is opened or its view changes, never on a rerun that changes neither
(a chart click, a download): the session remembers the last (person, page, URL) recorded. The
URL is the page's path with the view's query (the sidebar's filters and language, as the menu's
links carry them); a page's own choices (?kpi=) are in the URL of its exports.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st

from data_access import audit
from data_access.db import database_url, get_engine
from ui.sidebar import view_query
from ui.view import View, current_view

SIGNED_IN = "audit_signed_in"  # session: the sign-in is recorded
LAST_VIEW = "audit_last_view"  # session: (person, page, URL) of the last page recorded


def view_url(view: View) -> str:
    """The view's URL as recorded: '/trends?province=RA' (the page's path and the view's query)."""
    query = urlencode(view_query(view.filters, view.lang), doseq=True)
    return f"/{view.page}?{query}" if query else f"/{view.page}"


def record_view() -> None:
    """Audit this run (dashboard.py, once the view is set): the session's sign-in on its first
    run, and the page when the page, its view or the person changed since the last record."""
    view = current_view()
    user, role, url = view.scope.user, view.scope.role, view_url(view)
    state = st.session_state
    engine = get_engine(database_url())
    if not state.get(SIGNED_IN):
        audit.record_sign_in(engine, user=user, role=role, url=url)
        state[SIGNED_IN] = True
    if state.get(LAST_VIEW) != (user, view.page, url):
        audit.record_page(engine, user=user, role=role, page=view.page, url=url)
        state[LAST_VIEW] = (user, view.page, url)  # kept even if the write failed: one ERROR


def export_recorder(*, kind: str, url: str) -> Callable[[str, int], None]:
    """A function recording, when called with (format, rows), an export of kind from this view.

    Who, which page and which store are taken now, in the script run: a download's deferred
    callable runs outside it, when the button is clicked.
    """
    view = current_view()
    user, role, page, store = view.scope.user, view.scope.role, view.page, database_url()

    def record(fmt: str, rows: int) -> None:
        engine = get_engine(store)
        audit.record_export(
            engine, user=user, role=role, page=page, url=url, kind=kind, fmt=fmt, rows=rows
        )

    return record
