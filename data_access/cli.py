"""The command line: python -m data_access COMMAND (migrate, setup, stats, demo, import,
export, access, audit)."""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from data_access import audit, logs, migrate, models  # noqa: F401 - models registers every table
from data_access.access import access_file, scope_for
from data_access.db import database_url, get_engine
from data_access.dimensions import DIMENSIONS
from data_access.filters import GRAINS, Filters, Problem
from data_access.importing.formats import KINDS as IMPORT_KINDS
from data_access.progress import terminal_progress
from data_access.scope import Scope


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table of the store, in schema order (tables not created yet are left out)."""
    existing = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
            if table.name in existing
        }


def store_is_empty(engine: Engine) -> bool:
    """True when the store has no contacts and no survey responses."""
    counts = row_counts(engine)
    return counts.get("contact", 0) == 0 and counts.get("survey_response", 0) == 0


def _cmd_migrate(engine: Engine, _args: argparse.Namespace) -> int:
    migrate.prepare(engine)
    print(f"store up to date: {engine.url.render_as_string(hide_password=True)}")
    return 0


def _cmd_stats(engine: Engine, _args: argparse.Namespace) -> int:
    for table, count in row_counts(engine).items():
        print(f"{table} {count}")
    return 0


def _build_demo(engine: Engine, contacts: int | None, seed: int) -> None:
    from fixtures.demo import DEFAULT_CONTACTS, build_demo

    size = contacts or DEFAULT_CONTACTS
    print(f"building the demo world: {size:,} contacts, seed {seed}", file=sys.stderr)
    with terminal_progress() as progress:
        summary = build_demo(engine=engine, contacts=size, seed=seed, progress=progress)
    print(summary)


def _cmd_demo(engine: Engine, args: argparse.Namespace) -> int:
    migrate.prepare(engine)
    if not store_is_empty(engine):
        print(
            "the store already holds data; the demo fills only an empty store "
            "(remove data/ascolto.db or point DATABASE_URL at a new database)",
            file=sys.stderr,
        )
        return 1
    _build_demo(engine, args.contacts, args.seed)
    return 0


def _cmd_setup(engine: Engine, args: argparse.Namespace) -> int:
    migrate.prepare(engine)
    if store_is_empty(engine):
        _build_demo(engine, args.contacts, args.seed)
    else:
        print("store ready (already holds data; no demo added)")
    return 0


def _cmd_import(engine: Engine, args: argparse.Namespace) -> int:
    from data_access.importing import ImportRefused, import_file

    migrate.prepare(engine)
    try:
        with terminal_progress() as progress:
            report = import_file(
                engine=engine,
                kind=args.kind,
                path=args.file,
                mapping=args.mapping,
                dry_run=args.dry_run,
                user=args.user,
                progress=progress,
            )
    except ImportRefused as refused:
        for error in refused.report.errors:
            print(error, file=sys.stderr)
        print(refused, file=sys.stderr)
        return 1
    except (OSError, ValueError) as problem:
        print(f"{args.file}: {problem}", file=sys.stderr)
        return 2
    print(report)
    return 0


# --- export -----------------------------------------------------------------------------------

LOCAL_USER = "locale"  # who the local app runs as without sign-in (ui.auth), and so the CLI
EXPORT_DIMENSIONS = tuple((d.param, d.attr) for d in DIMENSIONS)
BY_PARAMS = tuple(param for param, _attr in EXPORT_DIMENSIONS)
EXPORT_FORMATS = ("csv", "csv-it", "xlsx", "parquet")  # data_access.export.FORMATS


class BadOption(ValueError):
    """An export option that cannot be used; the message names the option and its value."""


def _url_params(url: str) -> dict[str, list[str]]:
    """A browser link's (or a bare query string's) parameters."""
    query = urlsplit(url).query if "?" in url or "://" in url else url
    return parse_qs(query, keep_blank_values=False)


def _export_params(args: argparse.Namespace) -> dict[str, list[str]]:
    """The view's URL parameters: --url's, with the options beside it narrowing it."""
    params = _url_params(args.url) if args.url else {}
    for name, value in (
        ("from", args.start),
        ("to", args.end),
        ("period", args.period),
        ("grain", args.grain),
    ):
        if value is not None:
            params[name] = [value]
    if (args.start or args.end) and args.period is None:
        params["period"] = ["custom"]
    for param, _attr in EXPORT_DIMENSIONS:
        given = getattr(args, param)
        if not given:
            continue
        values = [v for item in given for v in item.split(",") if v.strip()]
        if param in params:  # narrow the link's selection, never widen it
            linked = {
                v.upper() if param == "province" else v
                for item in params[param]
                for v in item.split(",")
            }
            values = [v for v in values if (v.upper() if param == "province" else v) in linked]
            if not values:
                raise BadOption(f"--{param} {' '.join(given)}: not in the link's {param} selection")
        params[param] = values
    return params


def _problem_text(problem: Problem) -> str:
    values = dict(problem.values)
    if problem.key == "bad_date":
        return f"--{values['name']} {values['value']}: not a date (expected YYYY-MM-DD)"
    if problem.key == "unknown_period":
        return f"--period {values['value']}: unknown period (12m, ytd, custom or a year)"
    if problem.key == "unknown_grain":
        return f"--grain {values['value']}: unknown grain ({', '.join(GRAINS)})"
    if problem.key == "swapped":
        return f"--from {values['start']} is after --to {values['end']}"
    return problem.text("en")


def _export_filters(engine: Engine, args: argparse.Namespace) -> Filters:
    """The view to export; BadOption for any value that cannot be used."""
    filters = Filters.from_query(_export_params(args))
    relevant = [p for p in filters.problems if p.key != "unknown_compare"]
    if relevant:
        raise BadOption("; ".join(_problem_text(p) for p in relevant))
    from data_access.queries import dimension_names

    names = dimension_names(engine)
    for param, attr in EXPORT_DIMENSIONS:
        unknown = [code for code in getattr(filters, attr) if code not in names.get(attr, {})]
        if unknown:
            known = (
                "a sigla such as BO or RA"
                if attr == "provinces"
                else "known: " + ", ".join(sorted(names.get(attr, {})))
            )
            raise BadOption(f"--{param} {' '.join(unknown)}: unknown {param} ({known})")
    return filters


def _export_scope(person: str) -> Scope:
    """The person's scope from the access file; PermissionError when it is empty (not listed,
    or no province)."""
    scope = scope_for(person)
    if not (scope.everywhere or scope.provinces):
        raise PermissionError(
            f"{person} sees no province in {access_file()} (not listed, or the file has a "
            "problem: python -m data_access access check): nothing exported"
        )
    return scope


def _provenance_url(url: str | None, filters: Filters) -> str:
    """The view's link: --url's address and its page's own parameters (kpi, lang, ...) with
    the exported view's filters."""
    view = {"from", "to", "period", "grain", "compare", *BY_PARAMS}
    own = {k: v for k, v in (_url_params(url) if url else {}).items() if k not in view}
    query = "&".join(
        part for part in (filters.to_query_string(), urlencode(own, doseq=True)) if part
    )
    if url and "://" in url:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    return "?" + query


def _cmd_export(engine: Engine, args: argparse.Namespace) -> int:
    from data_access import export as exporting

    migrate.prepare(engine)
    person = args.person or os.environ.get("ASCOLTO_USER") or LOCAL_USER
    try:
        if args.kind not in exporting.RAW and exporting.kpi_of(args.kind) is None:
            raise BadOption(f"KIND {args.kind}: unknown kind; kinds: {', '.join(exporting.KINDS)}")
        filters = _export_filters(engine, args)
        scope = _export_scope(person)
        exporting.check_allowed(args.kind, scope)
    except BadOption as bad:
        print(f"export: {bad}", file=sys.stderr)
        return 2
    except PermissionError as refused:  # sees no province, or NotAllowed (raw rows)
        print(f"export: {refused}", file=sys.stderr)
        return 1
    provenance = None
    if args.provenance or args.format in ("xlsx", "parquet"):
        provenance = exporting.provenance_for(
            engine, filters=filters, scope=scope, url=_provenance_url(args.url, filters)
        )
    kpi = exporting.kpi_of(args.kind)
    target = args.output or exporting.file_name("export", filters, kpi or args.kind, args.format)
    options = {"kind": args.kind, "filters": filters, "scope": scope, "by": tuple(args.by or ())}
    try:
        for key in options["by"]:
            if key not in BY_PARAMS:
                raise BadOption(f"--by {key}: unknown dimension ({', '.join(BY_PARAMS)})")
        if args.format == "xlsx":
            rows = exporting.count_rows(engine, **options)
            if rows > exporting.formats.XLSX_MAX_ROWS:
                raise BadOption(
                    f"--format xlsx: {rows:,} rows, more than a sheet holds "
                    f"({exporting.formats.XLSX_MAX_ROWS:,}); use csv, csv-it or parquet"
                )
        with terminal_progress() as progress, _output(target) as out:
            written = exporting.export(
                engine,
                fmt=args.format,
                out=out,
                provenance=provenance,
                progress=progress,
                **options,
            )
    except (BadOption, ValueError) as bad:  # NotApplicable and TooManyRows are ValueErrors
        print(f"export: {bad}", file=sys.stderr)
        return 2
    audit.record_export(
        engine,
        user=person,
        role=scope.role,
        page=audit.CLI_PAGE,
        url=_provenance_url(args.url, filters),
        kind=args.kind,
        fmt=args.format,
        rows=written,
    )
    where = "standard output" if target == "-" else target
    print(f"{written:,} rows of {args.kind} written to {where}", file=sys.stderr)
    return 0


# --- access -----------------------------------------------------------------------------------


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _cmd_access(_engine: Engine, args: argparse.Namespace) -> int:
    from data_access.people import read_access

    path = args.file or access_file()
    checked = read_access(path)
    if checked.ok:
        people = _plural(len(checked.people), "person", "people")
        print(f"ok: {people}, {_plural(len(checked.groups), 'group', 'groups')} in {path}")
        return 0
    for problem in checked.problems:
        print(problem, file=sys.stderr)
    count = _plural(len(checked.problems), "problem", "problems")
    print(f"{count} in {path}: nobody sees any data until it is fixed", file=sys.stderr)
    return 1


# --- audit ------------------------------------------------------------------------------------


def _audit_cell(value: object) -> str:
    """One audit value as text: times in UTC ISO to the second, nothing for an empty field."""
    from data_access.export.provenance import utc_iso

    if value is None:
        return ""
    return utc_iso(value) if isinstance(value, datetime) else str(value)


def _cmd_audit(engine: Engine, args: argparse.Namespace) -> int:
    from data_access.export import neutralise

    try:
        since = date.fromisoformat(args.since) if args.since is not None else None
    except ValueError:
        print(f"audit: --since {args.since}: not a date (expected YYYY-MM-DD)", file=sys.stderr)
        return 2
    migrate.prepare(engine)
    rows = [
        [_audit_cell(value) for value in row]
        for row in audit.read(engine, since=since, user=args.user)
    ]
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(audit.COLUMNS)
        writer.writerows([neutralise(cell) for cell in row] for row in rows)
        return 0
    lines = [list(audit.COLUMNS), *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(audit.COLUMNS))]
    for line in lines:
        cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        print("  ".join(cells).rstrip())
    return 0


@contextmanager
def _output(target: str) -> Iterator[BinaryIO]:
    """Where the export goes: standard output ('-'), or a temporary file beside target that
    becomes target only when the export succeeds (no half file is ever left behind)."""
    if target == "-":
        # spooled first: xlsx and parquet want a seekable file; then copied out whole
        with tempfile.TemporaryFile() as spool:
            yield spool
            spool.seek(0)
            shutil.copyfileobj(spool, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        return
    path = Path(target)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(name, 0o666 & ~mask)  # as an ordinary new file (mkstemp makes it private)
    try:
        with open(descriptor, "wb") as out:
            yield out
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def parser() -> argparse.ArgumentParser:
    """The argument parser, with --help on every command."""
    main = argparse.ArgumentParser(
        prog="python -m data_access",
        description="Ascolto's store: schema, demo data, imports, exports. "
        f"The store is DATABASE_URL, now {database_url()}",
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("migrate", help="create or upgrade the schema and reference data")
    commands.add_parser("stats", help="row counts per table, one per line")
    for name, text in (
        ("demo", "fill an empty store with the deterministic demo world"),
        ("setup", "migrate, and fill the store with demo data when it is empty (make run)"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--contacts", type=int, default=None, help="contacts to generate")
        command.add_argument("--seed", type=int, default=7, help="random seed (default 7)")

    load = commands.add_parser(
        "import",
        help="import a CSV file (one transaction; refused whole on any bad row)",
        description="Import one CSV file of KIND. Every row is checked; any error refuses the "
        "whole file and names its line, column and value. Re-importing adds nothing.",
    )
    load.add_argument("kind", choices=IMPORT_KINDS, metavar="KIND", help=", ".join(IMPORT_KINDS))
    load.add_argument("file", type=Path, metavar="FILE")
    load.add_argument("--mapping", type=Path, default=None, help="TOML mapping for a foreign file")
    load.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    load.add_argument("--user", default="cli", help="who imports (kept in the import batch)")
    _export_parser(commands)
    _access_parser(commands)
    _audit_parser(commands)
    return main


def _audit_parser(commands: argparse._SubParsersAction) -> None:
    """The audit command: who signed in, opened which view, exported what."""
    trail = commands.add_parser(
        "audit",
        help="print the audit: sign-ins, pages opened with their view, exports (oldest first)",
        description="Print the audit, oldest first: time (UTC), person, role, event (sign_in, "
        "page, export), page, the view's URL, and for exports kind, format and rows.",
    )
    trail.add_argument("--since", metavar="DATE", help="from this day on (YYYY-MM-DD, UTC)")
    trail.add_argument("--user", metavar="EMAIL", help="this person's rows only")
    trail.add_argument("--format", choices=("table", "csv"), default="table", help="default table")


def _access_parser(commands: argparse._SubParsersAction) -> None:
    """The access command: check the access file (people, groups, roles, provinces)."""
    access = commands.add_parser(
        "access",
        help="check the access file (who sees which provinces, with which role)",
        description="The access file (ASCOLTO_ACCESS_FILE, default access.toml).",
    )
    actions = access.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="check every entry (roles, province sigle, keys) and the contact (text); exit "
        "status 1 on any problem",
        description="Check the whole access file and print 'ok: N people, M groups', or every "
        "problem with its line (exit status 1). The app lets nobody in while a problem remains.",
    )
    check.add_argument(
        "--file", type=Path, default=None, help="the file to check (default: the app's)"
    )


def _export_parser(commands: argparse._SubParsersAction) -> None:
    """The export command's options, as issue 11's synopsis names them."""
    out = commands.add_parser(
        "export",
        help="export the rows or a KPI's numbers behind a view (csv, csv-it, xlsx, parquet)",
        description="Export KIND for a view, within the person's scope: raw rows (contacts, "
        "surveys, association-cases; the import's columns, so an export imports back) or a "
        "KPI's aggregate per bucket (--grain) by dimensions (--by). --url takes a view's link "
        "from the browser; the options beside it narrow it.",
    )
    out.add_argument(
        "kind",
        metavar="KIND",
        help="contacts, surveys, association-cases, or a KPI code (the contacts KPI: kpi:contacts)",
    )
    out.add_argument("--from", dest="start", metavar="DATE", help="first day (YYYY-MM-DD)")
    out.add_argument("--to", dest="end", metavar="DATE", help="last day (YYYY-MM-DD)")
    out.add_argument("--period", metavar="P", help="12m, ytd, custom or a year (e.g. 2025)")
    for param, _attr in EXPORT_DIMENSIONS:
        out.add_argument(
            f"--{param}",
            nargs="+",
            action="extend",
            metavar=param[0].upper(),
            help=f"{param} codes",
        )
    out.add_argument("--grain", metavar="G", help="a KPI's buckets: " + ", ".join(GRAINS))
    out.add_argument(
        "--by", nargs="+", action="extend", metavar="DIM", help="a KPI by " + ", ".join(BY_PARAMS)
    )
    out.add_argument("--format", choices=EXPORT_FORMATS, default="csv", help="default csv")
    out.add_argument(
        "-o",
        "--output",
        metavar="FILE|-",
        help="the file, or - for standard output (default: a name after the view)",
    )
    out.add_argument(
        "--as",
        dest="person",
        metavar="EMAIL",
        help="apply this person's scope from access.toml (default: ASCOLTO_USER, else locale)",
    )
    out.add_argument(
        "--provenance",
        action="store_true",
        help="in a CSV, leading '# ' lines saying what it holds",
    )
    out.add_argument("--url", metavar="'VIEW URL'", help="a view's link from the browser")


COMMANDS = {
    "migrate": _cmd_migrate,
    "setup": _cmd_setup,
    "stats": _cmd_stats,
    "demo": _cmd_demo,
    "import": _cmd_import,
    "export": _cmd_export,
    "access": _cmd_access,
    "audit": _cmd_audit,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    logs.configure()
    args = parser().parse_args(argv)
    engine = get_engine(database_url())  # not get_engine(): its cache would keep the first URL
    return COMMANDS[args.command](engine, args)
