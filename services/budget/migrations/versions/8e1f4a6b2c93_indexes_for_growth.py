"""indexes for what grows with the years

The execution report summed one year's ledger lines by reading every year's (no index
on accounts by year); a program's commitments were found by reading them all; the
retention purge read the whole inbox to find old ids.

Revision ID: 8e1f4a6b2c93
Revises: 7c2e9a4b1d05
Create Date: 2026-12-04 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8e1f4a6b2c93"
down_revision: str | Sequence[str] | None = "7c2e9a4b1d05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (name, table, columns, partial index condition or None)
INDEXES = [
    ("ix_accounts_fiscal_year", "accounts", ["fiscal_year"], None),
    ("ix_commitments_program_id", "commitments", ["program_id"], None),
    ("ix_inbox_applied_at", "inbox", ["applied_at"], None),
]


def upgrade() -> None:
    for name, table, columns, where in INDEXES:
        partial = {} if where is None else {"sqlite_where": sa.text(where),
                                              "postgresql_where": sa.text(where)}
        op.create_index(name, table, columns, **partial)


def downgrade() -> None:
    for name, table, _columns, _where in reversed(INDEXES):
        op.drop_index(name, table_name=table)
