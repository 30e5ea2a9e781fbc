"""The top of every page: title, what is shown in words, freshness, and empty-data messages."""

from __future__ import annotations

import streamlit as st

from data_access.filters import Fitted
from data_access.i18n import text
from ui import data, formatting
from ui.sidebar import narrow
from ui.view import View

OFFER_KEY = "header_offer"


def page_header(title: str, view: View) -> bool:
    """Draw the title and the view's sentence; return False when there is nothing to show."""
    lang = view.lang
    st.title(title)
    if view.scope.visible() == frozenset():
        st.error(text("header.no_provinces", lang))
        return False
    if view.latest is None:
        st.info(text("header.empty_store", lang))
        _period_notes(view.fitted, lang)
        return False
    st.caption(view.filters.sentence(view.period, view.names, lang))
    updated = data.freshness()
    if updated is not None:
        latest = formatting.day(view.latest, lang)
        loaded = formatting.day(updated.date(), lang)
        st.caption(text("header.freshness", lang, latest=latest, loaded=loaded))
    _period_notes(view.fitted, lang)
    return True


def _period_notes(fitted: Fitted | None, lang: str) -> None:
    """What the reader must know about the period shown, and the data window when it has none."""
    if fitted is None:
        return
    for note in fitted.notes:
        st.info(note.text(lang), icon=":material/event_busy:")
    offer = fitted.offer
    if offer is not None:
        label = text("period.note.offer", lang, window=offer.phrase(lang))
        if st.button(label, key=OFFER_KEY, icon=":material/date_range:"):
            narrow(period="custom", start=offer.start, end=offer.end)
