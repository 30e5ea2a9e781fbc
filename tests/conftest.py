"""Shared fixtures: a migrated store on SQLite and, when one is given, on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from data_access import migrate
from data_access.db import get_engine

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Test modules import apptest_support directly or name it in pytest_plugins; registered here,
# before any of them loads, its asserts are rewritten either way (no PytestAssertRewriteWarning).
pytest.register_assert_rewrite("apptest_support")


def _postgres_engine() -> Iterator[Engine]:
    """A fresh database on the server named by TEST_DATABASE_URL, dropped afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        reason = "TEST_DATABASE_URL is not set: no PostgreSQL server to run these tests on"
        if IN_CI:
            pytest.fail(reason + " (CI=true requires one; .ci/run starts it)")
        pytest.skip(reason)
    name = f"ascolto_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(make_url(url).set(database=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated store with reference data, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        store = get_engine(f"sqlite:///{tmp_path / 'ascolto.db'}")
        migrate.prepare(store)
        yield store
        store.dispose()
        return
    generator = _postgres_engine()
    store = next(generator)
    migrate.prepare(store)
    yield store
    generator.close()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    """An empty, migrated SQLite store (for tests that are about SQLite itself)."""
    store = get_engine(f"sqlite:///{tmp_path / 'ascolto.db'}")
    migrate.prepare(store)
    return store


@pytest.fixture
def realdata() -> Path:
    """The folder of real public files (../shared/realdata), or skip when absent."""
    folder = SHARED / "realdata"
    if not folder.is_dir():
        if IN_CI:
            pytest.fail(f"{folder} is missing: CI clones the repo with shared/ beside it")
        pytest.skip(f"{folder} is missing")
    return folder
