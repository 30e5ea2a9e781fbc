"""Choices a page keeps in the URL (e.g. ?kpi= on Andamenti, ?rank= on the overview) and the
one write of the URL per run.

A page-owned parameter belongs to the page that draws its chooser: page_choice() draws the
chooser, keeps it in step with the URL and registers the parameter for this run. The URL is
written once per run, at its end (write_url, called by dashboard.py after the page), with the
sidebar's view and only the parameters the page registered: a parameter of another page never
leaks, and one action of the user makes one history entry. Streamlit's frontend pushes a history
entry for every query string the app sends that differs from the address bar (App.tsx
handlePageInfoChanged), so writing twice in a run would make the back button need two presses.

The choice follows the URL when the URL changed from outside (a link, the back button) and the
session's last choice when the page is entered without it; a default value stays out of the
URL, as the sidebar's defaults do. Streamlit sends a selectbox's value as its label, so the
widget is re-seeded when the language changes: its labels follow, its value stays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import streamlit as st

from data_access.i18n import text

PARAMS = "url_page_params"  # session: {parameter: value or None} registered by this run's page
PREVIOUS = "url_page_params_before"  # session: the same, of the previous run


def start_run() -> None:
    """Start a run's page-owned parameters afresh (dashboard.py, before the page)."""
    state = st.session_state
    state[PREVIOUS] = state.get(PARAMS, {})
    state[PARAMS] = {}


def register(param: str, value: str | None) -> None:
    """Keep ?param=value in this run's URL (None: leave it out, e.g. for a default)."""
    st.session_state.setdefault(PARAMS, {})[param] = value


def page_params(*, with_previous: bool = False) -> dict[str, str]:
    """The page-owned parameters registered so far in this run, defaults left out.

    with_previous adds those the previous run registered and this one has not yet (a change
    made before the page drew its choosers, e.g. a button in the page header).
    """
    state = st.session_state
    registered = {**(state.get(PREVIOUS, {}) if with_previous else {}), **state.get(PARAMS, {})}
    return {name: value for name, value in registered.items() if value is not None}


def page_choice(
    param: str,
    options: Sequence[str],
    *,
    default: str,
    key: str,
    label: str,
    format_func: Callable[[str], str],
    lang: str,
    problem: str,
    control: Literal["selectbox", "segmented"] = "selectbox",
    **widget: Any,  # passed through to the Streamlit widget, which checks them
) -> str:
    """Draw a chooser kept in step with ?param= and return the chosen option.

    key is the widget's key; problem the catalogue key of the warning for an unknown value;
    control "selectbox" or "segmented"; other keyword arguments go to the widget.
    """
    state = st.session_state
    remembered, written, drawn_in = f"{key}__choice", f"{key}__written", f"{key}__lang"
    raw = st.query_params.get(param)
    from_url = raw if raw in options else None
    if raw is not None and from_url is None:
        said = text(problem, lang, value=raw)
        st.warning(text("filters.ignored", lang, problem=said), icon=":material/warning:")
    seed: str | None = None
    if key not in state:  # the page is entered: the URL, else the session's last choice
        seed = from_url or state.get(remembered, default)
    elif raw != state.get(written):  # the URL changed from outside the widget
        seed = from_url or default
    elif state.get(drawn_in) != lang:  # relabel: same value, labels in the new language
        seed = state.get(remembered, default)
    if seed not in options:
        seed = default if seed is not None else None
    if seed is not None:
        state[key] = seed
    if control == "segmented":
        chosen = st.segmented_control(
            label, list(options), key=key, format_func=format_func, required=True, **widget
        )
    else:
        chosen = st.selectbox(label, list(options), key=key, format_func=format_func, **widget)
    chosen = chosen if chosen in options else default
    state[remembered] = chosen
    state[drawn_in] = lang
    value = None if chosen == default else chosen
    state[written] = value
    register(param, value)
    return chosen


def _normal(params: Mapping[str, str | Sequence[str]]) -> dict[str, list[str]]:
    """Parameters as sorted value lists, so order does not make two equal URLs differ."""
    return {
        name: sorted([value] if isinstance(value, str) else list(value))
        for name, value in params.items()
    }


def write_url(view: Mapping[str, str | Sequence[str]], *, mid_run: bool = False) -> None:
    """Make the URL say the view and this run's page parameters, writing only if it differs.

    mid_run: written before the page finished (a change from code, then a rerun), so the page's
    parameters of the previous run are kept too.
    """
    wanted = {**view, **page_params(with_previous=mid_run)}
    current = {name: st.query_params.get_all(name) for name in st.query_params}
    if _normal(current) != _normal(wanted):
        st.query_params.from_dict(wanted)
