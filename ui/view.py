"""The view a page draws: Filters, Scope, the store's data window and the language, set by
dashboard.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from data_access.filters import Filters, Fitted
from data_access.i18n import DEFAULT
from data_access.periods import Period
from data_access.scope import Scope

KEY = "current_view"
LANG_KEY = "view_lang"  # the session's language (ui.sidebar keeps it in step with ?lang=)


@dataclass(frozen=True)
class View:
    """Everything a page needs to know about what to show and to whom."""

    filters: Filters
    scope: Scope
    latest: date | None
    period: Period | None
    names: dict[str, dict[str, str]]
    lang: str = DEFAULT  # every text and formatter on the page uses it
    fitted: Fitted | None = None  # the period in the data window and what to say about it
    page: str = ""  # the URL path of the page being drawn ('trends'), '' outside dashboard.py


def set_view(view: View) -> None:
    """Remember this run's view (dashboard.py calls it before running the page)."""
    st.session_state[KEY] = view


def current_view() -> View:
    """This run's view; a page run outside dashboard.py gets an empty scope (sees nothing)."""
    view = st.session_state.get(KEY)
    if view is None:
        return View(Filters(), Scope(), None, None, {}, st.session_state.get(LANG_KEY, DEFAULT))
    return view
