"""placements indexed by application; inbox by time applied

The intake gate counts a person's past places (placements joined to their applications
by application id) for every application, and a withdrawal reads an application's
placement: without this index both scanned every placement ever made. The retention
purge read the whole inbox to find old ids.

Revision ID: 7b3e9c2d4f10
Revises: 5d1f0c7a9e21
Create Date: 2026-12-04 18:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "7b3e9c2d4f10"
down_revision: str | Sequence[str] | None = "5d1f0c7a9e21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_placements_application", "placements", ["application_id"])
    op.create_index("ix_inbox_applied_at", "inbox", ["applied_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_applied_at", table_name="inbox")
    op.drop_index("ix_placements_application", table_name="placements")
