"""Request and response schemas of the applicants API (marshmallow at the edge only)."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.model import PROGRAM_NAMES


class ProgramOfferSchema(Schema):
    code = fields.String(
        required=True,
        validate=validate.OneOf(list(PROGRAM_NAMES), error="사업 코드는 {choices} 중 하나입니다."),
    )
    name = fields.String(dump_only=True)
    quota = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))
    hourly_wage = fields.Integer(required=True, validate=validate.Range(min=1))
    work_starts = fields.Date(required=True)
    work_ends = fields.Date(required=True)

    @validates_schema
    def _period(self, data, **_):
        if (
            data.get("work_ends")
            and data.get("work_starts")
            and data["work_ends"] < data["work_starts"]
        ):
            raise ValidationError("근무 종료일이 시작일보다 빠릅니다.", "work_ends")


class RecruitmentSchema(Schema):
    id = fields.String(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    half = fields.Integer(
        required=True, validate=validate.OneOf([1, 2], error="반기는 1 또는 2입니다.")
    )
    total_quota = fields.Integer(dump_only=True)
    programs = fields.List(
        fields.Nested(ProgramOfferSchema), required=True, validate=validate.Length(min=1)
    )
