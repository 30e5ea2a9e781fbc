"""Every revision goes down to an empty store (base) and back up to the models, on each engine."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from data_access import migrate


def _downgrade(engine: Engine, revision: str) -> None:
    config = migrate.alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_the_revisions_are_0001_to_0009_in_order() -> None:
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    chain = [revision.revision for revision in script.walk_revisions("base", "heads")]
    assert chain == ["0009", "0008", "0007", "0006", "0005", "0004", "0003", "0002", "0001"]


def test_each_revision_downgrades_one_step_at_a_time_to_base(engine: Engine) -> None:
    for expected in ("0008", "0007", "0006", "0005", "0004", "0003", "0002", "0001", None):
        _downgrade(engine, "-1")
        assert _current(engine) == expected


def test_downgrading_to_base_leaves_only_alembics_own_table(engine: Engine) -> None:
    _downgrade(engine, "base")
    assert _current(engine) is None
    assert inspect(engine).get_table_names() == ["alembic_version"]


def test_base_upgrades_again_to_exactly_the_models(engine: Engine) -> None:
    _downgrade(engine, "base")
    migrate.prepare(engine)
    assert _current(engine) == "0009"
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
