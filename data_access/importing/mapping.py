"""Mapping files (TOML) that adapt a foreign export to a canonical format without editing it.

Every key is optional; a file with no mapping is read as the canonical format.

    kind = "contacts"          # the KIND this mapping is for; checked against the command's KIND
    ignore = ["Column1", ""]   # source columns to skip; "" stands for columns with no header
    ignore_unmapped = false    # true: skip every source column not named in [columns]

    [file]
    encoding = "utf-8"         # any Python codec (cp1252, latin-1, ...); a UTF-8 BOM is always
                               # stripped, so "utf-8" reads files with and without a BOM
    delimiter = ","            # one character; "\t" for tabs, ";" for Excel with Italian locale
    quote = '"'                # quoting character
    decimal = "."              # decimal separator of numbers and seconds: "." or ","
    thousands = ""             # thousands separator to drop, e.g. "." for 1.234,5

    [columns]                  # canonical field = source column (default: the canonical name)
    source_id = "Call Id"
    occurred_at = ["Date", "Time"]  # several columns are joined with a space before parsing

    [constants]                # canonical field = value for every row (what the file lacks)
    area = "BO"
    channel = "phone"

    [values.answered]          # per field: source value = canonical value; once a table is
    Y = true                   # given, every non-missing value must be one of its keys
    N = false

    [missing]                  # per field: source values meaning "no value"; "*" = every field
    satisfaction = ["0"]
    "*" = ["NA", "ND"]

    [formats]                  # per field: how to read it
    occurred_at = ["%d/%m/%Y %H:%M:%S"]  # dates/times: strftime formats, tried in order per value
    handling_seconds = "h:mm:ss"          # durations: "seconds", "minutes", "h:mm:ss" or "mm:ss"

    [scales.satisfaction]      # the scale a score is given on; reversed: min+max-v (1 best -> 5)
    min = 1                    # for surveys min/max also fill scale_min/scale_max
    max = 5
    reversed = true

    [derive]                   # a boolean field computed from another: "not FIELD"
    abandoned = "not answered"

Order of work per value: strip spaces; missing values -> blank; value codes; scale reversal;
then the canonical type check (with the formats, decimal and thousands above).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data_access.importing.formats import KindSpec

DURATION_FORMATS = ("seconds", "minutes", "h:mm:ss", "mm:ss")
TOP_KEYS = {
    "kind",
    "ignore",
    "ignore_unmapped",
    "file",
    "columns",
    "constants",
    "values",
    "missing",
    "formats",
    "scales",
    "derive",
}
FILE_KEYS = {"encoding", "delimiter", "quote", "decimal", "thousands"}


class MappingError(ValueError):
    """A mapping file that cannot be used (unknown key, field, or a bad value)."""


@dataclass(frozen=True)
class Scale:
    """The scale a score is given on, and whether 1 means best."""

    minimum: int
    maximum: int
    reversed: bool = False


@dataclass(frozen=True)
class Mapping:
    """How to read one source file as a canonical KIND."""

    encoding: str = "utf-8"
    delimiter: str = ","
    quote: str = '"'
    decimal: str = "."
    thousands: str = ""
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)
    formats: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scales: dict[str, Scale] = field(default_factory=dict)
    derive: dict[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    ignore_unmapped: bool = False
    name: str = ""

    def missing_for(self, name: str) -> tuple[str, ...]:
        """Source values that mean "no value" for field name."""
        return self.missing.get("*", ()) + self.missing.get(name, ())


CANONICAL = Mapping()
"""Reading a file in the canonical format."""


def _text(value: Any) -> str:
    """A TOML scalar as the canonical text the importer parses (true -> "true")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise MappingError(f"{where}: expected a string or a list of strings")


def _table(document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key, {})
    if not isinstance(value, dict):
        raise MappingError(f"[{key}] must be a table")
    return value


def _check_fields(names: dict[str, Any], spec: KindSpec, section: str) -> None:
    unknown = sorted(set(names) - set(spec.names) - {"*"})
    if unknown:
        raise MappingError(
            f"[{section}] names unknown field(s) {', '.join(unknown)} for {spec.kind}; "
            f"fields: {', '.join(spec.names)}"
        )


def parse_mapping(document: dict[str, Any], spec: KindSpec, name: str = "") -> Mapping:
    """Check a mapping document (parsed TOML) against spec and return the Mapping."""
    unknown = sorted(set(document) - TOP_KEYS)
    if unknown:
        raise MappingError(
            f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(TOP_KEYS))}"
        )
    if "kind" in document and document["kind"] != spec.kind:
        raise MappingError(f'this mapping is for kind "{document["kind"]}", not "{spec.kind}"')
    file = _table(document, "file")
    unknown = sorted(set(file) - FILE_KEYS)
    if unknown:
        raise MappingError(f"[file] has unknown key(s) {', '.join(unknown)}")
    for key in ("delimiter", "quote"):
        if key in file and (not isinstance(file[key], str) or len(file[key]) != 1):
            raise MappingError(f"[file] {key} must be one character")
    if file.get("decimal", ".") not in {".", ","}:
        raise MappingError('[file] decimal must be "." or ","')
    encoding = file.get("encoding", "utf-8")
    try:
        "".encode(encoding)
    except LookupError as problem:
        raise MappingError(f"[file] encoding: unknown encoding {encoding!r}") from problem

    sections = {s: _table(document, s) for s in ("columns", "constants", "values", "missing")}
    sections |= {s: _table(document, s) for s in ("formats", "scales", "derive")}
    for section, names in sections.items():
        _check_fields(names, spec, section)
    if "*" in sections["columns"] or "*" in sections["constants"]:
        raise MappingError('"*" is only allowed in [missing]')

    values: dict[str, dict[str, str]] = {}
    for name_, table in sections["values"].items():
        if not isinstance(table, dict):
            raise MappingError(f"[values.{name_}] must be a table of source = canonical")
        values[name_] = {str(k): _text(v) for k, v in table.items()}

    formats = {k: _strings(v, f"[formats] {k}") for k, v in sections["formats"].items()}
    for name_, fmts in formats.items():
        if spec.field(name_).type == "seconds" and (
            len(fmts) != 1 or fmts[0] not in DURATION_FORMATS
        ):
            raise MappingError(
                f"[formats] {name_}: a duration format is one of {', '.join(DURATION_FORMATS)}"
            )

    scales: dict[str, Scale] = {}
    for name_, table in sections["scales"].items():
        if not isinstance(table, dict) or not {"min", "max"} <= set(table):
            raise MappingError(f"[scales.{name_}] needs min and max")
        scales[name_] = Scale(int(table["min"]), int(table["max"]), bool(table.get("reversed")))

    derive: dict[str, str] = {}
    for name_, rule in sections["derive"].items():
        words = str(rule).split()
        if len(words) != 2 or words[0] != "not" or words[1] not in spec.names:
            raise MappingError(f'[derive] {name_}: expected "not FIELD", got {rule!r}')
        if spec.field(name_).type != "bool" or spec.field(words[1]).type != "bool":
            raise MappingError(f"[derive] {name_}: both fields must be true/false fields")
        derive[name_] = words[1]

    ignore = _strings(document.get("ignore", []), "ignore")
    return Mapping(
        encoding=encoding,
        delimiter=file.get("delimiter", ","),
        quote=file.get("quote", '"'),
        decimal=file.get("decimal", "."),
        thousands=str(file.get("thousands", "")),
        columns={k: _strings(v, f"[columns] {k}") for k, v in sections["columns"].items()},
        constants={k: _text(v) for k, v in sections["constants"].items()},
        values=values,
        missing={k: _strings(v, f"[missing] {k}") for k, v in sections["missing"].items()},
        formats=formats,
        scales=scales,
        derive=derive,
        ignore=ignore,
        ignore_unmapped=bool(document.get("ignore_unmapped", False)),
        name=name,
    )


def load_mapping(path: Path, spec: KindSpec) -> Mapping:
    """Read and check the TOML mapping at path for spec's KIND."""
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as problem:
        raise MappingError(f"{path}: not valid TOML: {problem}") from problem
    try:
        return parse_mapping(document, spec, name=Path(path).name)
    except MappingError as problem:
        raise MappingError(f"{path}: {problem}") from problem
