"""Analyst export: the rows and numbers behind a view, in csv, csv-it, xlsx or parquet."""

from data_access.export.formats import FORMATS, Format, neutralise, write_frame, write_frames
from data_access.export.provenance import Provenance, provenance_for

__all__ = [
    "FORMATS",
    "Format",
    "Provenance",
    "neutralise",
    "provenance_for",
    "write_frame",
    "write_frames",
]
