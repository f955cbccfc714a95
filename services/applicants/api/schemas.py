"""Request and response schemas of recruitments and rule sets (marshmallow at the edge)."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.model import FUNDING_SOURCES, PROGRAM_NAMES
from ..domain.rules import PRIORITY_GROUPS


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
    daily_hours = fields.Integer(
        load_default=8,
        validate=validate.Range(min=3, max=8, error="1일 근로시간은 3~8시간입니다."),
        metadata={"description": "1일 근로시간 (65세 이상은 규칙의 senior_daily_hours)"},
    )
    funding_split = fields.Dict(
        keys=fields.String(validate=validate.OneOf(list(FUNDING_SOURCES))),
        values=fields.Integer(validate=validate.Range(min=0, max=100)),
        load_default=dict,
        metadata={"description": "재원비율(%) 예: {city: 70, district: 30}"},
    )
    senior_cap = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0),
        metadata={"description": "65세 이상 선발 상한(명); 없으면 제한 없음"},
    )

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
    intake_opens = fields.Date(load_default=None, allow_none=True)
    intake_closes = fields.Date(load_default=None, allow_none=True)
    seed_hash = fields.String(
        load_default="",
        validate=validate.Regexp(r"^([0-9a-f]{64})?$", error="sha256 16진수 64자리여야 합니다."),
        metadata={"description": "추첨 시드의 sha256 (공개). 비우면 시드를 만들어 한 번 돌려줌"},
    )


class OpenedRecruitmentSchema(RecruitmentSchema):
    seed = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "seed_hash를 보내지 않았을 때만, 이 응답에서 한 번만 보여 줌"},
    )


class _MedianIncome(Schema):
    year = fields.Integer(required=True)
    monthly_krw = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^\d+$")),
        values=fields.Integer(validate=validate.Range(min=1)),
        required=True,
    )
    extra_member_krw = fields.Integer(required=True, validate=validate.Range(min=0))


_BANDS = fields.List(fields.List(fields.Integer(), validate=validate.Length(equal=2)))


class _Scoring(Schema):
    income_pct_of_median = _BANDS
    property_krw = fields.List(fields.List(fields.Integer(), validate=validate.Length(equal=2)))
    household_size = fields.List(fields.List(fields.Integer(), validate=validate.Length(equal=2)))
    first_time = fields.Integer(required=True)
    senior = fields.Integer(load_default=0)


class RulesSchema(Schema):
    min_age = fields.Integer(required=True, validate=validate.Range(min=0, max=120))
    max_property_krw = fields.Integer(required=True, validate=validate.Range(min=0))
    max_income_pct_of_median = fields.Integer(required=True)
    median_income = fields.Nested(_MedianIncome, required=True)
    senior_age = fields.Integer(required=True, validate=validate.Range(min=0, max=120))
    senior_daily_hours = fields.Integer(required=True)
    program_age_bands = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Integer(), validate=validate.Length(equal=2)),
        load_default=dict,
    )
    max_past_participations = fields.Integer(required=True, validate=validate.Range(min=1))
    priority_groups = fields.List(
        fields.String(validate=validate.OneOf(list(PRIORITY_GROUPS))), required=True
    )
    scoring = fields.Nested(_Scoring, required=True)


class RuleSetSchema(Schema):
    version = fields.Integer(dump_only=True)
    note = fields.String(load_default="", validate=validate.Length(max=200))
    data = fields.Nested(RulesSchema, required=True)
    created_by = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
