"""Canali: where customers go. Adoption of the online area and branches against their
references, every channel's adoption, the channel mix and what moved, digital share by
province and segment, contacts per 1,000 customers and satisfaction by channel.

The page is drawn in sections (ui.sections, ?section=): only the chosen one runs and draws."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from data_access.i18n import text
from data_access.kpis import KPIS, Kpi, not_applicable_sentence
from data_access.models import KpiTarget
from data_access.movements import Movement
from data_access.queries.channels import channel_movements, with_shares
from ui import channel_charts, channel_data, charts, data, formatting
from ui.channel_tables import kpi_table, reaching_table
from ui.header import page_header
from ui.movements import movement_sentence
from ui.page_list import page_title
from ui.province_click import clickable_chart
from ui.sections import section_choice
from ui.url_choice import page_choice
from ui.view import View, current_view

ADOPTION = ("online_adoption", "branch_usage")
REACHING = "online_adoption"  # the month each province first reached its reference
# both adoption KPIs over time and per province, read together (one read for both sections)
ADOPTION_SHAPES = (("bucket", "province"), ("province",))
MIX_SHAPES = (("bucket", "channel"), ("channel",))  # contacts: the mix and what moved
MOVERS = ("contacts", "csi", "nps")  # what moved, per channel
SATISFACTION = ("csi", "nps")
MIX_PARAM = "mix"  # URL: share (default) or volume
MIX_CHOICES = ("share", "volume")
MIX_WIDGET = "w_channels_mix"
MOVEMENTS_SHOWN = 5
SECTION_WIDGET = "w_channels_section"


def render() -> None:
    """Draw the channels page."""
    view = current_view()
    if not page_header(page_title("channels", view.lang), view):
        return
    section = section_choice("channels", list(SECTIONS), key=SECTION_WIDGET, lang=view.lang)
    if view.period is None:
        st.info(text("trends.incomplete_period", view.lang))
        return
    SECTIONS[section](view)  # only the chosen section runs its queries and draws


# --- adoption ---------------------------------------------------------------------------------


def _online(view: View) -> None:
    """The online area per province against its reference, and when each province first
    reached it."""
    _adoption(view, "online_adoption")


def _branches(view: View) -> None:
    """Branch usage per province against its reference."""
    _adoption(view, "branch_usage")


def _adoption(view: View, code: str) -> None:
    """One adoption KPI per province over time and ranked, against its reference; for the
    online area, also the month each province first reached it."""
    lang, kpi = view.lang, KPIS[code]
    st.subheader(text("channels_page.adoption.title", lang))
    with_data = data.kpis_with_data(ADOPTION)
    if not with_data:
        st.info(text("channels_page.adoption.no_data", lang))
        return
    if code not in with_data:
        st.info(text("trends.no_source", lang, kpi=kpi.label(lang)))
        return
    ignored = kpi.ignored_by(view.filters)
    if ignored:
        st.info(not_applicable_sentence(kpi, ignored, lang))
        return
    target = _references(view)[code]
    _against_reference(view, kpi, target)
    if code == REACHING:
        _reaching(view, target)


def _references(view: View) -> dict[str, KpiTarget | None]:
    on = view.period.end if view.period else view.latest
    single = view.filters.provinces[0] if len(view.filters.provinces) == 1 else None
    return data.targets(ADOPTION, on, single) if on else dict.fromkeys(ADOPTION)


def _against_reference(view: View, kpi: Kpi, target: KpiTarget | None) -> None:
    """The KPI per province over time and its latest value ranked, each with its numbers."""
    lang, filters, provinces = view.lang, view.filters, view.names.get("provinces", {})
    label = kpi.label(lang)
    st.markdown(f"**{text('channels_page.adoption.against', lang, kpi=label)}**")
    threshold = target.threshold if target is not None else None
    over_time, ranked = st.columns([3, 2])
    with over_time:
        read = data.kpi_series_shapes(filters, view.scope, ADOPTION, ADOPTION_SHAPES, view.period)
        series = read[kpi.code, ("bucket", "province")]
        if series.empty or series["value"].isna().all():
            st.info(text("trends.no_data", lang, kpi=label))
        else:
            figure = charts.trend_figure(
                series, kpi=kpi, target=threshold, comparison=None, grain=filters.grain,
                names=provinces, lang=lang,
            )  # fmt: skip
            if target is not None:
                channel_charts.name_reference(figure, target, kpi, lang)
            _clickable(figure, f"{kpi.code}_trend", view)
            st.caption(_reference_note("trend", kpi, target, lang))
        kpi_table(series, kpi=kpi, grain=filters.grain, names=_names(view),
                  key=f"channels_{kpi.code}_trend_table", lang=lang)  # fmt: skip
    with ranked:
        values = read[kpi.code, ("province",)]
        if values.empty or values["value"].isna().all():
            st.info(text("overview.no_province_data", lang))
            return
        figure = channel_charts.ranked_bars_figure(
            values, kpi=kpi, target=threshold, names=provinces, lang=lang
        )
        if target is not None:
            channel_charts.name_reference(figure, target, kpi, lang)
        _clickable(figure, f"{kpi.code}_ranking", view)
        st.caption(_reference_note("ranking", kpi, target, lang))
        kpi_table(values, kpi=kpi, grain=None, names=_names(view),
                  key=f"channels_{kpi.code}_ranking_table", lang=lang)  # fmt: skip


def _reference_note(chart: str, kpi: Kpi, target: KpiTarget | None, lang: str) -> str:
    said = text(f"channels_page.note.{chart}", lang, kpi=kpi.label(lang))
    if target is None:
        return said + " " + text("channels_page.note.no_reference", lang)
    reference = channel_charts.reference_label(target, kpi, lang)
    return said + " " + text("channels_page.note.reference", lang, reference=reference)


def _reaching(view: View, target: KpiTarget | None) -> None:
    """When each province first reached the online area's reference, over all the data."""
    lang, kpi = view.lang, KPIS[REACHING]
    window = data.data_window()
    if target is None or window is None:
        return
    threshold = formatting.kpi_value(target.threshold, kpi, lang)
    st.markdown(f"**{text('channels_page.reaching.title', lang, threshold=threshold)}**")
    reached = channel_data.first_reaching(
        view.filters, view.scope, kpi.code, target.threshold, window.period
    )
    if reached.empty:
        st.info(text("trends.no_data", lang, kpi=kpi.label(lang)))
        return
    reaching_table(
        reached, kpi=kpi, threshold=threshold, provinces=view.names.get("provinces", {}),
        key="channels_reaching_table", lang=lang,
    )  # fmt: skip
    first, last = (formatting.day(day, lang) for day in (window.first, window.latest))
    st.caption(
        text("channels_page.reaching.note", lang, threshold=threshold, first=first, last=last)
    )


def _other_channels(view: View) -> None:
    """Every channel's adoption over time, as far as the adoption data has it."""
    lang = view.lang
    st.subheader(text("channels_page.others.title", lang))
    if view.filters.topics:
        st.info(text("channels_page.others.topics", lang))
        return
    assert view.period is not None  # render() returned otherwise
    series = channel_data.adoption_by_channel(
        view.filters, view.scope, ("bucket", "channel"), view.period
    )
    if series.empty:
        st.info(text("channels_page.others.no_data", lang))
        return
    kpi = KPIS["online_adoption"]  # the same measure and unit, for any channel
    names = view.names.get("channels", {})
    figure = channel_charts.channel_lines_figure(
        series, kpi=kpi, grain=view.filters.grain, names=names, lang=lang
    )
    st.plotly_chart(figure, width="stretch", key="channels_others",
                    config=charts.plotly_config(lang))  # fmt: skip
    st.caption(text("channels_page.note.others", lang))
    st.caption(text("channels_page.others.no_email_billing", lang))
    kpi_table(
        series.assign(suppressed=False), kpi=kpi, grain=view.filters.grain, names=_names(view),
        key="channels_others_table", lang=lang,
        value=(text("channels_page.table.adoption", lang), text("channels_page.note.others", lang)),
    )  # fmt: skip


# --- channel mix ------------------------------------------------------------------------------


def _mix(view: View) -> None:
    """Contacts per channel over time as shares or volumes, and what moved per channel."""
    lang, filters = view.lang, view.filters
    st.subheader(text("channels_page.mix.title", lang))
    shown = page_choice(
        MIX_PARAM,
        MIX_CHOICES,
        default=MIX_CHOICES[0],
        key=MIX_WIDGET,
        label=text("channels_page.mix.show", lang),
        format_func=lambda choice: text(f"channels_page.mix.{choice}", lang),
        lang=lang,
        problem="channels_page.mix.unknown",
        control="segmented",
    )
    contacts = KPIS["contacts"]
    read = data.kpi_series_shapes(filters, view.scope, ("contacts",), MIX_SHAPES, view.period)
    series = read["contacts", ("bucket", "channel")]
    if series.empty:
        st.info(text("trends.no_data", lang, kpi=contacts.label(lang)))
    else:
        mix = with_shares(series)
        figure = channel_charts.mix_figure(
            mix, shares=shown == "share", grain=filters.grain,
            names=view.names.get("channels", {}), lang=lang,
        )  # fmt: skip
        st.plotly_chart(figure, width="stretch", key="channels_mix",
                        config=charts.plotly_config(lang))  # fmt: skip
        st.caption(text(f"channels_page.note.mix_{shown}", lang))
        share = (text("channels_page.table.share", lang),
                 lambda v: formatting.percent(v, 1, lang))  # fmt: skip
        kpi_table(mix, kpi=contacts, grain=filters.grain, names=_names(view),
                  key="channels_mix_table", lang=lang, extra={"share": share})  # fmt: skip
    _what_moved(view)


def _what_moved(view: View) -> None:
    """The largest significant movements per channel against the comparison period."""
    lang = view.lang
    st.markdown(f"**{text('channels_page.moved.title', lang)}**")
    compared = view.filters.comparison(view.period)
    if compared is None or view.period is None:
        st.caption(text("overview.pick_comparison", lang))
        return
    kpis = [code for code in MOVERS if not KPIS[code].ignored_by(view.filters)]
    filters, scope, by = view.filters, view.scope, ("channel",)
    read = data.kpi_series_shapes(filters, scope, ("contacts",), MIX_SHAPES, view.period)
    now = {"contacts": read["contacts", by]}  # the mix's read; CSI and NPS: satisfaction's
    now |= data.kpi_series_many(filters, scope, SATISFACTION, by, view.period)
    earlier = data.kpi_series_many(filters, scope, MOVERS, by, compared)
    now, before = ({code: frames[code] for code in kpis} for frames in (now, earlier))
    found = channel_movements(kpis=kpis, now=now, before=before, limit=MOVEMENTS_SHOWN)
    if not found:
        st.caption(text("channels_page.moved.none", lang))
        return
    names = view.names.get("channels", {})
    said = [_moved(m, names, view, compared) for m in found]
    st.markdown("\n".join(f"- {sentence}" for sentence in said))
    st.caption(text("channels_page.note.moved", lang))


def _moved(movement: Movement, names: Mapping[str, str], view: View, compared: object) -> str:
    """A channel's movement in words: volumes as a relative change, KPIs as on the overview."""
    lang = view.lang
    if movement.kpi != "contacts":
        return movement_sentence(movement, names, lang)
    assert view.period is not None and compared is not None
    relative = (movement.now - movement.before) / movement.before * 100
    sign = "+" if relative > 0 else "−"
    period = formatting.short_period(view.period, lang)
    before = formatting.short_period(compared, lang)  # type: ignore[arg-type]
    years = period.isdigit() and before.isdigit()  # 'nel 2020 rispetto al 2019'
    return text(
        "channels_page.moved.contacts_years" if years else "channels_page.moved.contacts",
        lang,
        channel=names.get(movement.province, movement.province),
        change=sign + formatting.percent(abs(relative), 1, lang),
        period=period,
        compared=before,
        before=formatting.number(movement.before, 0, lang),
        now=formatting.number(movement.now, 0, lang),
    )


# --- digital share and contacts per customer --------------------------------------------------


def _digital(view: View) -> None:
    """Digital share per province and segment; contacts per 1,000 customers per channel."""
    lang, filters = view.lang, view.filters
    st.subheader(text("channels_page.digital.title", lang))
    share_column, rate_column = st.columns(2)
    with share_column:
        kpi = KPIS["digital_share"]
        st.markdown(f"**{text('channels_page.digital.by_segment', lang)}**")
        by = ("province", "segment")
        values = data.kpi_series(filters, view.scope, kpi.code, by, view.period)
        if values.empty or values["value"].isna().all():
            st.info(text("trends.no_data", lang, kpi=kpi.label(lang)))
        else:
            figure = channel_charts.segment_bars_figure(
                values, kpi=kpi, provinces=view.names.get("provinces", {}),
                segments=view.names.get("segments", {}), lang=lang,
            )  # fmt: skip
            _clickable(figure, "digital", view)
            st.caption(text("channels_page.note.digital", lang))
        kpi_table(values, kpi=kpi, grain=None, names=_names(view),
                  key="channels_digital_table", lang=lang)  # fmt: skip
    with rate_column:
        kpi = KPIS["contacts_per_1000"]
        st.markdown(f"**{text('channels_page.digital.per_1000', lang)}**")
        values = data.kpi_series(filters, view.scope, kpi.code, ("channel",), view.period)
        if values.empty or values["value"].isna().all():
            st.info(text("trends.no_data", lang, kpi=kpi.label(lang)))
        else:
            figure = channel_charts.channel_bars_figure(
                values, kpi=kpi, names=view.names.get("channels", {}), lang=lang
            )
            st.plotly_chart(figure, width="stretch", key="channels_per_1000",
                            config=charts.plotly_config(lang))  # fmt: skip
            st.caption(text("channels_page.note.per_1000", lang))
        kpi_table(values, kpi=kpi, grain=None, names=_names(view),
                  key="channels_per_1000_table", lang=lang)  # fmt: skip


# --- satisfaction -----------------------------------------------------------------------------


def _satisfaction(view: View) -> None:
    """CSI and NPS per channel with n and the 95% interval; small cells suppressed."""
    lang = view.lang
    st.subheader(text("channels_page.satisfaction.title", lang))
    read = data.kpi_series_many(view.filters, view.scope, SATISFACTION, ("channel",), view.period)
    for column, code in zip(st.columns(len(SATISFACTION)), SATISFACTION, strict=True):
        kpi = KPIS[code]
        with column:
            st.markdown(f"**{kpi.label(lang)}**")
            ignored = kpi.ignored_by(view.filters)
            if ignored:
                st.info(not_applicable_sentence(kpi, ignored, lang))
                continue
            values = read[code]
            if values.empty:
                st.info(text("trends.no_data", lang, kpi=kpi.label(lang)))
                continue
            if values["value"].isna().all():
                st.info(text("channels_page.satisfaction.all_suppressed", lang,
                             kpi=kpi.label(lang), sample=kpi.sample(lang)))  # fmt: skip
            else:
                figure = channel_charts.channel_estimates_figure(
                    values, kpi=kpi, names=view.names.get("channels", {}), lang=lang
                )
                st.plotly_chart(figure, width="stretch", key=f"channels_{code}",
                                config=charts.plotly_config(lang))  # fmt: skip
                st.caption(text("channels_page.note.satisfaction", lang, sample=kpi.sample(lang)))
            kpi_table(values, kpi=kpi, grain=None, names=_names(view),
                      key=f"channels_{code}_table", lang=lang)  # fmt: skip


# --- shared -----------------------------------------------------------------------------------


def _names(view: View) -> dict[str, Mapping[str, str]]:
    """Display names by table column: province, channel, segment."""
    return {
        "province": view.names.get("provinces", {}),
        "channel": view.names.get("channels", {}),
        "segment": view.names.get("segments", {}),
    }


def _clickable(figure: object, name: str, view: View) -> None:
    """Draw a chart whose province marks narrow the view to the clicked provinces."""
    clickable_chart(figure, name=f"channels_{name}", current=view.filters.provinces, lang=view.lang)


# the page's sections in the chooser's order, the first the default (labels: sections.channels.*)
SECTIONS: dict[str, Callable[[View], None]] = {
    "online": _online,
    "branches": _branches,
    "others": _other_channels,
    "mix": _mix,
    "digital": _digital,
    "satisfaction": _satisfaction,
}


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
