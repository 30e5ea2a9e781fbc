"""The pages of ui.page_list with their renders, in sections: st.navigation's pages, and the menu.

The menu is drawn by the app (menu), not by st.navigation: Streamlit's own menu drops the query
string on a page switch (its frontend keeps only parameters bound to widgets), so the app had to
write the view back on the new page, and every page switch left two history entries (the bare
path, then the path with the view): the back button needed two presses. The app's menu links
(st.page_link with query_params) carry the view, so a page switch is one history entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage

from data_access.i18n import DEFAULT
from pages import (
    associations,
    channels,
    contact_centre,
    export,
    overview,
    satisfaction,
    trends,
)
from ui.page_list import PAGES, PageEntry, page_title, section_title, st_page


@dataclass(frozen=True)
class PageSpec:
    """A page: its module's render, title, icon and URL path."""

    url_path: str
    title: str
    icon: str
    render: Callable[[], None]


_MODULES = {
    module.__name__.removeprefix("pages."): module
    for module in (associations, channels, contact_centre, export, overview, satisfaction, trends)
}


def _render(item: PageEntry) -> Callable[[], None]:
    """The render function of item's module under pages/."""
    return _MODULES[item.module].render


def specs(lang: str = DEFAULT) -> dict[str, list[PageSpec]]:
    """The pages by section title, in menu order, in lang."""
    sections: dict[str, list[PageSpec]] = {}
    for item in PAGES:
        spec = PageSpec(item.url_path, page_title(item.url_path, lang), item.icon, _render(item))
        sections.setdefault(section_title(item.section, lang), []).append(spec)
    return sections


def _to_overview() -> None:
    """The app root: go to the overview, keeping the view's URL parameters."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    st.switch_page(page("overview"), query_params=params)


def st_pages(lang: str = DEFAULT) -> dict[str, list[StreamlitPage]]:
    """The st.Page objects for st.navigation, titled in lang.

    Streamlit serves its default page at the root and gives it no other path, so the default is
    a hidden page that forwards to /overview: every page, overview included, keeps its own path.
    """
    pages: dict[str, list[StreamlitPage]] = {
        section: [st_page(spec.url_path, spec.render, lang) for spec in items]
        for section, items in specs(lang).items()
    }
    root = st.Page(
        _to_overview, title="Ascolto", url_path="home", default=True, visibility="hidden"
    )
    first = next(iter(pages))
    pages[first] = [root, *pages[first]]
    return pages


def menu(
    container: DeltaGenerator, query: Mapping[str, str | Sequence[str]], lang: str = DEFAULT
) -> None:
    """Draw the page menu in container: each section's title, then a link per page with query."""
    by_path = {item.url_path: item for items in st_pages(lang).values() for item in items}
    params = {key: value if isinstance(value, str) else list(value) for key, value in query.items()}
    for section, items in specs(lang).items():
        container.caption(section)
        for spec in items:
            container.page_link(
                by_path[spec.url_path],
                label=spec.title,
                icon=spec.icon,
                query_params=params,
                width="stretch",
            )


def page(url_path: str, lang: str = DEFAULT) -> StreamlitPage:
    """The st.Page with url_path, for st.page_link / st.switch_page."""
    for items in st_pages(lang).values():
        for item in items:
            if item.url_path == url_path:
                return item
    raise KeyError(url_path)
