"""indexes for what grows with the years

The alarm sweep (every few seconds, on the emergency queue) read the whole alarm
timeline to find recent notices without a delivery report; the retention purge read
the whole inbox to find old ids.

Revision ID: d9a2b6c4e1f7
Revises: c5e8a1d3f7b2
Create Date: 2026-12-04 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d9a2b6c4e1f7"
down_revision: str | Sequence[str] | None = "c5e8a1d3f7b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (name, table, columns, partial index condition or None)
INDEXES = [
    ("ix_alarm_timeline_kind_at", "alarm_timeline", ["kind", "at"], None),
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
