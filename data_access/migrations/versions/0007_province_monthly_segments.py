"""the segment in the province-level monthly contacts, refilled from the monthly aggregate

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 19:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "contact_province_monthly"
# the table's measures as revisions 0003 and 0004 left them (a revision keeps its own copy)
COUNTS = (
    "contacts", "queued", "answered", "abandoned", "answered_20s", "banded", "banded_20s",
    "answered_60s", "answered_120s", "answered_180s", "answered_240s", "handled", "fcr_known",
    "fcr_resolved", "complaints", "complaints_replied", "complaints_replied_30d",
)  # fmt: skip
SECONDS = (
    "wait_seconds", "handling_seconds", "complaint_reply_days", "line_free_seconds",
    "operator_seconds",
)  # fmt: skip


def _rebuild(keys: tuple[str, ...]) -> None:
    """Recreate the table keyed by month and keys, filled with contact_monthly's sums.

    Every row of the table is a sum of contact_monthly's: dropping and refilling loses nothing.
    """
    op.drop_table(TABLE)
    lengths = {"province_code": 3, "channel_code": 16, "segment_code": 16}
    op.create_table(
        TABLE,
        sa.Column("month", sa.Date(), nullable=False),
        *(
            sa.Column(key, sqlmodel.sql.sqltypes.AutoString(length=lengths[key]), nullable=False)
            for key in keys
        ),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        *(sa.Column(name, sa.Float(), nullable=False) for name in SECONDS),
        sa.PrimaryKeyConstraint("month", *keys),
        sqlite_with_rowid=False,
    )
    measures = (*COUNTS, *SECONDS)
    group = ", ".join(("month", *keys))
    op.execute(
        f"INSERT INTO {TABLE} ({group}, {', '.join(measures)}) "
        f"SELECT {group}, {', '.join(f'sum({m})' for m in measures)} "
        f"FROM contact_monthly GROUP BY {group}"
    )


def upgrade() -> None:
    """Apply this revision."""
    _rebuild(("province_code", "channel_code", "segment_code"))


def downgrade() -> None:
    """Revert this revision."""
    _rebuild(("province_code", "channel_code"))
