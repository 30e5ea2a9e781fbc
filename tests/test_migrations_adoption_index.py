"""Revision 0008 indexes channel_adoption for one channel's adopters by month."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from data_access import migrate
from tests.test_migrations_base import _downgrade

# the online area's adopters per month and province over a window (queries.adoption)
ONLINE_PER_MONTH = (
    "SELECT a.month, area.province_code, sum(coalesce(a.registered, a.users)) "
    "FROM channel_adoption a JOIN area ON area.code = a.area_code "
    "WHERE a.month >= '2019-01-01' AND a.month <= '2025-12-01' AND a.channel_code IN ('web') "
    "GROUP BY a.month, area.province_code"
)


def _indexes(engine: Engine) -> dict[str, list[str]]:
    found = inspect(engine).get_indexes("channel_adoption")
    return {index["name"]: index["column_names"] for index in found}


def test_upgrading_to_0008_indexes_the_adopters_by_channel_and_month(engine: Engine) -> None:
    _downgrade(engine, "0007")
    assert "ix_channel_adoption_channel" not in _indexes(engine)
    migrate.upgrade(engine)
    assert _indexes(engine)["ix_channel_adoption_channel"] == [
        "channel_code", "month", "area_code", "users", "registered",
    ]  # fmt: skip


def test_on_sqlite_one_channels_adopters_are_read_from_the_index_alone(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL's planner chooses by its statistics
    with engine.connect() as connection:
        plan = [
            row[3] for row in connection.execute(text("EXPLAIN QUERY PLAN " + ONLINE_PER_MONTH))
        ]
    assert plan[0] == (
        "SEARCH a USING COVERING INDEX ix_channel_adoption_channel "
        "(channel_code=? AND month>? AND month<?)"
    )
