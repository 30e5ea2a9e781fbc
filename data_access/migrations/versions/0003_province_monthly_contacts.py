"""province-level monthly contacts, filled from the monthly aggregate

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:29:05.644906
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEASURES = (
    "contacts", "queued", "answered", "abandoned", "answered_20s", "wait_seconds", "handled",
    "handling_seconds", "fcr_known", "fcr_resolved", "complaints", "complaints_replied",
    "complaint_reply_days", "complaints_replied_30d", "line_free_seconds", "operator_seconds",
)  # fmt: skip


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "contact_province_monthly",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("province_code", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("channel_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("abandoned", sa.Integer(), nullable=False),
        sa.Column("answered_20s", sa.Integer(), nullable=False),
        sa.Column("wait_seconds", sa.Float(), nullable=False),
        sa.Column("handled", sa.Integer(), nullable=False),
        sa.Column("handling_seconds", sa.Float(), nullable=False),
        sa.Column("fcr_known", sa.Integer(), nullable=False),
        sa.Column("fcr_resolved", sa.Integer(), nullable=False),
        sa.Column("complaints", sa.Integer(), nullable=False),
        sa.Column("complaints_replied", sa.Integer(), nullable=False),
        sa.Column("complaint_reply_days", sa.Float(), nullable=False),
        sa.Column("complaints_replied_30d", sa.Integer(), nullable=False),
        sa.Column("line_free_seconds", sa.Float(), nullable=False),
        sa.Column("operator_seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("month", "province_code", "channel_code"),
        sqlite_with_rowid=False,
    )
    sums = ", ".join(f"sum({m})" for m in MEASURES)
    op.execute(
        f"INSERT INTO contact_province_monthly (month, province_code, channel_code, "
        f"{', '.join(MEASURES)}) SELECT month, province_code, channel_code, {sums} "
        "FROM contact_monthly GROUP BY month, province_code, channel_code"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("contact_province_monthly")
