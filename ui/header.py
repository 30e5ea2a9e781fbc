"""The top of every page: title, what is shown in words, freshness, and empty-data messages."""

from __future__ import annotations

import streamlit as st

from ui import data, formatting
from ui.view import View


def page_header(title: str, view: View) -> bool:
    """Draw the title and the view's sentence; return False when there is nothing to show."""
    st.title(title)
    if view.scope.visible() == frozenset():
        st.error(
            "Il tuo profilo non ha province assegnate, quindi non ci sono dati da mostrare. "
            "Chiedi all'amministratore di aggiungerti in access.toml."
        )
        return False
    if view.latest is None:
        st.info(
            "Il database non contiene ancora dati. Carica un file con "
            "`python -m data_access import` oppure crea i dati dimostrativi con "
            "`python -m data_access demo`."
        )
        return False
    st.caption(view.filters.sentence(view.period, view.names))
    updated = data.freshness()
    if updated is not None:
        st.caption(
            f"Dati fino al {formatting.day(view.latest)} · ultimo caricamento "
            f"{formatting.day(updated.date())}"
        )
    return True
