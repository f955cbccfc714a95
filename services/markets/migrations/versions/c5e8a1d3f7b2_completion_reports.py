"""completion reports: a unit's serial, report and sending back; reports and photos

Revision ID: c5e8a1d3f7b2
Revises: b7d4e2f19c30
Create Date: 2026-11-26 09:12:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import services.common.tables


# revision identifiers, used by Alembic.
revision: str = 'c5e8a1d3f7b2'
down_revision: Union[str, Sequence[str], None] = 'b7d4e2f19c30'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = services.common.tables.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('work_order_units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('serial', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('reported_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('reported_at', UTC, nullable=True))
        batch_op.add_column(sa.Column('return_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('returned_by', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('returned_at', UTC, nullable=True))
        batch_op.drop_constraint('ck_work_order_units_status', type_='check')
        batch_op.create_check_constraint(
            'ck_work_order_units_status',
            "status IN ('pending', 'reported', 'returned', 'verified')",
        )
        batch_op.create_unique_constraint('uq_work_order_units_serial', ['serial'])

    op.create_table('completion_reports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('work_order_id', sa.String(length=36), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('store_number', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reported_by', sa.String(length=80), nullable=False),
    sa.Column('reported_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_completion_reports_unit', 'completion_reports',
                    ['work_order_id', 'unit_code'], unique=False)

    op.create_table('completion_photos',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('work_order_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=100), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=True),
    sa.CheckConstraint('size_bytes > 0', name='ck_completion_photos_size'),
    sa.ForeignKeyConstraint(['report_id'], ['completion_reports.id'], ),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_completion_photos_report_id'), 'completion_photos', ['report_id'],
                    unique=False)
    op.create_index(op.f('ix_completion_photos_work_order_id'), 'completion_photos',
                    ['work_order_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_completion_photos_work_order_id'), table_name='completion_photos')
    op.drop_index(op.f('ix_completion_photos_report_id'), table_name='completion_photos')
    op.drop_table('completion_photos')
    op.drop_index('ix_completion_reports_unit', table_name='completion_reports')
    op.drop_table('completion_reports')
    with op.batch_alter_table('work_order_units', schema=None) as batch_op:
        batch_op.drop_constraint('uq_work_order_units_serial', type_='unique')
        batch_op.drop_constraint('ck_work_order_units_status', type_='check')
        batch_op.create_check_constraint(
            'ck_work_order_units_status', "status IN ('pending', 'verified')"
        )
        for column in ('returned_at', 'returned_by', 'return_reason', 'reported_at',
                       'reported_by', 'serial'):
            batch_op.drop_column(column)
