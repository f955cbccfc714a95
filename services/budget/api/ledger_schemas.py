"""Schemas of the ledger API: postings, transfers, reports, verification."""

from marshmallow import Schema, fields, validate

KRW = {"description": "금액 (원, 정수)"}
SOURCES = ("national", "city", "district", "fund", "unallocated")
# Far above any district budget, far below BIGINT: a larger amount is a typo, not a 500.
MAX_KRW = 10**15


def krw(low: int) -> validate.Range:
    return validate.Range(
        min=low, max=MAX_KRW, error=f"금액은 {low:,}원 이상 {MAX_KRW:,}원 이하입니다."
    )


# 재원별 금액: a nested schema, so the document names the only keys allowed.
SplitSchema = Schema.from_dict(
    {s: fields.Integer(validate=krw(0), metadata=KRW) for s in SOURCES},
    name="Split",
)


class CommitmentRequestSchema(Schema):
    program_id = fields.String(required=True, metadata={"description": "세부사업 또는 단위사업 ID"})
    amount_krw = fields.Integer(required=True, validate=krw(1), metadata=KRW)
    split = fields.Nested(
        SplitSchema,
        load_default=None,
        allow_none=False,  # a nullable nested object is documented as "any object"
        metadata={"description": "재원별 금액 (생략하면 예산액 비율로 최대잉여법 배분)"},
    )
    reference = fields.String(load_default=None, validate=validate.Length(max=200))
    application_id = fields.String(load_default=None, validate=validate.Length(max=64))


class CommitmentSchema(Schema):
    commitment_id = fields.String()
    idempotency_key = fields.String()
    fiscal_year = fields.Integer()
    sub_program_id = fields.String(metadata={"description": "사업 ID"})
    sub_program_title = fields.String()
    amount_krw = fields.Integer(metadata=KRW)
    split = fields.Dict(keys=fields.String(), values=fields.Integer())
    reference = fields.String(allow_none=True)
    application_id = fields.String(allow_none=True)
    created_by = fields.String()


class CommitmentDetailSchema(Schema):
    commitment_id = fields.String()
    fiscal_year = fields.Integer()
    program_id = fields.String()
    amount_krw = fields.Integer()
    spent_krw = fields.Integer()
    released_krw = fields.Integer()
    reversed_krw = fields.Integer()
    outstanding_krw = fields.Integer(metadata={"description": "미지급 잔액"})
    outstanding_by_source = fields.Dict(keys=fields.String(), values=fields.Integer())
    application_id = fields.String(allow_none=True)
    reference = fields.String(allow_none=True)
    created_by = fields.String()


class ExpenditureRequestSchema(Schema):
    commitment_id = fields.String(required=True)
    amount_krw = fields.Integer(required=True, validate=krw(1), metadata=KRW)
    reference = fields.String(load_default=None, validate=validate.Length(max=200))


class ExpenditureSchema(Schema):
    expenditure_id = fields.String()
    commitment_id = fields.String()
    idempotency_key = fields.String()
    amount_krw = fields.Integer(metadata=KRW)
    split = fields.Dict(keys=fields.String(), values=fields.Integer())
    reference = fields.String(allow_none=True)
    created_by = fields.String()


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class ReleaseSchema(Schema):
    release_id = fields.String()
    commitment_id = fields.String()
    amount_krw = fields.Integer()
    split = fields.Dict(keys=fields.String(), values=fields.Integer())


class ReversalSchema(Schema):
    reversal_id = fields.String()
    reverses_document_id = fields.String()
    kind = fields.String()
    amount_krw = fields.Integer()
    reason = fields.String()
    created_by = fields.String()


class AccountSchema(Schema):
    id = fields.String()
    fiscal_year = fields.Integer()
    program_kind = fields.String(metadata={"description": "unit(단위사업) / sub(세부사업)"})
    program_id = fields.String()
    source = fields.String()
    appropriated_krw = fields.Integer()
    committed_krw = fields.Integer()
    spent_krw = fields.Integer()


class TransferRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("transfer", "amendment")))
    from_account_id = fields.String(load_default=None)
    to_account_id = fields.String(required=True)
    amount_krw = fields.Integer(
        required=True, validate=krw(-MAX_KRW), metadata={"description": "추경은 증감액(음수 가능)"}
    )
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    decision_ref = fields.String(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "추경의 근거 (예: 구의회 의결 제2027-12호)"},
    )


class TransferSchema(Schema):
    id = fields.String()
    fiscal_year = fields.Integer()
    kind = fields.String()
    from_account_id = fields.String(allow_none=True)
    to_account_id = fields.String()
    amount_krw = fields.Integer()
    reason = fields.String()
    decision_ref = fields.String(allow_none=True)
    status = fields.String()
    requested_by = fields.String()
    requested_at = fields.DateTime()
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    document_id = fields.String(allow_none=True)


class TransferQuerySchema(Schema):
    status = fields.String(
        load_default=None,
        validate=validate.OneOf(("pending", "approved", "rejected")),
        metadata={
            "description": "pending(승인 대기) / approved(승인) / rejected(반려); 생략하면 전부"
        },
    )
    fiscal_year = fields.Integer(
        load_default=None,
        validate=validate.Range(min=2000, max=2100, error="회계연도는 2000~2100 사이입니다."),
    )


class ReportQuerySchema(Schema):
    fiscal_year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    as_of = fields.Date(
        load_default=None,
        metadata={
            "description": "기준일 (기본: 오늘과 회계연도 말일 중 늦은 날, 곧 지금까지의 전부)"
        },
    )
    by = fields.String(
        load_default="unit_program",
        validate=validate.OneOf(("unit_program", "sub_program", "source")),
    )
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv", "xlsx")))


class ReportRowSchema(Schema):
    key = fields.String(allow_none=True)
    name = fields.String(attribute="label")
    budget_krw = fields.Integer()
    executed_krw = fields.Integer(metadata={"description": "집행액 = 지출액 (원)"})
    rate_pct = fields.String(metadata={"description": "집행률 (%, 소수 첫째 자리 반올림)"})
    budget_thousand = fields.Integer(metadata={"description": "예산액 (천원)"})
    executed_thousand = fields.Integer(metadata={"description": "집행액 (천원)"})
    committed_krw = fields.Integer(metadata={"description": "지출원인행위액 (원)"})
    committed_thousand = fields.Integer(metadata={"description": "지출원인행위액 (천원)"})
    balance_krw = fields.Integer(metadata={"description": "잔액 = 예산액 − 지출원인행위액 (원)"})
    balance_thousand = fields.Integer(metadata={"description": "잔액 (천원)"})


class ReportSchema(Schema):
    fiscal_year = fields.Integer()
    as_of = fields.Date()
    by = fields.String()
    rows = fields.List(fields.Nested(ReportRowSchema))
    total = fields.Nested(ReportRowSchema)


class VerifyQuerySchema(Schema):
    fiscal_year = fields.Integer(
        load_default=None,
        validate=validate.Range(min=2000, max=2100, error="회계연도는 2000~2100 사이입니다."),
    )


class FindingSchema(Schema):
    account_id = fields.String()
    account_seq = fields.Integer(allow_none=True)
    problem = fields.String()


class VerifySchema(Schema):
    ok = fields.Boolean()
    checked = fields.Integer()
    findings = fields.List(fields.Nested(FindingSchema))
