"""indexes for what grows with the years

Retention read every finished delivery ever made, in a write transaction, to find the
few still holding a body; the receipt poll read every "sent" delivery of any provider;
the delivery log sorted all deliveries; the retention purge read the whole inbox.

Revision ID: e4c7b1a9d2f6
Revises: 848d765eec5f
Create Date: 2026-12-04 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e4c7b1a9d2f6"
down_revision: str | Sequence[str] | None = "848d765eec5f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    unblanked = sa.text("recipient_enc IS NOT NULL OR body != ''")
    op.create_index("ix_deliveries_unblanked", "deliveries", ["status", "created_at"],
                    sqlite_where=unblanked, postgresql_where=unblanked)  # fmt: skip
    op.create_index("ix_deliveries_provider_sent", "deliveries", ["provider", "status", "sent_at"])
    op.create_index("ix_deliveries_created_at", "deliveries", ["created_at"])
    op.create_index("ix_inbox_applied_at", "inbox", ["applied_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_applied_at", table_name="inbox")
    op.drop_index("ix_deliveries_created_at", table_name="deliveries")
    op.drop_index("ix_deliveries_provider_sent", table_name="deliveries")
    op.drop_index("ix_deliveries_unblanked", table_name="deliveries")
