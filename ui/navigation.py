"""Every page of the product, in sections, with icons and URL paths: the one registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.navigation.page import StreamlitPage


@dataclass(frozen=True)
class PageSpec:
    """A page: its module's render, title, icon and URL path."""

    url_path: str
    title: str
    icon: str
    render: Callable[[], None]


def specs() -> dict[str, list[PageSpec]]:
    """The pages by section, in menu order (imports are here so pages/ never import this)."""
    from pages import (
        associations,
        channels,
        contact_centre,
        export,
        overview,
        satisfaction,
        trends,
    )

    return {
        "Sintesi": [
            PageSpec("overview", "Panoramica", ":material/dashboard:", overview.render),
            PageSpec("trends", "Andamenti", ":material/show_chart:", trends.render),
        ],
        "Approfondimenti": [
            PageSpec("channels", "Canali", ":material/hub:", channels.render),
            PageSpec(
                "contact-centre", "Call center", ":material/headset_mic:", contact_centre.render
            ),
            PageSpec(
                "satisfaction",
                "Soddisfazione",
                ":material/sentiment_satisfied:",
                satisfaction.render,
            ),
            PageSpec("associations", "Associazioni", ":material/groups:", associations.render),
        ],
        "Dati": [PageSpec("export", "Esporta", ":material/download:", export.render)],
    }


def _to_overview() -> None:
    """The app root: go to the overview, keeping the view's URL parameters."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    st.switch_page(page("overview"), query_params=params)


def st_pages() -> dict[str, list[StreamlitPage]]:
    """The st.Page objects for st.navigation.

    Streamlit serves its default page at the root and gives it no other path, so the default is
    a hidden page that forwards to /overview: every page, overview included, keeps its own path.
    """
    pages: dict[str, list[StreamlitPage]] = {
        section: [
            st.Page(spec.render, title=spec.title, icon=spec.icon, url_path=spec.url_path)
            for spec in items
        ]
        for section, items in specs().items()
    }
    root = st.Page(
        _to_overview, title="Ascolto", url_path="home", default=True, visibility="hidden"
    )
    first = next(iter(pages))
    pages[first] = [root, *pages[first]]
    return pages


def page(url_path: str) -> StreamlitPage:
    """The st.Page with url_path, for st.page_link / st.switch_page."""
    for items in st_pages().values():
        for item in items:
            if item.url_path == url_path:
                return item
    raise KeyError(url_path)
