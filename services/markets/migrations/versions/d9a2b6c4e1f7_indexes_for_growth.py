"""indexes for what grows with the years

The alarm sweep (every few seconds, on the emergency queue) read the whole alarm
timeline to find recent notices without a delivery report; the retention purge read
the whole inbox to find old ids.

Revision ID: d9a2b6c4e1f7
Revises: c5e8a1d3f7b2
Create Date: 2026-12-04 18:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d9a2b6c4e1f7"
down_revision: str | Sequence[str] | None = "c5e8a1d3f7b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_alarm_timeline_kind_at", "alarm_timeline", ["kind", "at"])
    op.create_index("ix_inbox_applied_at", "inbox", ["applied_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_applied_at", table_name="inbox")
    op.drop_index("ix_alarm_timeline_kind_at", table_name="alarm_timeline")
