"""Schemas of work orders (발주): what staff send, what staff and contractors read."""

from marshmallow import Schema, ValidationError, fields, validate, validates

from ..domain.model import DomainError
from ..domain.work_orders import (
    COMMITMENT_STATUSES,
    MAX_AMOUNT_KRW,
    ORDER_STATUSES,
    check_brn,
)

YEAR = validate.Range(min=2000, max=2100, error="회계연도는 2000~2100 사이입니다.")
KRW = validate.Range(min=1, max=MAX_AMOUNT_KRW, error="금액은 1원 이상의 정수(원)입니다.")
QUANTITY = validate.Range(min=1, max=100_000, error="수량은 1~100,000입니다.")
UNITS = validate.Length(max=1000, error="설치 단위는 한 발주에 1,000개까지입니다.")
# Some character other than a space: spelled out, as JSON Schema's \s (ECMA) and Python's
# differ (U+001C–U+001F); what Python strips beyond it, the domain refuses (422).
NOT_BLANK = r"[ \t\n\r\f\v]*[^ \t\n\r\f\v]"


class UnitIn(Schema):
    code = fields.String(
        validate=validate.Regexp(
            r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$",
            error="설치 단위 코드는 영문·숫자·.-_ 1~40자입니다 (예: 12, 12-1).",
        ),
        metadata={"description": "설치 단위 코드 (발주 안에서 하나; 없으면 점포 번호)"},
    )
    store_number = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=100_000, error="점포 번호는 1 이상입니다."),
        metadata={"description": "시장에 등록된 점포 번호"},
    )


class WorkOrderIn(Schema):
    job_id = fields.String(
        required=True, validate=validate.Length(min=1, max=36),
        metadata={"description": "안전사업 ID (GET /safety-jobs)"},
    )  # fmt: skip
    market_id = fields.String(
        required=True, validate=validate.Length(min=1, max=36),
        metadata={"description": "시장 ID (GET /markets)"},
    )  # fmt: skip
    fiscal_year = fields.Integer(required=True, validate=YEAR, metadata={"description": "회계연도"})
    quantity = fields.Integer(required=True, validate=QUANTITY, metadata={"description": "수량"})
    amount_krw = fields.Integer(
        required=True, validate=KRW, metadata={"description": "계약금액 (원)"}
    )
    due_date = fields.Date(required=True, metadata={"description": "납기일"})
    contractor_name = fields.String(
        required=True,
        validate=[
            validate.Length(max=100, error="시공업체명은 100자 이하입니다."),
            validate.Regexp(NOT_BLANK, error="시공업체명을 입력해 주세요."),
        ],
        metadata={"description": "시공업체명"},
    )
    contractor_brn = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[0-9]{3}-?[0-9]{2}-?[0-9]{5}$",
            error="사업자등록번호는 10자리 숫자입니다 (예: 134-86-72683).",
        ),
        metadata={"description": "사업자등록번호 (python-stdnum kr.brn으로 확인)"},
    )
    contractor_account = fields.String(
        required=True,
        validate=[
            validate.Length(max=80, error="시공업체 계정은 80자 이하입니다."),
            validate.Regexp(NOT_BLANK, error="시공업체 계정을 입력해 주세요."),
        ],
        metadata={"description": "시공업체의 로그인 계정 (토큰 이름)"},
    )
    units = fields.List(
        fields.Nested(UnitIn), load_default=list, validate=UNITS,
        metadata={"description": "설치할 점포·단위 (수량 이하)"},
    )  # fmt: skip

    @validates("contractor_brn")
    def _brn(self, value, **_):
        try:
            check_brn(value)
        except DomainError as exc:
            raise ValidationError(str(exc)) from None


class WorkOrderChange(Schema):
    quantity = fields.Integer(validate=QUANTITY, metadata={"description": "수량"})
    amount_krw = fields.Integer(validate=KRW, metadata={"description": "계약금액 (원)"})
    due_date = fields.Date(metadata={"description": "납기일"})
    units = fields.List(
        fields.Nested(UnitIn), validate=UNITS,
        metadata={"description": "설치할 점포·단위 전체 (검수된 단위는 그대로 두어야 합니다)"},
    )  # fmt: skip


class CancellationIn(Schema):
    reason = fields.String(
        required=True,
        validate=[
            validate.Length(max=500, error="취소 사유는 500자 이하입니다."),
            validate.Regexp(NOT_BLANK, error="취소 사유를 입력해 주세요."),
        ],
        metadata={"description": "취소 사유"},
    )


class WorkOrderQuery(Schema):
    fiscal_year = fields.Integer(validate=YEAR)
    status = fields.String(validate=validate.OneOf(list(ORDER_STATUSES)))
    commitment_status = fields.String(validate=validate.OneOf(list(COMMITMENT_STATUSES)))
    market_id = fields.String(validate=validate.Length(max=36))
    job_id = fields.String(validate=validate.Length(max=36))


class _Ref(Schema):
    id = fields.String()
    name = fields.String()


class _Job(Schema):
    id = fields.String()
    code = fields.String()
    title = fields.String()
    kind = fields.String()


class _Contractor(Schema):
    name = fields.String()
    brn = fields.String(metadata={"description": "사업자등록번호 (000-00-00000)"})
    account = fields.String()


SPLIT = {"keys": fields.String(), "values": fields.Integer(), "allow_none": True}


class _Commitment(Schema):
    status = fields.String(metadata={"description": "requested | waiting | committed | refused"})
    status_name = fields.String()
    commitment_id = fields.String(allow_none=True, metadata={"description": "예산의 지출원인행위"})
    reason = fields.String(allow_none=True, metadata={"description": "대기·거절 사유"})
    split = fields.Dict(**SPLIT, metadata={"description": "재원별 금액 (원)"})


class PhotoOut(Schema):
    id = fields.String()
    url = fields.String(metadata={"description": "GET: 사진 (직원, 그 발주의 시공업체)"})
    content_type = fields.String()
    size_bytes = fields.Integer()
    sha256 = fields.String()
    width = fields.Integer()
    height = fields.Integer()


class UnitOut(Schema):
    code = fields.String()
    store_number = fields.Integer()
    store_name = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "pending | reported | returned | verified"})
    status_name = fields.String()
    amount_krw = fields.Integer(allow_none=True, metadata={"description": "검수 때 정한 단가"})
    verified_by = fields.String(allow_none=True)
    verified_at = fields.DateTime(allow_none=True)
    payment_status = fields.String(
        allow_none=True, metadata={"description": "requested | paid | refused"}
    )
    payment_status_name = fields.String(allow_none=True)
    expenditure_id = fields.String(allow_none=True)
    payment_split = fields.Dict(**SPLIT)
    payment_reason = fields.String(allow_none=True)
    serial = fields.String(allow_none=True, metadata={"description": "보고된 일련번호"})
    reported_by = fields.String(allow_none=True)
    reported_at = fields.DateTime(allow_none=True)
    note = fields.String(allow_none=True, metadata={"description": "마지막 완료 보고의 메모"})
    photos = fields.List(fields.Nested(PhotoOut), metadata={"description": "마지막 보고의 사진"})
    reports = fields.Integer(metadata={"description": "완료 보고 횟수"})
    return_reason = fields.String(allow_none=True, metadata={"description": "반려 사유"})
    returned_by = fields.String(allow_none=True)
    returned_at = fields.DateTime(allow_none=True)


class AuditOut(Schema):
    seq = fields.Integer()
    at = fields.DateTime()
    by = fields.String()
    action = fields.String(
        metadata={"description": "issued | amended | cancelled | unit_reported | unit_returned | "
                  "unit_verified | commitment | payment"}
    )  # fmt: skip
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


class WorkOrderOut(Schema):
    id = fields.String()
    fiscal_year = fields.Integer()
    job = fields.Nested(_Job)
    market = fields.Nested(_Ref)
    quantity = fields.Integer()
    amount_krw = fields.Integer()
    due_date = fields.Date()
    contractor = fields.Nested(_Contractor)
    status = fields.String(metadata={"description": "issued | cancelled"})
    status_name = fields.String()
    cancel_reason = fields.String(allow_none=True)
    commitment = fields.Nested(_Commitment)
    units = fields.List(fields.Nested(UnitOut))
    verified_units = fields.Integer()
    claimed_krw = fields.Integer(metadata={"description": "검수된 단위의 금액 합계"})
    paid_krw = fields.Integer(metadata={"description": "지급된 금액 합계"})
    issued_by = fields.String()
    issued_at = fields.DateTime()
    updated_at = fields.DateTime()
    audit = fields.List(fields.Nested(AuditOut), metadata={"description": "변경 이력"})


class WorkOrderListed(Schema):
    id = fields.String()
    fiscal_year = fields.Integer()
    job_id = fields.String()
    job_code = fields.String()
    job_title = fields.String()
    market_id = fields.String()
    market_name = fields.String()
    quantity = fields.Integer()
    amount_krw = fields.Integer()
    due_date = fields.Date()
    contractor_name = fields.String()
    contractor_account = fields.String()
    status = fields.String()
    status_name = fields.String()
    commitment_status = fields.String()
    commitment_status_name = fields.String()
    issued_at = fields.DateTime()
