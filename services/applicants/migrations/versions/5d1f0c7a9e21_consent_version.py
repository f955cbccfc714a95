"""consent version stored with each application

Revision ID: 5d1f0c7a9e21
Revises: a876f486369a
Create Date: 2026-11-25 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d1f0c7a9e21"
down_revision: str | Sequence[str] | None = "a876f486369a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("consent_version", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("consent_version")
