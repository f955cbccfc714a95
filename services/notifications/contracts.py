"""Payload schemas of the events notifications reads (tolerant reader)."""

from marshmallow import EXCLUDE, Schema, fields


class _Program(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True)
    quota = fields.Integer(required=True)


class RecruitmentOpenedV1(Schema):
    class Meta:
        unknown = EXCLUDE

    recruitment_id = fields.String(required=True)
    title = fields.String(required=True)
    year = fields.Integer(required=True)
    half = fields.Integer(required=True)
    total_quota = fields.Integer(required=True)
    programs = fields.List(fields.Nested(_Program), required=True)
