"""an index for the contact centre's contacts by topic

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 18:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as data_access.models.TOPIC_INDEX (a revision keeps its own copy: models move on)
TOPIC_INDEX = ["month", "topic_code", "contacts", "fcr_resolved", "fcr_known", "complaints"]


def upgrade() -> None:
    """Apply this revision."""
    op.create_index("ix_contact_monthly_topic", "contact_monthly", TOPIC_INDEX)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_contact_monthly_topic", table_name="contact_monthly")
