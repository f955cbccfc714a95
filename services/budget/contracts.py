"""Payload fields budget reads from other services' events (tolerant reader)."""

from marshmallow import EXCLUDE, Schema, fields, validate


class ParticipantSelectedV1(Schema):
    """``applicants.participant_selected`` / ``participant_promoted`` (version 1)."""

    application_id = fields.String(required=True)
    recruitment_id = fields.String(load_default=None)
    program_code = fields.String(required=True)
    fiscal_year = fields.Integer(required=True)
    wage_commitment_krw = fields.Integer(required=True, validate=validate.Range(min=1))
    replaces_application_id = fields.String(load_default=None)


class ParticipantWithdrawnV1(Schema):
    application_id = fields.String(required=True)
    program_code = fields.String(load_default=None)
    fiscal_year = fields.Integer(required=True)
    reason = fields.String(load_default=None)


class WorkOrderIssuedV1(Schema):
    """``markets.work_order_issued``: commit the order's amount on its job's sub-program."""

    work_order_id = fields.String(required=True)
    job_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    fiscal_year = fields.Integer(required=True)
    amount_krw = fields.Integer(required=True, validate=validate.Range(min=1))


class InstalledUnitV1(Schema):
    class Meta:
        unknown = EXCLUDE

    code = fields.String(required=True)


class InstallationCompletedV1(Schema):
    """``markets.installation_completed``: pay verified units out of the order's commitment."""

    work_order_id = fields.String(required=True)
    commitment_id = fields.String(load_default=None)
    amount_krw = fields.Integer(required=True, validate=validate.Range(min=1))
    units = fields.List(
        fields.Nested(InstalledUnitV1), required=True, validate=validate.Length(min=1)
    )


class WorkOrderCancelledV1(Schema):
    """``markets.work_order_cancelled``: release what the order still holds."""

    work_order_id = fields.String(required=True)
    commitment_id = fields.String(load_default=None)
    reason = fields.String(load_default=None)
