"""fiscal year lifecycle: open/closed years, pending commitments, carry-forward, 추경 근거

Revision ID: 7c2e9a4b1d05
Revises: 31be2a6716bc
Create Date: 2026-11-25 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.tables

revision: str = "7c2e9a4b1d05"
down_revision: str | Sequence[str] | None = "31be2a6716bc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("fiscal_years") as batch:
        batch.add_column(sa.Column("status", sa.String(10), nullable=False, server_default="open"))
        batch.add_column(sa.Column("opened_by", sa.String(80), nullable=True))
        batch.add_column(
            sa.Column("closed_at", services.common.tables.UTCDateTime(), nullable=True)
        )
        batch.add_column(sa.Column("closed_by", sa.String(80), nullable=True))
        batch.create_check_constraint("ck_fiscal_years_status", "status IN ('open', 'closed')")
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("commitments") as batch:
        batch.add_column(sa.Column("carried_from", sa.String(36), nullable=True))
        batch.add_column(sa.Column("carried_to", sa.String(36), nullable=True))
    with op.batch_alter_table("transfers") as batch:
        batch.add_column(sa.Column("decision_ref", sa.String(200), nullable=True))
    with op.batch_alter_table("program_mappings") as batch:
        batch.add_column(
            sa.Column("updated_at", services.common.tables.UTCDateTime(), nullable=True)
        )
        batch.add_column(sa.Column("updated_by", sa.String(80), nullable=True))
    op.create_table(
        "pending_commitments",
        sa.Column("message_id", sa.String(36), primary_key=True),
        sa.Column("event_type", sa.String(120), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("program_code", sa.String(40), nullable=False),
        sa.Column("application_id", sa.String(64), nullable=False),
        sa.Column("amount_krw", sa.BigInteger(), nullable=False),
        sa.Column("envelope", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", services.common.tables.UTCDateTime(), nullable=False),
        sa.Column("resolved_at", services.common.tables.UTCDateTime(), nullable=True),
        sa.Column("commitment_id", sa.String(36), nullable=True),
        sa.CheckConstraint(
            "status IN ('waiting', 'applied', 'refused', 'cancelled')",
            name="ck_pending_commitments_status",
        ),
    )
    op.create_index(
        "ix_pending_commitments_waiting",
        "pending_commitments",
        ["status", "fiscal_year", "program_code"],
    )


def downgrade() -> None:
    op.drop_index("ix_pending_commitments_waiting", "pending_commitments")
    op.drop_table("pending_commitments")
    with op.batch_alter_table("program_mappings") as batch:
        batch.drop_column("updated_by")
        batch.drop_column("updated_at")
    with op.batch_alter_table("transfers") as batch:
        batch.drop_column("decision_ref")
    with op.batch_alter_table("commitments") as batch:
        batch.drop_column("carried_to")
        batch.drop_column("carried_from")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("closed")
    with op.batch_alter_table("fiscal_years") as batch:
        batch.drop_constraint("ck_fiscal_years_status", type_="check")
        batch.drop_column("closed_by")
        batch.drop_column("closed_at")
        batch.drop_column("opened_by")
        batch.drop_column("status")
