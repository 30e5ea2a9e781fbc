"""A page that is not built yet says what it will show and links back to the overview."""

from __future__ import annotations

import streamlit as st


def coming_soon(title: str, will_show: list[str]) -> None:
    """Draw a plain 'in preparation' page listing what it will show."""
    st.title(title)
    st.info("Questa pagina è in preparazione.", icon=":material/construction:")
    st.markdown("**Cosa mostrerà:**")
    st.markdown("\n".join(f"- {item}" for item in will_show))
    from ui.navigation import page

    st.page_link(page("overview"), label="Torna alla panoramica", icon=":material/arrow_back:")
