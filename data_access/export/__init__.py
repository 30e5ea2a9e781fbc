"""Analyst export: the rows and numbers behind a view, in csv, csv-it, xlsx or parquet."""

from data_access.export.formats import FORMATS, Format, neutralise, write_frame, write_frames
from data_access.export.kinds import (
    KINDS,
    RAW,
    NotAllowed,
    NotApplicable,
    check_allowed,
    columns,
    count_rows,
    export,
    file_name,
    kpi_of,
    preview,
    view_period,
)
from data_access.export.provenance import Provenance, provenance_for

__all__ = [
    "FORMATS",
    "KINDS",
    "RAW",
    "kpi_of",
    "Format",
    "NotAllowed",
    "NotApplicable",
    "Provenance",
    "check_allowed",
    "columns",
    "count_rows",
    "export",
    "file_name",
    "neutralise",
    "preview",
    "provenance_for",
    "view_period",
    "write_frame",
    "write_frames",
]
