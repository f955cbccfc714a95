"""Payload fields budget reads from other services' events (tolerant reader)."""

from marshmallow import Schema, fields, validate


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
