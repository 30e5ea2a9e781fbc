"""Overview: every headline KPI with change, target and trend; what changed; province ranking
with its exact numbers."""

from __future__ import annotations

import streamlit as st

from data_access.i18n import text
from data_access.kpis import KPIS, not_applicable_sentence
from data_access.movements import movements_between
from data_access.queries import KpiBoard
from ui import charts, data
from ui.channel_tables import kpi_table
from ui.header import page_header
from ui.movements import movement_sentence
from ui.page_list import page_title
from ui.province_click import clickable_chart
from ui.tiles import kpi_tile
from ui.url_choice import page_choice
from ui.view import View, current_view

TILES = (
    "csi",
    "nps",
    "contacts",
    "service_level",
    "average_wait",
    "abandonment_rate",
    "online_adoption",
    "branch_usage",
    "digital_share",
    "complaint_reply_days",
    "complaint_reply_30d",
    "association_reply_days",
)
MOVERS = ("csi", "nps", "service_level", "average_wait", "abandonment_rate", "digital_share")
RANKED = ("csi", "nps", "service_level", "average_wait", "abandonment_rate", "digital_share")
COLUMNS = 3
RANK_PARAM = "rank"  # the URL parameter of the ranking's indicator (ui.url_choice)


def render() -> None:
    """Draw the overview page."""
    view = current_view()
    if not page_header(page_title("overview", view.lang), view):
        return
    board = data.kpi_board(view.filters, view.scope, TILES, period=view.period)
    _tiles(view, board)
    _what_changed(view, board)
    _ranking(view, board)


def _tiles(view: View, board: KpiBoard) -> None:
    on = view.period.end if view.period else view.latest
    if on is None:  # an empty store: page_header has said so already
        return
    single = view.filters.provinces[0] if len(view.filters.provinces) == 1 else None
    targets = data.targets(TILES, on, single)
    with_data = data.kpis_with_data(TILES)
    for start in range(0, len(TILES), COLUMNS):
        for column, kpi in zip(st.columns(COLUMNS), TILES[start : start + COLUMNS], strict=False):
            with column:
                spark, target = board.by_bucket[kpi], targets[kpi]
                has_data = kpi in with_data
                kpi_tile(board.values[kpi], target, spark, view.lang, has_data=has_data)


def _what_changed(view: View, board: KpiBoard) -> None:
    lang = view.lang
    st.subheader(text("overview.what_changed", lang))
    if view.filters.compare == "none":
        st.caption(text("overview.pick_comparison", lang))
        return
    movements = movements_between(
        kpis=MOVERS, now=board.by_province, before=board.by_province_before
    )
    if not movements:
        st.caption(text("overview.no_movements", lang))
        return
    provinces = view.names.get("provinces", {})
    st.markdown("\n".join(f"- {movement_sentence(m, provinces, lang)}" for m in movements))


def _ranking(view: View, board: KpiBoard) -> None:
    lang = view.lang
    st.subheader(text("overview.ranking", lang))
    kpi_code = page_choice(
        RANK_PARAM,
        RANKED,
        default=RANKED[0],
        key="w_overview_rank",
        label=text("overview.indicator", lang),
        format_func=lambda code: KPIS[code].label(lang),
        lang=lang,
        problem="problem.unknown_rank",
        control="segmented",
    )
    kpi = KPIS[kpi_code]
    ignored = kpi.ignored_by(view.filters)
    if ignored:  # a filter the KPI does not depend on: say so, not "no data"
        st.info(not_applicable_sentence(kpi, ignored, lang))
        return
    values = board.by_province[kpi.code]
    if values.empty:
        st.info(text("overview.no_province_data", lang))
        return
    on = view.period.end if view.period else view.latest
    if on is None:  # an empty store: page_header has said so already
        return
    target = data.targets(TILES, on)[kpi.code]  # RANKED are tiles: one cached read
    figure = charts.ranking_figure(
        values,
        kpi=kpi,
        target=target.threshold if target else None,
        names=view.names.get("provinces"),
        lang=lang,
    )
    clickable_chart(figure, name="overview_ranking", current=view.filters.provinces, lang=lang)
    st.caption(text("overview.click_hint", lang))
    names = {"province": view.names.get("provinces", {})}
    kpi_table(values, kpi=kpi, grain=None, names=names, key="overview_ranking_table", lang=lang)


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
