"""The current view: Filters from the URL and the Scope of the person looking."""

from __future__ import annotations

import streamlit as st

from data_access.filters import Filters
from data_access.scope import Scope


def current_filters() -> Filters:
    """Filters read from the page's URL query string (repeated parameters kept)."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    return Filters.from_query(params)


def current_scope() -> Scope:
    """Who is looking. Until sign-in exists, the local app is the executive view (all provinces)."""
    return Scope.all_provinces("locale")
