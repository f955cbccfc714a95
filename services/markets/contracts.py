"""Payload fields markets reads from budget's answers about work orders (tolerant reader)."""

from marshmallow import EXCLUDE, Schema, fields


class _Reader(Schema):
    class Meta:
        unknown = EXCLUDE


class WorkOrderCommittedV1(_Reader):
    """``budget.work_order_committed``: the order's 지출원인행위."""

    work_order_id = fields.String(required=True)
    commitment_id = fields.String(required=True)
    split = fields.Dict(keys=fields.String(), values=fields.Integer(), load_default=None)


class WorkOrderCommitmentRefusedV1(_Reader):
    """``budget.work_order_commitment_refused``: no funds, or waiting for a link."""

    work_order_id = fields.String(required=True)
    reason = fields.String(required=True)
    waiting = fields.Boolean(load_default=False)


class WorkOrderPaidV1(_Reader):
    """``budget.work_order_paid``: the expenditure of verified units."""

    work_order_id = fields.String(required=True)
    units = fields.List(fields.String(), required=True)
    expenditure_id = fields.String(required=True)
    split = fields.Dict(keys=fields.String(), values=fields.Integer(), load_default=None)


class WorkOrderPaymentRefusedV1(_Reader):
    """``budget.work_order_payment_refused``: the units' payment was refused."""

    work_order_id = fields.String(required=True)
    units = fields.List(fields.String(), required=True)
    reason = fields.String(required=True)
