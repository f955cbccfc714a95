"""Schemas of applications, selection and withdrawal."""

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from ..domain import consent, people
from ..domain.model import PROGRAM_NAMES
from ..domain.rules import PRIORITY_GROUPS


class MemberSchema(Schema):
    relation = fields.String(required=True, validate=validate.Length(min=1, max=20))
    birth_year = fields.Integer(required=True, validate=validate.Range(min=1900, max=2100))


class ApplicationInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=40))
    rrn = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])-?[0-9]{7}$",
            error="주민등록번호는 생년월일 6자리와 뒤 7자리 숫자입니다(예: 900101-1234567).",
        ),
        metadata={"description": "주민등록번호·외국인등록번호 (저장 시 암호화)"},
    )
    address = fields.String(required=True, validate=validate.Length(min=5, max=200))
    phone = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^01[016789]-?[0-9]{3,4}-?[0-9]{4}$",
            error="휴대전화 번호 형식이 아닙니다(예: 010-1234-5678).",
        ),
    )
    household_size = fields.Integer(required=True, validate=validate.Range(min=1, max=20))
    household_members = fields.List(
        fields.Nested(MemberSchema), load_default=list, metadata={"description": "본인 외 가구원"}
    )
    property_krw = fields.Integer(required=True, validate=validate.Range(min=0))
    monthly_income_krw = fields.Integer(required=True, validate=validate.Range(min=0))
    priority_groups = fields.List(
        fields.String(
            validate=validate.OneOf(list(PRIORITY_GROUPS), error="알 수 없는 우선선발 구분입니다.")
        ),
        load_default=list,
    )
    past_participations = fields.Integer(load_default=0, validate=validate.Range(min=0, max=50))
    preferences = fields.List(
        fields.String(
            validate=validate.OneOf(
                list(PROGRAM_NAMES), error="사업 코드는 {choices} 중 하나입니다."
            )
        ),
        required=True,
        validate=validate.Length(min=1, max=4, error="희망 사업을 1~4개 고르세요."),
        metadata={"uniqueItems": True},
    )
    kakao = fields.Boolean(load_default=False)
    consent_version = fields.String(
        load_default=None,
        validate=validate.OneOf(list(consent.TEXTS), error="알 수 없는 동의서 판입니다."),
        metadata={
            "description": "신청인이 동의한 개인정보 수집·이용 동의서의 판 (웹 신청서는 필수)"
        },
    )

    @validates("rrn")
    def _rrn(self, value, **_):
        try:
            people.parse_rrn(value)
        except people.InvalidPersonalData as exc:
            raise ValidationError(str(exc)) from None

    @validates("phone")
    def _phone(self, value, **_):
        try:
            people.normalise_phone(value)
        except people.InvalidPersonalData as exc:
            raise ValidationError(str(exc)) from None

    @validates_schema(skip_on_field_errors=False)
    def _consistent(self, data, **_):
        prefs = data.get("preferences") or []
        if len(set(prefs)) != len(prefs):
            raise ValidationError("같은 사업을 두 번 고를 수 없습니다.", "preferences")
        members = data.get("household_members") or []
        size = data.get("household_size")
        if (
            isinstance(members, list)
            and isinstance(size, int)
            and members
            and size
            and len(members) != size - 1
        ):
            raise ValidationError(
                f"가구원 수가 맞지 않습니다(가구원수 {size}명이면 본인 외 {size - 1}명).",
                "household_members",
            )


class ReasonSchema(Schema):
    rule = fields.String()
    value = fields.Raw()
    message = fields.String()


class ApplicationOutSchema(Schema):
    id = fields.String()
    recruitment_id = fields.String()
    status = fields.String(metadata={"description": "eligible | ineligible | selected | …"})
    name_masked = fields.String()
    rrn_masked = fields.String()
    phone_masked = fields.String()
    preferences = fields.List(fields.String())
    reasons = fields.List(fields.Nested(ReasonSchema))
    rule_version = fields.Integer()
    consent_version = fields.String(allow_none=True)
    created_at = fields.DateTime()


class ScoreItemSchema(Schema):
    rule = fields.String()
    value = fields.Raw()
    points = fields.Integer()


class HistorySchema(Schema):
    action = fields.String()
    actor = fields.String()
    at = fields.DateTime()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


class ApplicationStaffSchema(ApplicationOutSchema):
    address_masked = fields.String()
    age = fields.Integer()
    sex = fields.String()
    household_size = fields.Integer()
    household_members = fields.List(fields.Nested(MemberSchema))
    property_krw = fields.Integer()
    monthly_income_krw = fields.Integer()
    priority_groups = fields.List(fields.String())
    priority = fields.Boolean()
    past_participations = fields.Integer()
    eligible_programs = fields.List(fields.String())
    score = fields.Integer()
    score_items = fields.List(fields.Nested(ScoreItemSchema))
    program_code = fields.String(allow_none=True)
    waitlist_rank = fields.Integer(allow_none=True)
    updated_at = fields.DateTime()
    history = fields.List(fields.Nested(HistorySchema))


class SeedSchema(Schema):
    seed = fields.String(required=True, validate=validate.Length(min=1, max=200))


class RetractSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class _Placement(Schema):
    application_id = fields.String()
    program_code = fields.String()
    kind = fields.String()
    rank = fields.Integer()
    status = fields.String()
    replaces_application_id = fields.String(allow_none=True)


class _Waiting(Schema):
    application_id = fields.String()
    rank = fields.Integer()


class SelectionSchema(Schema):
    id = fields.String()
    recruitment_id = fields.String()
    seed = fields.String()
    seed_hash = fields.String()
    status = fields.String()
    selected_counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    waitlisted_count = fields.Integer()
    created_by = fields.String()
    created_at = fields.DateTime()
    retracted_at = fields.DateTime(allow_none=True)
    retract_reason = fields.String(allow_none=True)
    placements = fields.List(fields.Nested(_Placement))
    waitlist = fields.List(fields.Nested(_Waiting))


class WithdrawalSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class WithdrawalResultSchema(Schema):
    application_id = fields.String()
    status = fields.String()
    promoted = fields.String(allow_none=True)


STATUSES = ("eligible", "ineligible", "selected", "waitlisted", "withdrawn")


class ApplicationFilterSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    program = fields.String(
        validate=validate.OneOf(list(PROGRAM_NAMES)),
        metadata={"description": "선발된 사업 또는 희망 사업"},
    )
    priority = fields.Boolean(
        metadata={"description": "우선선발 대상만(true) / 아닌 사람만(false)"}
    )
    min_score = fields.Integer(validate=validate.Range(min=0, max=1000))


class ApplicationListedSchema(Schema):
    id = fields.String()
    name_masked = fields.String()
    phone_masked = fields.String()
    age = fields.Integer()
    status = fields.String()
    priority = fields.Boolean()
    score = fields.Integer()
    preferences = fields.List(fields.String())
    program_code = fields.String(allow_none=True)
    waitlist_rank = fields.Integer(allow_none=True)
    channel = fields.String()
    created_at = fields.DateTime()
