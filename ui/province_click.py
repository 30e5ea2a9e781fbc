"""Charts whose province marks filter the view when clicked, in one script run per click.

The click is handled in st.plotly_chart's on_select callback, which Streamlit calls before the
rerun it starts: the view is narrowed there (ui.sidebar.narrow_view), so the run that follows
draws the narrowed page once. Handling it in the page body instead needs a second run
(st.rerun) to redraw the sidebar and the charts above the clicked one. Every handled click
gives the charts new keys, which drops the old selection.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from typing import Any

import streamlit as st

from ui import charts
from ui.sidebar import narrow_view

CLICKS = "province_clicks"  # session: clicks handled so far; part of every clickable chart's key


def clickable_chart(
    figure: Any,
    *,
    name: str,
    current: tuple[str, ...],
    lang: str,
    allowed: Collection[str] | None = None,
) -> None:
    """Draw figure; a click on a province mark (customdata or location) narrows the view to it.

    name makes the chart's key; current is the view's provinces (a click on them is no change);
    allowed, when given, limits which clicked provinces count (e.g. those with a value).
    """
    key = f"{name}_{st.session_state.get(CLICKS, 0)}"
    st.plotly_chart(
        figure,
        on_select=partial(_clicked, key, current, None if allowed is None else set(allowed)),
        selection_mode=("points",),
        key=key,
        config=charts.plotly_config(lang),
        width="stretch",
    )


def _clicked(key: str, current: tuple[str, ...], allowed: set[str] | None) -> None:
    """on_select: narrow the view to the clicked provinces, unless they are the view already."""
    picked = charts.selected_provinces(st.session_state.get(key))
    chosen = tuple(sorted(p for p in picked if allowed is None or p in allowed))
    if not chosen or chosen == current:
        return
    st.session_state[CLICKS] = st.session_state.get(CLICKS, 0) + 1
    narrow_view(provinces=chosen)
