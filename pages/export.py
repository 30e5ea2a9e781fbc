"""Esporta: the rows or a KPI's numbers behind the view (the sidebar's Filters, the person's
Scope), counted and previewed, downloaded in the format chosen; over BROWSER_LIMIT rows, the
command line that exports the same view."""

from __future__ import annotations

import re
import shlex

import streamlit as st

from data_access.dimensions import DIMENSIONS
from data_access.export import FORMATS, KINDS, RAW, file_name, kpi_of
from data_access.i18n import text
from data_access.kpis import KPIS, not_applicable_sentence
from data_access.periods import Period
from ui import export_data, formatting
from ui.downloads import export_download, page_slug
from ui.header import page_header
from ui.page_list import page_title
from ui.url_choice import page_choice
from ui.view import View, current_view

BROWSER_LIMIT = 1_000_000  # rows: a larger export is offered as a command line, not a download
PREVIEW_ROWS = 20
KIND_PARAM = "kind"  # the URL parameter this page owns: what is exported
DEFAULT_KIND = "contacts"
KIND_WIDGET = "w_export_kind"
BY_WIDGET = "w_export_by"
FORMAT_WIDGET = "w_export_format"
LOCAL_USER = "locale"  # the person the command line runs as without --as (data_access.cli)
CHOOSER_WIDTH = 520  # pixels: long enough for the longest kind


def render() -> None:
    """Draw the export page."""
    view = current_view()
    lang = view.lang
    if not page_header(page_title("export", lang), view):
        return
    kind = _chosen_kind(view)
    if view.period is None:
        st.info(text("export_page.no_period", lang))
        return
    kpi = kpi_of(kind)
    by = _chosen_by(kind, lang) if kpi else ()
    period = export_period(view, kind)
    refused = _not_applicable(view, kind)
    if refused:
        st.info(refused)
        return
    if kpi:
        grain = text(f"sentence.grains.{view.filters.grain}", lang)
        st.caption(text("export_page.kpi_note", lang, kpi=KPIS[kpi].label(lang), grain=grain))
    else:
        st.caption(text("export_page.rows_note", lang))
    rows = export_data.count_rows(view.filters, view.scope, kind, by, period)
    if not rows:
        st.info(text("export_page.nothing", lang))
        return
    said = formatting.number(rows, 0, lang)
    count = text("export_page.count_one", lang) if rows == 1 else None
    st.markdown(f"**{count or text('export_page.count', lang, rows=said)}**")
    _preview(view, kind, by, period, min(rows, PREVIEW_ROWS))
    fmt = _chosen_format(lang)
    if rows > BROWSER_LIMIT:
        limit = formatting.number(BROWSER_LIMIT, 0, lang)
        st.warning(text("export_page.too_many", lang, rows=said, limit=limit))
        # a code span, not st.code: st.code's highlighter (a 1.5 MB script registering every
        # Prism language) costs ~0.35 s the first time a browser tab draws one
        st.markdown(_code_span(command_line(view, kind, by, fmt)))
        return
    export_download(
        kind=kind,
        by=by,
        period=period,
        fmt=fmt,
        key="export_download",
        label=text("export_page.download", lang),
        help_text=text("export_page.download_help", lang),
    )


def export_period(view: View, kind: str) -> Period:
    """The period an export reads, as the command line does: a KPI's is the one its pages show
    (fitted to the data window), raw rows' the one asked for, counted back from the latest day."""
    assert view.period is not None  # render() has returned otherwise
    if kpi_of(kind) is not None:
        return view.period
    return view.filters.resolve(view.latest) or view.period


def _kind_label(kind: str, lang: str) -> str:
    """'Contatti (righe)' or 'Livello di servizio (LS): aggregato per periodo'."""
    kpi = kpi_of(kind)
    if kpi is None:
        return text(f"export_page.kind.{kind}", lang)
    return text("export_page.kind.kpi", lang, kpi=KPIS[kpi].label(lang))


def exportable(view: View) -> list[str]:
    """What this person may export: every KPI's aggregate, and raw rows only for the roles
    allowed them (analyst, admin; data_access refuses them to the others anyway)."""
    return [kind for kind in KINDS if kind not in RAW or view.scope.may_export_raw]


def _chosen_kind(view: View) -> str:
    """What to export, kept in step with ?kind= (a raw kind, or a KPI's code)."""
    lang, kinds = view.lang, exportable(view)
    if not view.scope.may_export_raw:
        st.caption(text("export_page.raw_for_roles", lang))
    return page_choice(
        KIND_PARAM,
        kinds,
        default=DEFAULT_KIND if DEFAULT_KIND in kinds else kinds[0],
        key=KIND_WIDGET,
        label=text("export_page.what", lang),
        format_func=lambda kind: _kind_label(kind, lang),
        lang=lang,
        problem="export_page.unknown_kind",
        help=text("export_page.what_help", lang),
        width=CHOOSER_WIDTH,
    )


def _chosen_by(kind: str, lang: str) -> tuple[str, ...]:
    """The dimensions of a KPI's aggregate: those the KPI depends on, by province at first."""
    kpi = KPIS[kpi_of(kind) or kind]
    options = [d.param for d in DIMENSIONS if d.attr in kpi.dimensions]
    labels = {d.param: text(f"filters.{d.attr}", lang) for d in DIMENSIONS}
    chosen = st.multiselect(
        text("export_page.by", lang),
        options,
        default=[p for p in ("province",) if p in options],
        format_func=lambda param: labels[param],
        key=f"{BY_WIDGET}_{kpi.code}",  # each KPI offers its own dimensions
        help=text("export_page.by_help", lang),
        width=CHOOSER_WIDTH,
    )
    return tuple(chosen)


def _not_applicable(view: View, kind: str) -> str | None:
    """Why kind cannot be exported with the view's filters, in words; None when it can."""
    kpi = kpi_of(kind)
    if kpi is not None:
        ignored = KPIS[kpi].ignored_by(view.filters)
        return not_applicable_sentence(KPIS[kpi], ignored, view.lang) if ignored else None
    carried = RAW[kind].dimensions
    missing = [
        d.attr
        for d in DIMENSIONS
        if d.attr != "provinces" and getattr(view.filters, d.attr) and d.attr not in carried
    ]
    if not missing:
        return None
    filters = ", ".join(text(f"filters.{attr}", view.lang) for attr in missing)
    what = text(f"export_page.rows_name.{kind}", view.lang)
    return text("export_page.not_applicable", view.lang, what=what, filters=filters)


def _preview(view: View, kind: str, by: tuple[str, ...], period: Period, rows: int) -> None:
    """The export's first rows as they go into the file (column names and values)."""
    if rows >= PREVIEW_ROWS:  # fewer are all the rows: the count has said how many
        st.markdown(text("export_page.preview", view.lang, rows=rows))
    first = export_data.preview(view.filters, view.scope, kind, by, period, PREVIEW_ROWS)
    st.dataframe(first, hide_index=True, width="stretch", key="export_preview")


def _chosen_format(lang: str) -> str:
    """The file format: csv, csv-it, xlsx or parquet."""
    chosen = st.segmented_control(
        text("export_page.format", lang),
        list(FORMATS),
        default="csv",
        format_func=lambda fmt: text(f"downloads.format.{fmt}", lang),
        key=FORMAT_WIDGET,
        required=True,
    )
    return chosen if chosen in FORMATS else "csv"


def _code_span(words: str) -> str:
    """Markdown showing words as they are, in a code span (fenced by more backticks than
    words holds in a row)."""
    longest = max((len(run) for run in re.findall(r"`+", words)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {words} {fence}" if longest else f"{fence}{words}{fence}"


def command_line(view: View, kind: str, by: tuple[str, ...], fmt: str) -> str:
    """The command exporting this view as the page would, e.g. `python -m data_access export
    contacts --url '?period=2025&province=RA' --format parquet -o ...parquet`."""
    words = ["python", "-m", "data_access", "export", kind]
    query = view.filters.to_query_string()
    if query:
        words += ["--url", f"?{query}"]
    if by:
        words += ["--by", *by]
    period = export_period(view, kind)
    name = file_name(page_slug("export"), view.filters, kpi_of(kind) or kind, fmt, period)
    words += ["--format", fmt, "-o", name]
    if view.scope.user and view.scope.user != LOCAL_USER:
        words += ["--as", view.scope.user]
    return " ".join(shlex.quote(word) for word in words)


if __name__ == "__main__":  # Streamlit's legacy pages/ mode ran this file alone (ui/entry.py)
    from ui.entry import run_entry

    run_entry()
