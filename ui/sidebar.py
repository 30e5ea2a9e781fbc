"""The filter sidebar: one Filters value and the language kept in step with the URL and widgets.

The URL is the shareable truth (Filters.to_query / from_query define it, plus `lang` when it is
not Italian), the widgets are how a person changes it. Each run: if the URL changed from outside
(a pasted link, a chart click, the back button) it seeds the widgets; if it lost its parameters
(outside the back button) the session's last view is written back; otherwise the widgets win and
update the URL. The language is chosen first (language_switch), because the navigation, the
sign-in and every label need it. The URL is written once, at the end of the run (keep_url, with
the page's own parameters, ui/url_choice.py).

Streamlit sends a selectbox's or multiselect's value as its label (SelectboxSerde), so after a
language switch the widgets still hold labels of the old language: they are re-seeded from the
view, so every control is relabelled and keeps its value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access.dimensions import DIMENSIONS, Dimension
from data_access.filters import COMPARISONS, GRAINS, Filters, Window
from data_access.i18n import DEFAULT, date_input_format, known, languages, text
from data_access.scope import Scope
from ui import url_choice
from ui.view import KEY as VIEW_KEY
from ui.view import LANG_KEY

ALL_REGIONS = ""
LANG_PARAM = "lang"
STATE = "view_filters"  # the session's current Filters
LANG_STATE = LANG_KEY  # the session's current language
WRITTEN = "view_url"  # the query string this session last wrote
LANG_WIDGET = "w_lang"
WIDGETS_LANG = "view_widgets_lang"  # the language the filter widgets were last drawn in
BY_REGION = next(dimension for dimension in DIMENSIONS if dimension.by_region)  # provinces


def _query_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _raw_lang(params: Mapping[str, Sequence[str]]) -> str | None:
    """The last ?lang= value as written, or None."""
    found = [value.strip() for value in params.get(LANG_PARAM, []) if value.strip()]
    return found[-1] if found else None


def _url_lang(params: Mapping[str, Sequence[str]]) -> str:
    """The URL's language; Italian when absent or unknown."""
    raw = _raw_lang(params)
    return raw if known(raw) else DEFAULT


def _view_query(filters: Filters, lang: str) -> dict[str, str | list[str]]:
    """The owned URL parameters of a view: the filters and, when not Italian, the language."""
    query = filters.to_query()
    if lang != DEFAULT:
        query[LANG_PARAM] = lang
    return query


def _view_string(filters: Filters, lang: str) -> str:
    return urlencode(_view_query(filters, lang), doseq=True)


def view_query(filters: Filters, lang: str) -> dict[str, str | list[str]]:
    """The URL parameters of a view (for links that keep it, e.g. the page menu)."""
    return _view_query(filters, lang)


def keep_url(filters: Filters, lang: str) -> None:
    """The run's one write of the URL: the view and the page's own parameters (dashboard.py)."""
    url_choice.write_url(_view_query(filters, lang))


def _history_navigation() -> bool:
    """True when this run comes from the browser's back or forward button."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "is_history_navigation", False))


def _incoming() -> tuple[Filters, str, bool]:
    """Filters and language this run starts from, and whether they came from outside the widgets."""
    params = _query_params()
    url_filters, url_lang = Filters.from_query(params), _url_lang(params)
    state = st.session_state
    written = state.get(WRITTEN)
    now = _view_string(url_filters, url_lang)
    if STATE not in state:
        return url_filters, url_lang, True
    if now == written:
        return state[STATE], state.get(LANG_STATE, DEFAULT), False
    if not now and written and not _history_navigation():  # a switch dropped the parameters
        return state[STATE], state.get(LANG_STATE, DEFAULT), True
    return url_filters, url_lang, True


def language_switch() -> str:
    """Draw the language switch at the top of the sidebar and return the view's language.

    Called before anything else is drawn; the choice reaches the URL in filter_sidebar.
    """
    _, lang, from_outside = _incoming()
    state = st.session_state
    if from_outside or not known(state.get(LANG_WIDGET)):
        state[LANG_WIDGET] = lang
    current = state[LANG_WIDGET]
    chosen = st.sidebar.segmented_control(
        text("language.label", current),
        languages(),
        key=LANG_WIDGET,
        required=True,
        format_func=lambda code: text("language.name", code),  # each in its own language
    )
    chosen = chosen if known(chosen) else DEFAULT
    state[LANG_STATE] = chosen
    return chosen


def narrow_view(**changes: object) -> None:
    """Change the view from code, for the run about to start (a widget callback, which runs
    before it) or for a rerun: the URL says it and the widgets are re-seeded from it."""
    filters = st.session_state.get(STATE, Filters()).narrowed(**changes)
    st.session_state[STATE] = filters
    st.session_state[WRITTEN] = None  # force the widgets to be re-seeded
    lang = st.session_state.get(LANG_STATE, DEFAULT)
    url_choice.write_url(_view_query(filters, lang), mid_run=True)


def narrow(**changes: object) -> None:
    """Change the view from code in the middle of a run (e.g. a button) and rerun with it."""
    narrow_view(**changes)
    st.rerun()


def _seed(
    filters: Filters,
    territory: pd.DataFrame,
    scope: Scope,
    lang: str,
    region: str = ALL_REGIONS,
    names: dict[str, dict[str, str]] | None = None,
) -> list[str]:
    """Put filters into the widgets' state; return why some values could not be kept.

    A territory dimension keeps the codes of the territory frame; the others keep the codes of
    names ({"channels": {code: label}, ...}; without names, every code is kept). A code dropped
    is said, as hidden by the profile when the scope limits the dimension and hides it.
    """
    dropped: list[str] = []
    visible = scope.visible()

    def keep(dimension: Dimension, values: tuple[str, ...], allowed: set[str]) -> list[str]:
        kept = [v for v in values if v in allowed]
        for value in values:
            if value in allowed:
                continue
            hidden = dimension.scoped and visible is not None and value not in visible
            reason = "filters.hidden" if hidden else "filters.no_data"
            dropped.append(text(reason, lang, name=dimension.param, value=value))
        return kept

    state = st.session_state
    state["w_period"] = filters.period
    state["w_range"] = _range_value(filters)
    state["w_grain"] = filters.grain
    state["w_compare"] = filters.compare
    state["w_region"] = region
    for dimension in DIMENSIONS:
        values = getattr(filters, dimension.attr)
        if dimension.territory:
            allowed: set[str] | None = set(territory[dimension.territory])
        else:
            codes = (names or {}).get(dimension.attr)
            allowed = set(codes) if codes else None
        kept = list(values) if allowed is None else keep(dimension, values, allowed)
        state[dimension.widget] = kept
    return dropped


def _offer(
    dimension: Dimension,
    territory: pd.DataFrame,
    rows: pd.DataFrame,
    names: Mapping[str, Mapping[str, str]],
    held: Sequence[str],
) -> tuple[list[str], Mapping[str, str]]:
    """A multiselect's codes, in order, and their names: the territory rows' codes or the
    store's names, with the codes the box already holds.
    """
    if not dimension.territory:
        lookup = names.get(dimension.attr, {})
        return sorted(set(lookup) | set(held)), lookup
    code, name = dimension.territory, dimension.territory_name
    lookup = dict(zip(territory[code], territory[name], strict=False))
    by_name = (lambda c: lookup.get(c, c)) if dimension.with_code else None
    return sorted(set(rows[code]) | set(held), key=by_name), lookup


def _labeller(lookup: Mapping[str, str], with_code: bool) -> Callable[[str], str]:
    """How a multiselect shows a code: its name, or "Name (CODE)"; the code when it has none."""
    if with_code:
        return lambda code: f"{lookup.get(code, code)} ({code})"
    return lambda code: lookup.get(code, code)


def _range_value(filters: Filters) -> tuple[date, ...]:
    """The date range widget's value for filters: both days, the start alone, or nothing."""
    if filters.start and filters.end:
        return (filters.start, filters.end)
    return (filters.start,) if filters.start else ()


def _on_period() -> None:
    """Choosing "custom" starts from the period on screen, so its dates are never empty."""
    state = st.session_state
    view = state.get(VIEW_KEY)
    shown = view.period if view is not None else None
    if state.get("w_period") == "custom" and shown is not None:
        state["w_range"] = (shown.start, shown.end)


def _on_region(by_region: dict[str, list[str]]) -> None:
    """Choosing a region fills the province box with its provinces (all regions: empties it)."""
    state = st.session_state
    state[BY_REGION.widget] = list(by_region.get(state.get("w_region", ALL_REGIONS), []))


def _period_options(years: list[int], current: object) -> list[str]:
    """12 months, year to date, the years with data (and the view's year, even without), custom."""
    shown = {str(year) for year in years}
    if isinstance(current, str) and current.isdigit() and len(current) == 4:
        shown.add(current)
    return ["12m", "ytd", *sorted(shown, reverse=True), "custom"]


def _range_bounds(window: Window | None, days: tuple[date, ...]) -> tuple[date | None, ...]:
    """The date widget's bounds: the data window, widened to the dates the view already holds."""
    known_days = [*days, *((window.first, window.latest) if window else ())]
    if not known_days:
        return None, None
    return min(known_days), max(known_days)


def filter_sidebar(
    *,
    scope: Scope,
    territory: pd.DataFrame,
    names: dict[str, dict[str, str]],
    years: list[int],
    window: Window | None,
    lang: str = DEFAULT,
) -> Filters:
    """Draw the filters in the sidebar and return the view they describe (URL kept in step)."""
    filters, _, from_outside = _incoming()
    state = st.session_state
    notes = [problem.text(lang) for problem in filters.problems]
    raw_lang = _raw_lang(_query_params())
    if from_outside and raw_lang is not None and not known(raw_lang):
        notes.append(text("problem.unknown_lang", lang, value=raw_lang))
    if from_outside:
        notes += _seed(filters, territory, scope, lang, names=names)
    elif state.get(WIDGETS_LANG) != lang:  # relabel every control, keep every value
        region = state.get("w_region", ALL_REGIONS)
        _seed(filters, territory, scope, lang, region=region, names=names)
    state[WIDGETS_LANG] = lang

    def words(key: str, **values: object) -> str:
        return text(f"filters.{key}", lang, **values)

    side = st.sidebar
    side.header(words("header"))
    period_options = _period_options(years, state.get("w_period"))
    if state.get("w_period") not in period_options:
        state["w_period"] = "12m"
    period = side.selectbox(
        words("period"),
        period_options,
        key="w_period",
        on_change=_on_period,
        format_func=lambda p: (
            words(f"periods.{p}") if not p.isdigit() else words("periods.year", year=p)
        ),
    )
    start, end = filters.start, filters.end
    if period == "custom":
        held = state.get("w_range") or ()
        low, high = _range_bounds(window, tuple(held))
        picked = side.date_input(
            words("range"),
            key="w_range",
            format=date_input_format(lang),
            help=words("range_help"),
            min_value=low,
            max_value=high,
        )
        if isinstance(picked, tuple) and len(picked) == 2:
            start, end = picked
        else:  # not applied until both dates are there: the view stays as it was
            side.caption(words("range_pending"))
            period = filters.period
    else:
        start = end = None
    grain = side.selectbox(
        words("grain"), GRAINS, key="w_grain", format_func=lambda g: words(f"grains.{g}")
    )

    regions = sorted(territory["region"].unique())
    by_region = {
        region: sorted(territory.loc[territory["region"] == region, BY_REGION.territory].unique())
        for region in regions
    }
    region = side.selectbox(
        words("region"),
        [ALL_REGIONS, *regions],
        key="w_region",
        on_change=_on_region,
        args=(by_region,),
        format_func=lambda r: r or words("all_regions"),
    )
    in_region = territory if not region else territory[territory["region"] == region]
    rows = in_region  # the territory the next territory dimension offers
    picks: dict[str, Any] = {}  # Filters field -> chosen codes
    for dimension in DIMENSIONS:
        held = state.get(dimension.widget, [])
        options, lookup = _offer(dimension, territory, rows, names, held)
        placeholder = words(f"all_{dimension.attr}")
        if dimension.by_region and region:
            placeholder = words(f"region_{dimension.attr}", region=region)
        codes: list[str] = side.multiselect(
            words(dimension.attr),
            options,
            key=dimension.widget,
            format_func=_labeller(lookup, dimension.with_code),
            placeholder=placeholder,
            select_all=False,  # empty means all; Streamlit's entry is English
        )
        if dimension.territory and codes:
            rows = territory[territory[dimension.territory].isin(codes)]
        if dimension.by_region and region and not codes:
            codes = list(in_region[dimension.territory].unique())
        picks[dimension.attr] = codes
    compare = side.selectbox(
        words("compare"),
        COMPARISONS,
        key="w_compare",
        format_func=lambda c: words(f"comparisons.{c}"),
    )

    chosen_filters = Filters(
        period=period,
        start=start if period == "custom" else None,
        end=end if period == "custom" else None,
        grain=grain,
        compare=compare,
        **{attr: tuple(sorted(codes)) for attr, codes in picks.items()},
    )
    state[STATE] = chosen_filters
    state[WRITTEN] = _view_string(chosen_filters, lang)
    for note in notes:
        st.warning(words("ignored", problem=note), icon=":material/warning:")
    return chosen_filters
