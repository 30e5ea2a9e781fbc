"""From columns of text to typed canonical fields, checking every value (vectorised)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access.importing import convert
from data_access.importing.errors import ErrorLog
from data_access.importing.formats import CODE_TYPES, Field, KindSpec
from data_access.importing.mapping import Mapping, MappingError
from data_access.importing.masking import mask
from data_access.importing.reader import TextTable

Codes = dict[str, dict[str, str]]
"""Per code type (area, channel, ...): lower-case text -> the code as stored."""


@dataclass
class Parsed:
    """Typed values of every canonical field (None when the file has no such column)."""

    size: int
    values: dict[str, np.ndarray | None] = field(default_factory=dict)
    text: dict[str, pd.Series] = field(default_factory=dict)  # as in the file, for messages
    labels: dict[str, str] = field(default_factory=dict)  # source column(s), for messages

    def given(self, name: str) -> bool:
        """Whether field name has values (a column, a constant or a derivation)."""
        return self.values.get(name) is not None


def resolve_columns(
    table: TextTable, spec: KindSpec, mapping: Mapping, log: ErrorLog
) -> dict[str, tuple[int, ...]]:
    """Which source columns feed each canonical field; header problems go to log."""
    positions: dict[str, int] = {}
    for index, name in enumerate(table.header):
        if name and name in positions:
            log.add_header(table.header_line, name, "the column appears twice in the header")
        positions.setdefault(name, index)
    sources: dict[str, tuple[int, ...]] = {}
    missing: list[str] = []
    for f in spec.fields:
        if f.name in mapping.constants or f.name in mapping.derive:
            continue
        names = mapping.columns.get(f.name, (f.name,))
        if all(n in positions for n in names):
            sources[f.name] = tuple(positions[n] for n in names)
        elif f.name in mapping.columns:
            absent = [n for n in names if n not in positions]
            missing.extend(f"{n} (for {f.name})" for n in absent)
        elif f.required:
            missing.append(f.name)
    if missing:
        found = ", ".join(f'"{n}"' for n in table.header)
        log.add_header(
            table.header_line,
            None,
            f"missing required column(s) {', '.join(missing)}; columns found: {found}",
        )
    used = {i for indices in sources.values() for i in indices}
    for index, name in enumerate(table.header):
        if index in used or name in mapping.ignore or mapping.ignore_unmapped:
            continue
        shown = name or f"(no header, column {index + 1})"
        log.add_header(
            table.header_line,
            shown,
            f"not a column of the {spec.kind} format; expected: {', '.join(spec.names)} "
            "(a mapping can rename or ignore it)",
        )
    return sources


def _type_reason(f: Field, mapping: Mapping) -> str:
    """Why a value of f's type was refused."""
    if f.type in ("date", "datetime", "month"):
        formats = mapping.formats.get(f.name) or convert.CANONICAL_DATE_FORMATS[f.type][:1]
        what = {"date": "a date", "datetime": "a date and time", "month": "a month"}[f.type]
        if f.type == "datetime" and not any("%H" in fmt for fmt in formats):
            what = "a date"
        return f"not {what} in the form {' or '.join(map(convert.describe_format, formats))}"
    comma = " with a decimal comma" if mapping.decimal == "," else ""
    if f.type == "seconds":
        fmt = (mapping.formats.get(f.name) or ("seconds",))[0]
        return (
            f"not a number of {fmt}{comma}"
            if fmt in ("seconds", "minutes")
            else (f"not a duration in the form {fmt}")
        )
    return {
        "bool": "not a yes/no value (expected true, false, 1 or 0)",
        "int": "not a whole number",
        "number": f"not a number{comma}",
    }.get(f.type, "not a valid value")


def _code_reason(f: Field, allowed: dict[str, str]) -> str:
    if f.type == "area":
        return "unknown area code; expected a province sigla (e.g. BO, FE, FC, MO, RA, RN) or IMOLA"
    return f"unknown {f.name}; expected one of: {', '.join(sorted(set(allowed.values())))}"


def parse_values(
    f: Field, text: pd.Series, mapping: Mapping, codes: Codes
) -> tuple[np.ndarray, np.ndarray, str]:
    """Typed values of f from stripped text: (values, bad, reason for the bad ones)."""
    reason = _type_reason(f, mapping)
    if f.type in ("id", "ref", "text"):
        values = text.to_numpy(dtype=object)
        given = convert.present(text)
        values[~given] = None
        if f.type == "text" and given.any():
            values[given] = [mask(v) for v in values[given]]
        return values, np.zeros(len(text), dtype=bool), reason
    if f.type == "bool":
        values, bad = convert.parse_bool(text)
    elif f.type in ("int", "number"):
        parse = convert.parse_int if f.type == "int" else convert.parse_number
        values, bad = parse(text, mapping.decimal, mapping.thousands)
    elif f.type == "seconds":
        fmt = (mapping.formats.get(f.name) or ("seconds",))[0]
        values, bad = convert.parse_seconds(text, fmt, mapping.decimal, mapping.thousands)
    elif f.type in ("date", "datetime", "month"):
        formats = mapping.formats.get(f.name) or convert.CANONICAL_DATE_FORMATS[f.type]
        values, bad = convert.parse_datetime(text, formats)
        if f.type == "date":
            values = values.astype("datetime64[D]").astype("datetime64[us]")
        elif f.type == "month":
            values = values.astype("datetime64[M]").astype("datetime64[us]")
    else:
        allowed = codes[f.type] if f.type in CODE_TYPES else {c: c for c in f.choices}
        values, bad = convert.parse_choice(text, allowed)
        reason = (
            _code_reason(f, allowed)
            if f.type in CODE_TYPES
            else (f"not one of: {', '.join(f.choices)}")
        )
    return values, bad, reason


def _is_blank(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind == "M":
        return np.isnat(values)
    if values.dtype.kind == "f":
        return np.isnan(values)
    return convert.absent(values)


class _FieldReader:
    """Reads one field's text through the mapping's steps and logs what fails."""

    def __init__(self, mapping: Mapping, codes: Codes, log: ErrorLog) -> None:
        self.mapping, self.codes, self.log = mapping, codes, log

    def prepare(self, f: Field, raw: pd.Series, label: str) -> tuple[pd.Series, np.ndarray]:
        """Strip, blank the missing tokens, translate value codes: (text, raw text, bad)."""
        text = raw.str.strip()
        bad = np.zeros(len(raw), dtype=bool)
        missing = self.mapping.missing_for(f.name)
        if missing:
            text = text.where(~text.isin(missing), "")
        table = self.mapping.values.get(f.name)
        if table is not None:
            keys = {k.strip(): v for k, v in table.items()}
            known = text.isin(list(keys)).to_numpy(dtype=bool)
            bad = convert.present(text) & ~known
            listed = ", ".join(k for k in keys if k)
            reason = f"not one of the mapped values: {listed}"
            self.log.add(bad, label, raw, reason)
            text = text.map(keys).fillna("").astype("str")
        return text, bad

    def read(self, f: Field, raw: pd.Series, label: str) -> np.ndarray:
        """The typed values of f; every failing check is logged against label."""
        text, unmapped = self.prepare(f, raw, label)
        shown = raw
        values, bad, reason = parse_values(f, text, self.mapping, self.codes)
        self.log.add(bad, label, shown, reason)
        scale = self.mapping.scales.get(f.name)
        if scale is not None and values.dtype.kind == "f":
            outside = (values < scale.minimum) | (values > scale.maximum)
            reason = f"outside the scale {scale.minimum} to {scale.maximum}"
            self.log.add(outside, label, shown, reason)
            values = np.where(outside, np.nan, values)
            bad = bad | outside
            if scale.reversed:
                values = scale.minimum + scale.maximum - values
        blank = _is_blank(values) & ~bad & ~unmapped
        if f.required:
            self.log.add(blank, label, shown, "missing a required value")
        if values.dtype.kind == "f":
            self._bounds(f, values, label, shown)
        if f.max_length is not None:
            long = convert.too_long(text, f.max_length)
            self.log.add(long, label, shown, f"longer than {f.max_length} characters")
        return values

    def _bounds(self, f: Field, values: np.ndarray, label: str, shown: pd.Series) -> None:
        if f.minimum is not None and f.maximum is not None:
            outside = (values < f.minimum) | (values > f.maximum)
            reason = f"out of range: expected {f.minimum:g} to {f.maximum:g}"
        elif f.minimum is not None:
            outside = values < f.minimum
            reason = f"below the minimum {f.minimum:g}"
        else:
            return
        self.log.add(outside, label, shown, reason)


def parse_table(
    table: TextTable,
    spec: KindSpec,
    mapping: Mapping,
    sources: dict[str, tuple[int, ...]],
    codes: Codes,
    log: ErrorLog,
) -> Parsed:
    """Parse and check every field of every record; errors go to log."""
    size = len(table)
    parsed = Parsed(size)
    reader = _FieldReader(mapping, codes, log)
    for f in spec.fields:
        if f.name in mapping.constants:
            parsed.values[f.name] = _constant(f, mapping, codes, size)
        elif f.name in sources:
            indices = sources[f.name]
            raw = table.columns[indices[0]]
            for index in indices[1:]:
                raw = raw + " " + table.columns[index]
            label = " + ".join(table.header[i] for i in indices)
            parsed.labels[f.name] = label
            parsed.values[f.name] = reader.read(f, raw, label)
            parsed.text[f.name] = raw
        else:
            parsed.values[f.name] = None
    for name, other in mapping.derive.items():
        source = parsed.values.get(other)
        if source is None:
            raise MappingError(f"[derive] {name}: the file gives no values for {other}")
        derived = np.full(size, None, dtype=object)
        derived[source == True] = False  # noqa: E712 - object array of True/False/None
        derived[source == False] = True  # noqa: E712
        parsed.values[name] = derived
    return parsed


def _constant(f: Field, mapping: Mapping, codes: Codes, size: int) -> np.ndarray:
    """A constant from the mapping, checked once and repeated for every record."""
    text = pd.Series([mapping.constants[f.name].strip()], dtype="str")
    values, bad, reason = parse_values(f, text, mapping, codes)
    if bad[0] or _is_blank(values)[0]:
        raise MappingError(f'[constants] {f.name} = "{mapping.constants[f.name]}": {reason}')
    return np.repeat(values, size)
