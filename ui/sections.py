"""A page drawn in sections: a segmented chooser at the top, kept in the URL as ?section=.

Only the chosen section is run and drawn, so a rerun (a filter change, a click) pays for one
section's queries and charts, not the whole page's. The labels come from the catalogue table
`sections.<page>` (one key per section); the first section is the default and stays out of the
URL.
"""

from __future__ import annotations

from collections.abc import Sequence

from data_access.i18n import text
from ui.url_choice import page_choice

SECTION_PARAM = "section"


def section_choice(page: str, sections: Sequence[str], *, key: str, lang: str) -> str:
    """Draw the page's section chooser (?section=, default the first) and return the chosen one."""
    return page_choice(
        SECTION_PARAM,
        sections,
        default=sections[0],
        key=key,
        label=text("sections.label", lang),
        format_func=lambda section: text(f"sections.{page}.{section}", lang),
        lang=lang,
        problem="problem.unknown_section",
        control="segmented",
        label_visibility="collapsed",
    )
