"""wait bands in the contact aggregates and reports; the weekday × hour aggregate

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:12:41.118203
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AGGREGATES = ("contact_daily", "contact_weekly", "contact_monthly", "contact_province_monthly")
BANDS = ("answered_60s", "answered_120s", "answered_180s", "answered_240s")
MEASURES = ("banded", "banded_20s", *BANDS)
# what each contact adds (as data_access/measures.py declares it); reports add nothing: they
# had no band columns before this revision
WITHIN = {"banded": "wait_seconds IS NOT NULL", "banded_20s": "wait_seconds <= 20"} | {
    band: f"wait_seconds <= {band.removeprefix('answered_').removesuffix('s')}" for band in BANDS
}
KEYS = "area_code, channel_code, segment_code, topic_code"
# (table, its time key and other keys, the rows it is summed from)
FILLS = (
    ("contact_daily", f"day, {KEYS}", "contact"),
    ("contact_weekly", f"week, {KEYS}", "contact_daily"),
    ("contact_monthly", f"month, {KEYS}", "contact_daily"),
    ("contact_province_monthly", "month, province_code, channel_code", "contact_monthly"),
)


def _weekday_and_hour(dialect: str) -> tuple[str, str]:
    """ISO weekday (1 = Monday) and hour of contact.occurred_at in the dialect's SQL."""
    if dialect == "postgresql":
        return "CAST(EXTRACT(ISODOW FROM occurred_at) AS INTEGER)", (
            "CAST(EXTRACT(HOUR FROM occurred_at) AS INTEGER)"
        )
    return "(CAST(strftime('%w', day) AS INTEGER) + 6) % 7 + 1", (
        "CAST(substr(occurred_at, 12, 2) AS INTEGER)"
    )


def upgrade() -> None:
    """Apply this revision."""
    for table in AGGREGATES:
        for name in MEASURES:
            op.add_column(
                table, sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))
            )
    for name in BANDS:
        op.add_column("contact_report", sa.Column(name, sa.Integer(), nullable=True))
    op.create_table(
        "contact_hourly",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("province_code", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("channel_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "province_code", "channel_code", "weekday", "hour"),
        sqlite_with_rowid=False,
    )
    _fill()


def _fill() -> None:
    """Give a store's existing contacts their wait bands and weekday × hour rows."""
    for table, keys, source in FILLS:
        if source == "contact":
            sums = ", ".join(
                f"sum(CASE WHEN answered AND {WITHIN[m]} THEN 1 ELSE 0 END) AS {m}"
                for m in MEASURES
            )
        else:
            sums = ", ".join(f"sum({m}) AS {m}" for m in MEASURES)
        matched = " AND ".join(f"{table}.{k} = s.{k}" for k in keys.split(", "))
        op.execute(
            f"UPDATE {table} SET {', '.join(f'{m} = s.{m}' for m in MEASURES)} "
            f"FROM (SELECT {keys}, {sums} FROM {source} GROUP BY {keys}) AS s WHERE {matched}"
        )
    weekday, hour = _weekday_and_hour(op.get_bind().dialect.name)
    op.execute(
        "INSERT INTO contact_hourly (month, province_code, channel_code, weekday, hour, "
        "contacts, queued, answered) "
        f"SELECT month, province_code, channel_code, {weekday} AS weekday, {hour} AS hour, "
        "count(*), sum(CASE WHEN queued THEN 1 ELSE 0 END), "
        "sum(CASE WHEN answered THEN 1 ELSE 0 END) "
        "FROM contact JOIN area ON area.code = contact.area_code "
        f"GROUP BY month, province_code, channel_code, {weekday}, {hour}"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("contact_hourly")
    for name in reversed(BANDS):
        op.drop_column("contact_report", name)
    for table in reversed(AGGREGATES):
        for name in reversed(MEASURES):
            op.drop_column(table, name)
