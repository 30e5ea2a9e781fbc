"""A page that is not built yet says what it will show and links back to the overview."""

from __future__ import annotations

import streamlit as st

from data_access.i18n import text
from pages import overview  # the back link's target (st.page_link needs the page's render)
from ui.page_list import st_page
from ui.view import current_view


def coming_soon(page_key: str, will_show: list[str]) -> None:
    """Draw a plain 'in preparation' page: the title of page_key and the listed catalogue keys."""
    lang = current_view().lang
    st.title(text(f"page.{page_key}.title", lang))
    st.info(text("soon.notice", lang), icon=":material/construction:")
    st.markdown(f"**{text('soon.will_show', lang)}**")
    st.markdown("\n".join(f"- {text(key, lang)}" for key in will_show))
    st.page_link(
        st_page("overview", overview.render, lang),
        label=text("soon.back", lang),
        icon=":material/arrow_back:",
    )
