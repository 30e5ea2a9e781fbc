"""Ascolto's entry point: page config, then st.navigation over the pages in pages/."""

from __future__ import annotations

import streamlit as st

from pages import overview

st.set_page_config(page_title="Ascolto", page_icon=":material/hearing:", layout="wide")

navigation = st.navigation(
    [
        st.Page(
            overview.render,
            title="Panoramica",
            icon=":material/dashboard:",
            url_path="overview",
            default=True,
        )
    ]
)
navigation.run()
