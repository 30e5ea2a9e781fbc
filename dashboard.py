"""Ascolto's entry point: page config, sign-in, the filter sidebar, st.navigation(...).run()."""

from __future__ import annotations

import streamlit as st

from ui import auth, data
from ui.navigation import st_pages
from ui.sidebar import filter_sidebar
from ui.view import View, set_view

st.set_page_config(page_title="Ascolto", page_icon=":material/hearing:", layout="wide")

scope = auth.current_scope()
page = st.navigation(st_pages())
if not page.url_path:
    page.run()  # the root only forwards to /overview, with the URL as it came
latest = data.latest_day()
names = data.names()
filters = filter_sidebar(
    scope=scope,
    territory=data.visible_territory(scope),
    names=names,
    years=data.data_years(),
    latest=latest,
)
auth.account_box(scope)
set_view(View(filters, scope, latest, filters.resolve(latest), names))
page.run()
