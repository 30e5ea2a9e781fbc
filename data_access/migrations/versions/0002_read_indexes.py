"""indexes for the sidebar's territory and the association KPIs' reads

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 08:52:05.004169
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPENING = ["opened_on", "area_code", "topic_code", "reply_days", "month"]


def upgrade() -> None:
    """Apply this revision."""
    op.drop_index("ix_association_case_opened_on", table_name="association_case")
    op.create_index("ix_association_case_opening", "association_case", OPENING)
    op.create_index("ix_contact_monthly_area_code", "contact_monthly", ["area_code"])
    op.create_index("ix_survey_monthly_area_code", "survey_monthly", ["area_code"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_survey_monthly_area_code", table_name="survey_monthly")
    op.drop_index("ix_contact_monthly_area_code", table_name="contact_monthly")
    op.drop_index("ix_association_case_opening", table_name="association_case")
    op.create_index("ix_association_case_opened_on", "association_case", ["opened_on"])
