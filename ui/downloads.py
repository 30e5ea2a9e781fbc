"""A download under every table: exactly the table's rows as csv, csv-it, xlsx or parquet.

The control is a small popover holding one st.download_button per format; each button gets a
callable (Streamlit's deferred download), so no file is written until it is clicked, and the
callable reads nothing: it writes the rows the page already read (with the person's scope) and
records the download in the audit (ui.audit). The file holds the underlying values (numbers,
dates), not the display text, under the columns' codes (bucket, province, value, n, ...), as the
command-line export names its columns; xlsx and parquet carry the provenance (view, link,
person, scope, store version, time, rows).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from data_access.db import database_url, get_engine
from data_access.export import (
    FORMATS,
    Provenance,
    export,
    file_name,
    kpi_of,
    provenance_for,
    write_frame,
)
from data_access.export.formats import ColumnType, infer_types
from data_access.filters import Filters
from data_access.i18n import DEFAULT, text
from data_access.periods import Period
from data_access.scope import Scope
from ui import formatting, url_choice
from ui.audit import export_recorder
from ui.page_list import page_title
from ui.sidebar import view_query
from ui.view import current_view

WITH_PROVENANCE = ("xlsx", "parquet")  # a CSV's '#' lines would break most readers
ICON = ":material/download:"


def page_slug(url_path: str) -> str:
    """A page's name in file names: its Italian title as a slug ('trends' -> 'andamenti')."""
    if not url_path:
        return ""
    try:
        title = page_title(url_path, DEFAULT)
    except KeyError:
        title = url_path
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def column_types(table: pd.DataFrame, counts: Iterable[str] = ()) -> dict[str, ColumnType]:
    """Each column's type as the file writes it: inferred from its values, counts as integers
    (the tables keep n as a float so that a missing one shows the placeholder); a count column
    holding a fraction (the customer base averaged over months) stays a number."""
    types = infer_types(table)
    for column in counts:
        if column in types and _whole(table[column]):
            types[column] = "int"
    return types


def _whole(values: pd.Series) -> bool:
    """True when every value present is a whole number."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    return bool((numbers == numbers.round()).all())


def table_bytes(
    table: pd.DataFrame,
    fmt: str,
    *,
    counts: Iterable[str] = (),
    provenance_of: Callable[[int], Provenance] | None = None,
) -> bytes:
    """The table's rows as the bytes of a file in fmt; provenance_of(rows) gives the provenance
    written into xlsx and parquet (never into a CSV)."""
    provenance = provenance_of(len(table)) if provenance_of and fmt in WITH_PROVENANCE else None
    return write_frame(
        table,
        fmt,
        provenance=provenance,
        columns_types=column_types(table, counts),
    )


def _provenance_maker(
    store_url: str, filters: Filters, scope: Scope, url: str, lang: str
) -> Callable[[int], Provenance]:
    """provenance_for this view, computed only when a file is written (it reads the store)."""

    def make(rows: int) -> Provenance:
        engine = get_engine(store_url)
        return provenance_for(engine, filters=filters, scope=scope, url=url, rows=rows, lang=lang)

    return make


def view_link(url_path: str, filters: Filters, lang: str) -> str:
    """The view's link as the browser shows it: '/trends?province=RA&kpi=csi'."""
    query = {**view_query(filters, lang), **url_choice.page_params()}
    encoded = urlencode(query, doseq=True)
    return f"/{url_path}?{encoded}" if encoded else f"/{url_path}"


def table_download(
    table: pd.DataFrame,
    *,
    key: str | None,
    kpi: str | None = None,
    columns: Sequence[str] | None = None,
    counts: Iterable[str] = (),
) -> None:
    """Under a table: a 'Scarica' popover with a download per format of the table's rows.

    columns: the columns shown, in order (default all); counts: those holding whole numbers;
    kpi: the KPI code the file is named after. Nothing is written until a button is clicked.
    """
    view = current_view()
    lang, filters = view.lang, view.filters
    rows = table.loc[:, list(columns)] if columns is not None else table
    rows = rows.reset_index(drop=True)
    slug = page_slug(view.page)
    link = view_link(view.page, filters, lang)
    provenance_of = _provenance_maker(database_url(), filters, view.scope, link, lang)
    served = export_recorder(kind=f"table:{key}" if key else "table", url=link)
    wanted = tuple(counts)
    with st.popover(
        text("downloads.label", lang),
        icon=ICON,
        help=text("downloads.help", lang),
        key=f"{key}_download" if key else None,
    ):
        for fmt, spec in FORMATS.items():
            st.download_button(
                text(f"downloads.format.{fmt}", lang),
                data=_maker(rows, fmt, wanted, provenance_of, served),
                file_name=file_name(slug, filters, kpi, fmt, view.period),
                mime=spec.mime,
                key=f"{key}_download_{fmt}" if key else None,
                help=text(f"downloads.format_help.{fmt}", lang),
                on_click="ignore",  # no rerun: the page stays as it is
                width="stretch",
            )


def _maker(
    rows: pd.DataFrame,
    fmt: str,
    counts: tuple[str, ...],
    provenance_of: Callable[[int], Provenance],
    served: Callable[[str, int], None],
) -> Callable[[], bytes]:
    """The deferred callable of one button (no arguments, as Streamlit calls it): the file's
    bytes, audited as served (ui.audit.export_recorder)."""

    def make() -> bytes:
        data = table_bytes(rows, fmt, counts=counts, provenance_of=provenance_of)
        served(fmt, len(rows))
        return data

    return make


def shown_columns(table: pd.DataFrame, hidden: Iterable[str]) -> list[str]:
    """The table's columns less the hidden ones, in order."""
    left_out = set(hidden)
    return [column for column in table.columns if column not in left_out]


def export_download(
    *,
    kind: str,
    by: Sequence[str],
    period: Period,
    fmt: str,
    key: str,
    label: str,
    help_text: str,
) -> None:
    """The export of kind over period for this view and scope in fmt: a button writes it
    (streamed from the cursor by data_access.export) with a progress bar, then the file is
    offered for download. The file is kept for this view only: any change drops it."""
    view = current_view()
    filters, scope, lang = view.filters, view.scope, view.lang
    kpi = kpi_of(kind)
    wanted = (filters.to_query_string(), scope.user, kind, tuple(by), period, fmt)
    ready = st.session_state.get(key)
    if ready is not None and ready[0] != wanted:
        del st.session_state[key]  # another view's file: free its memory
        ready = None
    if ready is None:
        prepare = st.button(
            text("export_page.prepare", lang),
            key=f"{key}_prepare",
            help=help_text,
            icon=":material/construction:",
            type="primary",
        )
        if not prepare:
            return
        ready = (wanted, _written(kind, by, period, fmt, view_link(view.page, filters, lang)))
        st.session_state[key] = ready
    st.download_button(
        label,
        data=ready[1],
        file_name=file_name(page_slug(view.page), filters, kpi or kind, fmt, period),
        mime=FORMATS[fmt].mime,
        key=key + "_file",
        icon=ICON,
        type="primary",
        on_click="ignore",
    )


def _written(kind: str, by: Sequence[str], period: Period, fmt: str, url: str) -> bytes:
    """The export's bytes, written now with a progress bar of the rows written."""
    view = current_view()
    filters, scope, lang = view.filters, view.scope, view.lang
    engine = get_engine(database_url())
    about = None
    if fmt in WITH_PROVENANCE:
        about = provenance_for(engine, filters=filters, scope=scope, url=url, lang=lang)
    bar = st.progress(0.0, text=text("export_page.writing", lang))

    def progress(_stage: str, done: int, total: int) -> None:
        shown = text(
            "export_page.written",
            lang,
            done=formatting.number(done, 0, lang),
            total=formatting.number(total, 0, lang),
        )
        bar.progress(min(done / total, 1.0) if total else 1.0, text=shown)

    out = io.BytesIO()
    rows = export(
        engine, kind=kind, filters=filters, scope=scope, fmt=fmt, out=out, by=tuple(by),
        provenance=about, period=period, progress=progress,
    )  # fmt: skip
    export_recorder(kind=kind, url=url)(fmt, rows)
    return out.getvalue()
