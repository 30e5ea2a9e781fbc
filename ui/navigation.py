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


def st_pages() -> dict[str, list[StreamlitPage]]:
    """The st.Page objects for st.navigation; overview is the default."""
    return {
        section: [
            st.Page(
                spec.render,
                title=spec.title,
                icon=spec.icon,
                url_path=spec.url_path,
                default=spec.url_path == "overview",
            )
            for spec in items
        ]
        for section, items in specs().items()
    }


def page(url_path: str) -> StreamlitPage:
    """The st.Page with url_path, for st.page_link / st.switch_page."""
    for items in st_pages().values():
        for item in items:
            if item.url_path == url_path:
                return item
    raise KeyError(url_path)
