"""indexes for what grows with the years

The execution report summed one year's ledger lines by reading every year's (no index
on accounts by year); a program's commitments were found by reading them all; the
retention purge read the whole inbox to find old ids.

Revision ID: 8e1f4a6b2c93
Revises: 7c2e9a4b1d05
Create Date: 2026-12-04 18:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "8e1f4a6b2c93"
down_revision: str | Sequence[str] | None = "7c2e9a4b1d05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_accounts_fiscal_year", "accounts", ["fiscal_year"])
    op.create_index("ix_commitments_program_id", "commitments", ["program_id"])
    op.create_index("ix_inbox_applied_at", "inbox", ["applied_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_applied_at", table_name="inbox")
    op.drop_index("ix_commitments_program_id", table_name="commitments")
    op.drop_index("ix_accounts_fiscal_year", table_name="accounts")
