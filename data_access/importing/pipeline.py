"""import_file: read, check every row, and write a whole file in one transaction (or refuse it)."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, select
from sqlalchemy.engine import Engine

from data_access.importing import increments, load, rules
from data_access.importing.errors import ErrorLog
from data_access.importing.formats import CODE_TYPES, KINDS, SPECS, KindSpec
from data_access.importing.mapping import CANONICAL, Mapping, load_mapping
from data_access.importing.masking import mask
from data_access.importing.reader import TextTable, decode, fast_table, read_table
from data_access.importing.report import ImportRefused, ImportReport
from data_access.importing.validate import Codes, Parsed, parse_table, resolve_columns
from data_access.progress import Progress, silent

logger = logging.getLogger(__name__)

CODE_CASE = {"area": str.upper}


def load_codes(connection: Connection) -> Codes:
    """Every reference code, looked up by its lower-case text."""
    codes: Codes = {}
    for name in CODE_TYPES:
        table = load.table_of(name)
        stored = connection.execute(select(table.c.code)).scalars().all()
        codes[name] = {code.lower(): code for code in stored}
    return codes


def _prepare(kind: str, parsed: Parsed, log: ErrorLog, lines: np.ndarray, mapping: Mapping):
    if kind == "surveys":
        scale = mapping.scales.get("satisfaction")
        bounds = (scale.minimum, scale.maximum) if scale else (1, 5)
        return rules.surveys(parsed, log, lines, bounds)
    rule = {
        "contacts": rules.contacts,
        "contact-aggregates": rules.contact_aggregates,
        "customers": rules.customers,
        "adoption": rules.adoption,
        "association-cases": rules.association_cases,
    }[kind]
    return rule(parsed, log, lines)


def _refuse(report: ImportReport, log: ErrorLog, table: TextTable | None) -> ImportRefused:
    lines = table.lines if table is not None else np.array([], dtype=np.int64)
    report.error_count = log.count
    report.errors = log.listed(lines)
    if table is None or any(e.line == table.header_line for e in log.header):
        report.rows_rejected = table.rows_read if table is not None else 0
    else:
        report.rows_rejected = len(log.rejected()) + len(table.bad_width)
    refused = ImportRefused(report)
    first = mask(str(report.errors[0])) if report.errors else "none listed"
    logger.warning("import of %s: %s; first error: %s", report.kind, refused, first)
    return refused


def _log_bad_width(table: TextTable, log: ErrorLog) -> None:
    for line, fields in table.bad_width:
        log.add_header(line, None, f"has {fields} fields; the header has {len(table.header)}")


def _check_references(
    connection: Connection, prepared: rules.Prepared, parsed: Parsed, log: ErrorLog
) -> None:
    """Surveys that name a contact: the contact must be in the store; store its id."""
    refs = prepared.extra.get("contact_source_id")
    if refs is None:
        return
    found = load.ids_by_source(connection, load.table_of("contact"), refs.tolist())
    ids = np.array([found.get(r) if r is not None else None for r in refs], dtype=object)
    unknown = np.array([r is not None and r not in found for r in refs], dtype=bool)
    log.add(
        unknown,
        parsed.labels.get("contact_source_id", "contact_source_id"),
        parsed.text.get("contact_source_id"),
        "no contact with this source id in the store",
    )
    prepared.columns["contact_id"] = ids


def _check(
    connection: Connection,
    table: TextTable,
    spec: KindSpec,
    reading: Mapping,
    codes: Codes,
    log: ErrorLog,
    progress: Progress,
) -> rules.Prepared | None:
    """Check the header and every record of table; None when the header is unusable."""
    _log_bad_width(table, log)
    sources = resolve_columns(table, spec, reading, log)
    if any(e.line == table.header_line for e in log.header):
        return None
    progress("validazione", 0, len(table))
    parsed = parse_table(table, spec, reading, sources, codes, log)
    prepared = _prepare(spec.kind, parsed, log, table.lines, reading)
    _check_references(connection, prepared, parsed, log)
    progress("validazione", len(table), len(table))
    return prepared


def import_file(
    *,
    engine: Engine,
    kind: str,
    path: Path,
    mapping: Path | None = None,
    dry_run: bool = False,
    user: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Import one CSV file of kind (through an optional TOML mapping) in one transaction.

    Raises ImportRefused (nothing written) when any row or the header is invalid, dry run
    or not; a dry run that finds no error writes nothing and returns the report.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
    progress = progress or silent
    spec: KindSpec = SPECS[kind]
    reading = load_mapping(Path(mapping), spec) if mapping is not None else CANONICAL
    path = Path(path)
    data = path.read_bytes()
    report = ImportReport(
        kind=kind, file=path.name, checksum=hashlib.sha256(data).hexdigest(), dry_run=dry_run
    )
    log = ErrorLog(path.name)
    progress("lettura", 0, 1)
    text = decode(data, reading.encoding, log)
    if text is None:
        raise _refuse(report, log, None)
    table = fast_table(text, reading.delimiter, reading.quote)
    progress("lettura", 1, 1)
    with engine.connect() as connection, connection.begin() as transaction:
        codes = load_codes(connection)
        if table is not None:
            prepared = _check(connection, table, spec, reading, codes, log, progress)
            if log.count:  # read again, noting physical lines, so messages name them
                log, table = ErrorLog(path.name), None
        if table is None:
            table = read_table(text, reading.delimiter, reading.quote, log)
            if table is None:
                raise _refuse(report, log, None)
            prepared = _check(connection, table, spec, reading, codes, log, progress)
        report.rows_read = table.rows_read
        if log.count or prepared is None:  # None: the header was refused, and logged
            transaction.rollback()
            raise _refuse(report, log, table)
        _count_and_write(connection, prepared, report, dry_run, user, progress)
        if dry_run:
            transaction.rollback()
    logger.info("import: %s", report)
    return report


def _count_and_write(
    connection: Connection,
    prepared: rules.Prepared,
    report: ImportReport,
    dry_run: bool,
    user: str,
    progress: Progress,
) -> None:
    """Tell new rows from ones already stored; unless a dry run, write them and the batch."""
    if prepared.values:  # keyed tables: a re-import replaces changed values
        plan = load.plan_upserts(connection, prepared)
        report.rows_duplicate = plan.same
        report.rows_accepted = len(prepared) - plan.same
        if dry_run:
            return
        batch_id = _start(connection, report, user)
        load.write_upserts(connection, prepared, plan, batch_id, progress)
    else:
        table = load.table_of(prepared.table)
        source_ids = prepared.columns["source_id"]
        found = load.ids_by_source(connection, table, source_ids.tolist())
        keep = np.ones(len(source_ids), dtype=bool)
        if found:
            keep = np.array([s not in found for s in source_ids], dtype=bool)
        report.rows_duplicate = int((~keep).sum())
        report.rows_accepted = int(keep.sum())
        if dry_run:
            return
        batch_id = _start(connection, report, user)
        _write_new(connection, prepared, keep, report.kind, batch_id, progress)
    load.finish_batch(
        connection,
        batch_id,
        rows_read=report.rows_read,
        rows_accepted=report.rows_accepted,
        rows_rejected=0,
        rows_duplicate=report.rows_duplicate,
    )
    report.batch_id = batch_id


def _start(connection: Connection, report: ImportReport, user: str) -> int:
    return load.start_batch(
        connection, kind=report.kind, file_name=report.file, checksum=report.checksum, user=user
    )


def _write_new(
    connection: Connection,
    prepared: rules.Prepared,
    keep: np.ndarray,
    kind: str,
    batch_id: int,
    progress: Progress,
) -> None:
    """Insert the rows not yet stored, the surveys of rated contacts; add both to aggregates."""
    table = load.table_of(prepared.table)
    load.write_rows(connection, table, prepared.columns, keep, batch_id, progress)
    increments.add_written(connection, table.name, load.kept(prepared.columns, keep))
    if kind != "contacts" or not keep.any():
        return
    surveys = load.csat_surveys(connection, prepared, keep, batch_id)
    if surveys:
        table = load.table_of("survey_response")
        taken = load.ids_by_source(connection, table, surveys["source_id"].tolist())
        new = np.array([s not in taken for s in surveys["source_id"]], dtype=bool)
        load.write_rows(connection, table, surveys, new, batch_id, progress, "scrittura voti")
        increments.add_written(connection, table.name, load.kept(surveys, new))
