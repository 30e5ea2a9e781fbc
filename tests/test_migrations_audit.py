"""Revision 0005 adds the audit table with its indexes on time and person, and takes them away."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from data_access import migrate
from tests.test_migrations_base import _downgrade


def _indexes(engine: Engine) -> dict[str, list[str]]:
    return {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("audit")}


def test_upgrading_adds_the_audit_with_indexes_on_time_and_person(engine: Engine) -> None:
    _downgrade(engine, "0004")
    migrate.upgrade(engine)
    columns = [column["name"] for column in inspect(engine).get_columns("audit")]
    assert columns == [
        "id", "at", "user", "role", "event", "page", "url", "kind", "format", "rows", "viewed_as"
    ]  # fmt: skip
    assert _indexes(engine) == {"ix_audit_at": ["at"], "ix_audit_user": ["user"]}


def test_downgrading_0005_leaves_no_audit_table(engine: Engine) -> None:
    _downgrade(engine, "0004")
    assert "audit" not in inspect(engine).get_table_names()
