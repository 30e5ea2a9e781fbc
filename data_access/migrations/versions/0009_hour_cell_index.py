"""an index for the contact centre's weekday × hour grid

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 19:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as data_access.models.HOUR_CELL_INDEX (a revision keeps its own copy: models move on)
HOUR_CELL_INDEX = ["weekday", "hour", "month", "contacts", "queued", "answered"]


def upgrade() -> None:
    """Apply this revision."""
    op.create_index("ix_contact_hourly_cell", "contact_hourly", HOUR_CELL_INDEX)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_contact_hourly_cell", table_name="contact_hourly")
