"""The top of every page: title, what is shown in words, freshness, and empty-data messages."""

from __future__ import annotations

import streamlit as st

from data_access.i18n import text
from ui import data, formatting
from ui.view import View


def page_header(title: str, view: View) -> bool:
    """Draw the title and the view's sentence; return False when there is nothing to show."""
    lang = view.lang
    st.title(title)
    if view.scope.visible() == frozenset():
        st.error(text("header.no_provinces", lang))
        return False
    if view.latest is None:
        st.info(text("header.empty_store", lang))
        return False
    st.caption(view.filters.sentence(view.period, view.names, lang))
    updated = data.freshness()
    if updated is not None:
        latest = formatting.day(view.latest, lang)
        loaded = formatting.day(updated.date(), lang)
        st.caption(text("header.freshness", lang, latest=latest, loaded=loaded))
    return True
