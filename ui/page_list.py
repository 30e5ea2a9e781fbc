"""Every page of the product as data: URL path, menu section and icon, in menu order.

Pages and the navigation both read this list; it imports neither, so a page can name another
page (its title, its st.Page) without importing the navigation, which imports every page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from data_access.i18n import DEFAULT, text


@dataclass(frozen=True)
class PageEntry:
    """A page: its URL path, menu section (a nav.section catalogue key) and icon."""

    url_path: str
    section: str
    icon: str

    @property
    def module(self) -> str:
        """The page's module under pages/ ('contact-centre' -> 'contact_centre')."""
        return self.url_path.replace("-", "_")


PAGES: tuple[PageEntry, ...] = (
    PageEntry("overview", "summary", ":material/dashboard:"),
    PageEntry("trends", "summary", ":material/show_chart:"),
    PageEntry("channels", "insights", ":material/hub:"),
    PageEntry("contact-centre", "insights", ":material/headset_mic:"),
    PageEntry("satisfaction", "insights", ":material/sentiment_satisfied:"),
    PageEntry("associations", "insights", ":material/groups:"),
    PageEntry("export", "data", ":material/download:"),
)


def entry(url_path: str) -> PageEntry:
    """The page with url_path (KeyError if there is none)."""
    for item in PAGES:
        if item.url_path == url_path:
            return item
    raise KeyError(url_path)


def page_title(url_path: str, lang: str = DEFAULT) -> str:
    """A page's title in lang ('contact-centre' -> 'Call center')."""
    return text(f"page.{entry(url_path).module}.title", lang)


def section_title(section: str, lang: str = DEFAULT) -> str:
    """A menu section's title in lang ('summary' -> 'Sintesi')."""
    return text(f"nav.section.{section}", lang)


def st_page(url_path: str, render: Callable[[], None], lang: str = DEFAULT) -> StreamlitPage:
    """The st.Page for the page with url_path drawn by render, titled in lang."""
    item = entry(url_path)
    return st.Page(render, title=page_title(url_path, lang), icon=item.icon, url_path=url_path)
