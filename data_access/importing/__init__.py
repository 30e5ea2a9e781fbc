"""Importing CSV files (canonical formats or foreign exports through a TOML mapping)."""

from data_access.importing.formats import KINDS, SPECS
from data_access.importing.mapping import MappingError
from data_access.importing.masking import mask
from data_access.importing.pipeline import import_file
from data_access.importing.report import ImportRefused, ImportReport, RowError

__all__ = [
    "KINDS",
    "SPECS",
    "ImportRefused",
    "ImportReport",
    "MappingError",
    "RowError",
    "import_file",
    "mask",
]
