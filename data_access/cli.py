"""The command line: python -m data_access COMMAND (migrate, setup, stats, demo, import)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from data_access import logs, migrate, models  # noqa: F401 - models registers every table
from data_access.db import database_url, get_engine
from data_access.importing.formats import KINDS as IMPORT_KINDS
from data_access.progress import terminal_progress


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


def parser() -> argparse.ArgumentParser:
    """The argument parser, with --help on every command."""
    main = argparse.ArgumentParser(
        prog="python -m data_access",
        description="Ascolto's store: schema, demo data, imports. "
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
    return main


COMMANDS = {
    "migrate": _cmd_migrate,
    "setup": _cmd_setup,
    "stats": _cmd_stats,
    "demo": _cmd_demo,
    "import": _cmd_import,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    logs.configure()
    args = parser().parse_args(argv)
    engine = get_engine()
    return COMMANDS[args.command](engine, args)
