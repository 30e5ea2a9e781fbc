"""Revision 0006 indexes contact_monthly for the contacts by topic, and takes the index away."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from data_access import migrate
from tests.test_migrations_base import _downgrade

TOPICS_PER_MONTH = (
    "SELECT month, topic_code, sum(contacts), sum(fcr_resolved), sum(fcr_known), "
    "sum(complaints) FROM contact_monthly WHERE month >= '2025-01-01' AND month <= '2025-12-01' "
    "GROUP BY month, topic_code"
)


def _indexes(engine: Engine) -> dict[str, list[str]]:
    found = inspect(engine).get_indexes("contact_monthly")
    return {index["name"]: index["column_names"] for index in found}


def test_upgrading_to_0006_indexes_the_topics_by_month(engine: Engine) -> None:
    _downgrade(engine, "0005")
    assert "ix_contact_monthly_topic" not in _indexes(engine)
    migrate.upgrade(engine)
    assert _indexes(engine)["ix_contact_monthly_topic"] == [
        "month", "topic_code", "contacts", "fcr_resolved", "fcr_known", "complaints",
    ]  # fmt: skip


def test_on_sqlite_the_topics_by_month_are_summed_from_the_index_without_a_sort(
    engine: Engine,
) -> None:
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL's planner chooses by its statistics
    with engine.connect() as connection:
        plan = [
            row[3] for row in connection.execute(text("EXPLAIN QUERY PLAN " + TOPICS_PER_MONTH))
        ]
    assert plan == [
        "SEARCH contact_monthly USING COVERING INDEX ix_contact_monthly_topic (month>? AND month<?)"
    ]
