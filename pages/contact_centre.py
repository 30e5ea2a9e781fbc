"""Call center: did the phone lines meet ARERA's standards month by month (LS, TMA and AS per
month and province, the months met, the water rule), the calls with their quality, the waits,
when and why customers call; a click on a province in the grid narrows the view to it.

The page is drawn in sections (ui.sections, ?section=): only the chosen one runs and draws."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import pandas as pd
import streamlit as st

from data_access.compliance import ARERA_KPIS, WATER_RULE, months_met, water_rule
from data_access.i18n import text
from data_access.kpis import KPIS, Kpi, not_applicable_sentence
from data_access.periods import Period
from ui import centre_data, charts, data, formatting
from ui.centre_charts import calls_figure, compliance_figure, topics_figure
from ui.centre_tables import (
    change_format,
    count_format,
    kpi_column,
    kpi_format,
    number_column,
    numbers_table,
    percent_format,
    text_column,
)
from ui.header import page_header
from ui.page_list import page_title
from ui.province_click import clickable_chart
from ui.sections import section_choice
from ui.tiles import kpi_tile
from ui.url_choice import page_choice
from ui.view import View, current_view
from ui.waiting import render_waiting, render_when

ARERA_PARAM = "arera"  # the URL parameter of the grid's indicator (ui.url_choice)
ARERA_WIDGET = "w_centre_arera"
QUALITY = ("service_level_80_20", "aht", "fcr")  # beside the calls
GROWERS = 3  # topics named as growing most
SECTION_WIDGET = "w_centre_section"


def render() -> None:
    """Draw the contact-centre page."""
    view = current_view()
    if not page_header(page_title("contact-centre", view.lang), view):
        return
    section = section_choice("centre", list(SECTIONS), key=SECTION_WIDGET, lang=view.lang)
    if view.period is None:
        st.info(text("trends.incomplete_period", view.lang))
        return
    SECTIONS[section](view)  # only the chosen section runs its queries and draws


# --- ARERA compliance ---------------------------------------------------------------------------


def _compliance(view: View) -> None:
    """LS, TMA or AS per month and province against the standard in force, months met, rule."""
    lang, period = view.lang, view.period
    if period is None:  # render() has said so already
        return
    st.subheader(text("centre.compliance.title", lang))
    code = page_choice(
        ARERA_PARAM,
        ARERA_KPIS,
        default=ARERA_KPIS[0],
        key=ARERA_WIDGET,
        label=text("centre.compliance.indicator", lang),
        format_func=lambda c: KPIS[c].label(lang),
        lang=lang,
        problem="centre.compliance.unknown_indicator",
        control="segmented",
    )
    kpi = KPIS[code]
    with_data = data.kpis_with_data(ARERA_KPIS)
    if "line_accessibility" not in with_data:  # AS needs line times: say so whatever is chosen
        st.caption(text("centre.compliance.no_line_time", lang))
    ignored = kpi.ignored_by(view.filters)
    if ignored:
        st.info(not_applicable_sentence(kpi, ignored, lang))
        return
    if code not in with_data:
        key = "centre.compliance.no_line_time_chosen" if code == "line_accessibility" else None
        st.info(text(key or "trends.no_source", lang, kpi=kpi.label(lang)))
        return
    grid = centre_data.compliance_grid(view.filters, view.scope, code, period)
    if grid.empty:
        st.info(text("centre.compliance.no_data", lang, kpi=kpi.label(lang)))
        return
    provinces = view.names.get("provinces", {})
    phrases = _standard_phrases(grid, kpi, lang)
    figure = compliance_figure(grid, kpi=kpi, standards=phrases, names=provinces, lang=lang)
    clickable_chart(figure, name="centre_grid", current=view.filters.provinces, lang=lang)
    st.caption(text("centre.compliance.note", lang, kpi=kpi.label(lang)))
    st.caption(_standards_sentence(grid, kpi, lang))
    st.caption(_water_rule_sentence(lang))
    _grid_table(grid, kpi, phrases, provinces, lang)
    st.markdown(f"**{text('centre.compliance.months_met', lang)}**")
    water = grid if code == WATER_RULE.kpi else None
    if water is None:
        water = centre_data.compliance_grid(view.filters, view.scope, WATER_RULE.kpi, period)
    _months_met_table(grid, water, period, kpi, provinces, lang)


def _sign(direction: object) -> str:
    return "≥" if direction == "min" else "≤"


def _standard_phrase(source: str, direction: object, threshold: float, kpi: Kpi, lang: str) -> str:
    """'Standard ARERA ≥ 80,0%' (the overview's wording)."""
    key = f"tile.source.{source}"
    said = text(key, lang) if source in ("ARERA", "internal") else source
    value = formatting.kpi_value(threshold, kpi, lang)
    return text("tile.target", lang, source=said, sign=_sign(direction), value=value)


def _standard_phrases(grid: pd.DataFrame, kpi: Kpi, lang: str) -> dict[tuple[date, str], str]:
    """Per (month, sigla) of the grid: the standard in force as words, '' where none is."""
    return {
        (row.bucket, row.province): (
            ""
            if row.valid_from is None or pd.isna(row.valid_from)
            else _standard_phrase(str(row.source), row.direction, float(row.threshold), kpi, lang)
        )
        for row in grid.itertuples()
    }


def _standards_sentence(grid: pd.DataFrame, kpi: Kpi, lang: str) -> str:
    """Which standards were in force over the period, since when, and where they come from."""
    known = grid[grid["valid_from"].notna()]
    if known.empty:
        return text("centre.compliance.no_standard", lang, kpi=kpi.label(lang))
    distinct = known.drop_duplicates(["valid_from", "threshold", "direction", "source"])
    parts = [
        text(
            "centre.compliance.in_force",
            lang,
            standard=_standard_phrase(str(r.source), r.direction, float(r.threshold), kpi, lang),
            day=formatting.day(r.valid_from, lang),
        )
        for r in distinct.sort_values("valid_from").itertuples()
    ]
    sources = sorted(set(distinct["source"]))
    said = "; ".join(
        text(f"centre.source.{s}", lang) if s in ("ARERA", "internal") else str(s) for s in sources
    )
    return text("centre.compliance.standards", lang, standards="; ".join(parts), sources=said)


def _water_rule_sentence(lang: str) -> str:
    kpi = KPIS[WATER_RULE.kpi]
    return text(
        "centre.compliance.water_rule",
        lang,
        kpi=kpi.label(lang),
        sign=_sign(WATER_RULE.direction),
        threshold=formatting.kpi_value(WATER_RULE.threshold, kpi, lang),
        months=WATER_RULE.months,
        of=WATER_RULE.of,
    )


def _status_word(status: str, lang: str) -> str:
    return text(f"centre.status.{status}", lang)


def _grid_table(
    grid: pd.DataFrame,
    kpi: Kpi,
    phrases: Mapping[tuple[date, str], str],
    provinces: Mapping[str, str],
    lang: str,
) -> None:
    """Every cell of the grid as a row: month, province, value, n, standard, status."""
    table = pd.DataFrame(
        {
            "bucket": grid["bucket"],
            "province": [provinces.get(s, s) for s in grid["province"]],
            "value": grid["value"].astype("float64"),
            "n": grid["n"].astype("float64"),
            "standard": [
                phrases[b, s] for b, s in zip(grid["bucket"], grid["province"], strict=True)
            ],  # fmt: skip
            "status": [_status_word(s, lang) for s in grid["status"]],
        }
    ).sort_values(["bucket", "province"], kind="stable")
    numbers_table(
        table,
        formats={
            "bucket": lambda b: charts.bucket_label(b, "month", lang),
            "value": kpi_format(kpi, lang),
            "n": count_format(lang),
        },
        config={
            "bucket": st.column_config.DateColumn(
                text("table.bucket", lang), help=text("table.help.bucket", lang)
            ),
            "province": text_column("province", lang),
            "value": kpi_column(kpi, lang),
            "n": st.column_config.NumberColumn(
                text("table.n", lang), help=text("table.help.n", lang)
            ),
            "standard": text_column("standard", lang, helped=True),
            "status": text_column("status", lang, helped=True),
        },
        key="centre_grid_table",
        lang=lang,
    )


def _verdict(holds: object) -> str:
    """The water rule's verdict key: holds, fails, or needs_year when it cannot be judged."""
    if holds is None or (isinstance(holds, float) and pd.isna(holds)):
        return "needs_year"
    return "holds" if bool(holds) else "fails"


def _months_met_table(
    grid: pd.DataFrame,
    water: pd.DataFrame,
    period: Period,
    kpi: Kpi,
    provinces: Mapping[str, str],
    lang: str,
) -> None:
    """Per province: months with a value, met and missed against the standard; the water rule."""
    met = months_met(grid)
    rule = water_rule(water, period)
    merged = met.merge(rule[["province", "months_at", "holds"]], on="province", how="left")
    table = pd.DataFrame(
        {
            "province": [provinces.get(s, s) for s in merged["province"]],
            "months": merged["months"].astype("float64"),
            "met": merged["met"].astype("float64"),
            "missed": merged["missed"].astype("float64"),
            "water_months": merged["months_at"].astype("float64"),
            "water": [
                text(f"centre.water.{_verdict(h)}", lang, of=WATER_RULE.of) for h in merged["holds"]
            ],
        }
    ).sort_values("province", kind="stable")
    label = kpi.label(lang)
    water_label = KPIS[WATER_RULE.kpi].label(lang)
    threshold = formatting.kpi_value(WATER_RULE.threshold, KPIS[WATER_RULE.kpi], lang)

    def header(key: str, **values: object) -> str:
        return text(f"centre.table.{key}", lang, **values)

    def helped(key: str, **values: object) -> str:
        return text(f"centre.table.help.{key}", lang, **values)

    numbers_table(
        table,
        formats={c: count_format(lang) for c in ("months", "met", "missed", "water_months")},
        config={
            "province": text_column("province", lang),
            "months": st.column_config.NumberColumn(header("months"), help=helped("months")),
            "met": st.column_config.NumberColumn(header("met"), help=helped("met", kpi=label)),
            "missed": st.column_config.NumberColumn(
                header("missed"), help=helped("missed", kpi=label)
            ),
            "water_months": st.column_config.NumberColumn(
                header("water_months", threshold=threshold),
                help=helped("water_months", kpi=water_label, threshold=threshold),
            ),
            "water": st.column_config.TextColumn(
                header("water"),
                help=helped("water", months=WATER_RULE.months, of=WATER_RULE.of),
            ),
        },
        key="centre_months_table",
        lang=lang,
    )


# --- calls ----------------------------------------------------------------------------------


def _calls(view: View) -> None:
    """Calls offered, answered and abandoned over time, with 80/20, AHT and FCR beside them."""
    lang, period, filters = view.lang, view.period, view.filters
    if period is None:
        return
    st.subheader(text("centre.calls.title", lang))
    board = data.kpi_board(filters, view.scope, QUALITY, period=period)
    single = filters.provinces[0] if len(filters.provinces) == 1 else None
    targets = data.targets(QUALITY, period.end, single)
    with_data = data.kpis_with_data(QUALITY)
    for column, code in zip(st.columns(len(QUALITY)), QUALITY, strict=True):
        with column:
            kpi_tile(board.values[code], targets[code], board.by_bucket[code], lang,
                     has_data=code in with_data)  # fmt: skip
    counts = centre_data.call_counts(filters, view.scope, period)
    if counts.empty:
        st.info(text("centre.calls.no_data", lang))
        return
    st.plotly_chart(
        calls_figure(counts, grain=filters.grain, lang=lang),
        key="centre_calls",
        config=charts.plotly_config(lang),
        width="stretch",
    )
    st.caption(text("centre.calls.note", lang))
    _calls_table(counts, board.by_bucket, filters.grain, lang)


def _calls_table(
    counts: pd.DataFrame, quality: Mapping[str, pd.DataFrame], grain: str, lang: str
) -> None:
    """Per bucket: the call counts and the quality KPIs beside them."""
    table = counts[["bucket", "offered", "answered", "abandoned", "other"]].copy()
    table["bucket"] = [pd.Timestamp(b).date() for b in table["bucket"]]
    for code in QUALITY:
        series = quality[code]
        values = dict(zip((pd.Timestamp(b).date() for b in series["bucket"]), series["value"],
                          strict=True))  # fmt: skip
        table[code] = [float(values.get(b, float("nan"))) for b in table["bucket"]]
    for part in ("offered", "answered", "abandoned", "other"):
        table[part] = table[part].astype("float64")
    numbers_table(
        table,
        formats={
            "bucket": lambda b: charts.bucket_label(b, grain, lang),
            **{part: count_format(lang) for part in ("offered", "answered", "abandoned", "other")},
            **{code: kpi_format(KPIS[code], lang) for code in QUALITY},
        },
        config={
            "bucket": st.column_config.DateColumn(
                text("table.bucket", lang), help=text("table.help.bucket", lang)
            ),
            **{
                part: number_column(part, lang)
                for part in ("offered", "answered", "abandoned", "other")
            },  # fmt: skip
            **{code: kpi_column(KPIS[code], lang) for code in QUALITY},
        },
        key="centre_calls_table",
        lang=lang,
    )


# --- waiting and hours: built by another helper (ui/waiting.py) --------------------------------


# --- why they call --------------------------------------------------------------------------


def _why_they_call(view: View) -> None:
    """Contacts by topic over time; per topic FCR, complaint share and growth."""
    lang, period, filters = view.lang, view.period, view.filters
    if period is None:
        return
    st.subheader(text("centre.topics.title", lang))
    series = centre_data.topic_series(filters, view.scope, period)
    if series.empty:
        st.info(text("centre.topics.no_data", lang))
        return
    topics = view.names.get("topics", {})
    st.plotly_chart(
        topics_figure(series, grain=filters.grain, names=topics, lang=lang),
        key="centre_topics",
        config=charts.plotly_config(lang),
        width="stretch",
    )
    st.caption(text("centre.topics.note", lang))
    compared = filters.comparison(period)
    summary = centre_data.topic_summary(filters, view.scope, period, compared)
    growing = summary[summary["change"] > 0].head(GROWERS)
    if compared is None:
        st.caption(text("overview.pick_comparison", lang))
    elif growing.empty:
        st.caption(text("centre.topics.none_grew", lang, period=compared.phrase(lang)))
    else:
        named = ", ".join(
            text(
                "centre.topics.grower",
                lang,
                topic=topics.get(r.topic, r.topic),
                change=change_format(lang)(r.change),
            )
            for r in growing.itertuples()
        )
        st.markdown(text("centre.topics.grew", lang, topics=named, period=compared.phrase(lang)))
    _topics_table(summary, topics, lang)


def _topics_table(summary: pd.DataFrame, topics: Mapping[str, str], lang: str) -> None:
    table = pd.DataFrame(
        {
            "topic": [topics.get(t, t) for t in summary["topic"]],
            "contacts": summary["contacts"].astype("float64"),
            "share": summary["share"].astype("float64"),
            "fcr": summary["fcr"].astype("float64"),
            "complaint_share": summary["complaint_share"].astype("float64"),
            "contacts_before": summary["contacts_before"].astype("float64"),
            "change": summary["change"].astype("float64"),
        }
    )
    fcr = KPIS["fcr"]
    numbers_table(
        table,
        formats={
            "contacts": count_format(lang),
            "share": percent_format(lang),
            "fcr": kpi_format(fcr, lang),
            "complaint_share": percent_format(lang),
            "contacts_before": count_format(lang),
            "change": change_format(lang),
        },
        config={
            "topic": text_column("topic", lang),
            "contacts": kpi_column(KPIS["contacts"], lang),
            "share": number_column("share", lang),
            "fcr": kpi_column(fcr, lang),
            "complaint_share": number_column("complaint_share", lang),
            "contacts_before": number_column("contacts_before", lang),
            "change": number_column("change", lang),
        },
        key="centre_topics_table",
        lang=lang,
    )


# the page's sections in the chooser's order, the first the default (labels: sections.centre.*)
SECTIONS: dict[str, Callable[[View], None]] = {
    "compliance": _compliance,
    "calls": _calls,
    "waiting": render_waiting,
    "when": render_when,
    "why": _why_they_call,
}


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
