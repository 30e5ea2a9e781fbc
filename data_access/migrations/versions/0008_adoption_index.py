"""an index for one channel's adopters by month

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 19:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as data_access.models.ADOPTION_INDEX (a revision keeps its own copy: models move on)
ADOPTION_INDEX = ["channel_code", "month", "area_code", "users", "registered"]


def upgrade() -> None:
    """Apply this revision."""
    op.create_index("ix_channel_adoption_channel", "channel_adoption", ADOPTION_INDEX)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_channel_adoption_channel", table_name="channel_adoption")
