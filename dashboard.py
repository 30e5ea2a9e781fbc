"""Ascolto's entry point: page config, language, sign-in, the filter sidebar, st.navigation."""

from __future__ import annotations

import streamlit as st

from data_access import logs
from data_access.i18n import localised_names
from ui import audit, auth, data, heap, url_choice
from ui.navigation import menu, st_pages
from ui.sidebar import filter_sidebar, keep_url, language_switch, view_query
from ui.view import View, set_view

heap.freeze_long_lived()  # before anything of this run exists: only what outlives runs
logs.configure()
st.set_page_config(page_title="Ascolto", page_icon=":material/hearing:", layout="wide")

menu_box = st.sidebar.container()  # the page menu, on top; its links need the view (below)
lang = language_switch()  # first: the menu, the sign-in and every label speak it
who = auth.session_viewer(lang)  # looked up once per session
page = st.navigation(st_pages(lang), position="hidden")  # ui.navigation.menu draws the menu
audit.record_sign_in(who.scope, page.url_path)  # once per session, refused people too
auth.refuse_without_access(who, lang)  # broken access file or no scope: stops here
scope = auth.viewed_scope(who)  # an admin's preview, else their own
if not page.url_path:
    page.run()  # the root only forwards to /overview, with the URL as it came
auth.banner(who, scope, lang)
url_choice.start_run()
window = data.data_window()
names = localised_names(data.names(), lang)
filters = filter_sidebar(
    scope=scope,
    territory=data.visible_territory(scope),
    names=names,
    years=data.data_years(),
    window=window,
    lang=lang,
)
menu(menu_box, view_query(filters, lang), lang)
auth.account_box(who, scope, lang)
fitted = filters.fit(window)
latest = window.latest if window else None
set_view(
    View(filters, scope, latest, fitted.period, names, lang, fitted=fitted, page=page.url_path)
)
audit.record_view()  # the page, when it or its view changed (not on every rerun)
page.run()
keep_url(filters, lang)  # the run's one URL write: the view and the page's own parameters
