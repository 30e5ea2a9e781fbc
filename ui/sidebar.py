"""The filter sidebar: one Filters value kept in step with the URL and the widgets.

The URL is the shareable truth (Filters.to_query / from_query define it), the widgets are how a
person changes it. Each run: if the URL changed from outside (a pasted link, a chart click, the
back button) it seeds the widgets; if it lost its parameters (Streamlit clears them on a page
switch) the session's last view is written back; otherwise the widgets win and update the URL.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_access.filters import COMPARISONS, DIMENSIONS, GRAINS, Filters
from data_access.scope import Scope

PERIOD_LABELS = {"12m": "Ultimi 12 mesi", "ytd": "Da inizio anno", "custom": "Personalizzato"}
GRAIN_LABELS = {"week": "Settimana", "month": "Mese", "quarter": "Trimestre", "year": "Anno"}
COMPARE_LABELS = {
    "last-year": "Stesso periodo dell'anno prima",
    "previous": "Periodo precedente",
    "none": "Nessun confronto",
}
ALL_REGIONS = ""
OWNED = {
    "period",
    "from",
    "to",
    "grain",
    "compare",
    *DIMENSIONS,
}  # other parameters belong to pages
STATE = "view_filters"  # the session's current Filters
WRITTEN = "view_url"  # the query string this session last wrote


def _query_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _write_url(filters: Filters) -> None:
    """Put filters in the URL, keeping the parameters pages own (e.g. kpi)."""
    others = {key: value for key, value in _query_params().items() if key not in OWNED}
    st.query_params.from_dict({**others, **filters.to_query()})


def _incoming() -> tuple[Filters, bool]:
    """Filters this run starts from, and whether they came from outside the widgets."""
    params = _query_params()
    url_filters = Filters.from_query(params)
    written = st.session_state.get(WRITTEN)
    now = url_filters.to_query_string()
    if STATE not in st.session_state:
        return url_filters, True
    if now == written:
        return st.session_state[STATE], False
    if not now and written:
        return st.session_state[STATE], True  # a page switch dropped the parameters
    return url_filters, True


def narrow(**changes: object) -> None:
    """Change the view from code (e.g. a chart click) and rerun with it."""
    filters = st.session_state.get(STATE, Filters()).narrowed(**changes)
    st.session_state[STATE] = filters
    st.session_state[WRITTEN] = None  # force the widgets to be re-seeded
    _write_url(filters)
    st.rerun()


def _seed(filters: Filters, territory: pd.DataFrame, scope: Scope) -> list[str]:
    """Put filters into the widgets' state; return why some values could not be kept."""
    dropped: list[str] = []
    visible = scope.visible()

    def keep(name: str, values: tuple[str, ...], allowed: set[str]) -> list[str]:
        kept = [v for v in values if v in allowed]
        for value in values:
            if value in allowed:
                continue
            province = value if name == "province" else None
            hidden = province is not None and visible is not None and province not in visible
            reason = "non visibile con il tuo profilo" if hidden else "nessun dato"
            dropped.append(f"{name}={value}: {reason}")
        return kept

    state = st.session_state
    state["w_period"] = filters.period
    state["w_range"] = (filters.start, filters.end) if filters.start and filters.end else ()
    state["w_grain"] = filters.grain
    state["w_compare"] = filters.compare
    state["w_region"] = ALL_REGIONS
    state["w_province"] = keep("province", filters.provinces, set(territory["sigla"]))
    state["w_area"] = keep("area", filters.areas, set(territory["area"]))
    for name in ("channel", "segment", "topic"):
        state[f"w_{name}"] = list(getattr(filters, name + "s"))
    return dropped


def filter_sidebar(
    *,
    scope: Scope,
    territory: pd.DataFrame,
    names: dict[str, dict[str, str]],
    years: list[int],
    latest: date | None,
) -> Filters:
    """Draw the filters in the sidebar and return the view they describe (URL kept in step)."""
    filters, from_outside = _incoming()
    notes = list(filters.problems)
    if from_outside:
        notes += _seed(filters, territory, scope)

    side = st.sidebar
    side.header("Filtri")
    period_options = ["12m", "ytd", *(str(y) for y in sorted(years, reverse=True)), "custom"]
    if st.session_state.get("w_period") not in period_options:
        st.session_state["w_period"] = "12m"
    period = side.selectbox(
        "Periodo",
        period_options,
        key="w_period",
        format_func=lambda p: PERIOD_LABELS.get(p, f"Anno {p}"),
    )
    start = end = None
    if period == "custom":
        picked = side.date_input(
            "Dal – al", key="w_range", format="DD/MM/YYYY", max_value=latest or None
        )
        if isinstance(picked, tuple) and len(picked) == 2:
            start, end = picked
    grain = side.selectbox("Dettaglio", GRAINS, key="w_grain", format_func=GRAIN_LABELS.get)

    regions = sorted(territory["region"].unique())
    region = side.selectbox(
        "Regione",
        [ALL_REGIONS, *regions],
        key="w_region",
        format_func=lambda r: r or "Tutte le regioni",
    )
    in_region = territory if not region else territory[territory["region"] == region]
    province_names = dict(zip(territory["sigla"], territory["province"], strict=False))
    province_options = sorted(
        set(in_region["sigla"]) | set(st.session_state.get("w_province", [])),
        key=lambda s: province_names.get(s, s),
    )
    provinces = side.multiselect(
        "Province",
        province_options,
        key="w_province",
        format_func=lambda s: f"{province_names.get(s, s)} ({s})",
        placeholder="Tutte le province visibili",
    )
    chosen = territory[territory["sigla"].isin(provinces)] if provinces else in_region
    area_names = dict(zip(territory["area"], territory["area_name"], strict=False))
    area_options = sorted(set(chosen["area"]) | set(st.session_state.get("w_area", [])))
    areas = side.multiselect(
        "Aree",
        area_options,
        key="w_area",
        format_func=lambda a: area_names.get(a, a),
        placeholder="Tutte le aree",
    )
    picks: dict[str, list[str]] = {}
    for name, label in (("channel", "Canali"), ("segment", "Segmenti"), ("topic", "Argomenti")):
        lookup = names.get(name + "s", {})
        options = sorted(set(lookup) | set(st.session_state.get(f"w_{name}", [])))
        picks[name] = side.multiselect(
            label,
            options,
            key=f"w_{name}",
            format_func=lambda code, lookup=lookup: lookup.get(code, code),
            placeholder="Tutti",
        )
    compare = side.selectbox(
        "Confronto", COMPARISONS, key="w_compare", format_func=COMPARE_LABELS.get
    )
    if region and not provinces:
        provinces = list(in_region["sigla"].unique())

    chosen_filters = Filters(
        period=period,
        start=start,
        end=end,
        grain=grain,
        provinces=tuple(sorted(provinces)),
        areas=tuple(sorted(areas)),
        channels=tuple(sorted(picks["channel"])),
        segments=tuple(sorted(picks["segment"])),
        topics=tuple(sorted(picks["topic"])),
        compare=compare,
    )
    st.session_state[STATE] = chosen_filters
    query = chosen_filters.to_query_string()
    if query != Filters.from_query(_query_params()).to_query_string() or from_outside:
        _write_url(chosen_filters)
    st.session_state[WRITTEN] = query
    for note in notes:
        st.warning(f"Parametro ignorato: {note}", icon=":material/warning:")
    return chosen_filters
