"""Request and response schemas of the budget API (marshmallow at the edge only)."""

from marshmallow import Schema, fields, validate


class FiscalYearQuerySchema(Schema):
    fiscal_year = fields.Integer(
        required=True,
        validate=validate.Range(min=2000, max=2100, error="회계연도는 2000~2100 사이입니다."),
        metadata={"description": "회계연도 (예: 2022)"},
    )


class UnitProgramSchema(Schema):
    id = fields.String(metadata={"description": "단위사업 ID"})
    position = fields.Integer(metadata={"description": "예산현황 표의 순번"})
    name = fields.String(metadata={"description": "단위사업명"})
    budget_krw = fields.Integer(metadata={"description": "예산액 (원)"})
    reported_executed_krw = fields.Integer(
        allow_none=True, metadata={"description": "보고서상 집행액 (원, 기준일 현재)"}
    )
    reported_as_of = fields.Date(allow_none=True, metadata={"description": "집행액 기준일"})
    rate_pct = fields.Decimal(
        as_string=True,
        allow_none=True,
        metadata={"type": "string", "description": "집행률 (%, 소수 첫째 자리 반올림)"},
    )


class SourceAmountSchema(Schema):
    source = fields.String(metadata={"description": "재원 코드 (national, city, district, fund)"})
    name = fields.String(metadata={"description": "재원 (국비, 시비, 구비, 기금)"})
    budget_krw = fields.Integer(metadata={"description": "예산액 (원)"})
    reported_executed_krw = fields.Integer(metadata={"description": "보고서상 집행액 (원)"})


class SubProgramSchema(Schema):
    id = fields.String(metadata={"description": "세부사업 ID"})
    position = fields.Integer(metadata={"description": "보고서 순번"})
    section = fields.String(metadata={"description": "보고서의 절 (예: Ⅱ.1)"})
    title = fields.String(metadata={"description": "세부사업명"})
    team = fields.String(metadata={"description": "담당 팀"})
    unit_program_id = fields.String(
        allow_none=True, metadata={"description": "보고서가 밝힌 단위사업 ID (없으면 null)"}
    )
    budget_krw = fields.Integer(metadata={"description": "예산액 (원, 재원 합계)"})
    reported_executed_krw = fields.Integer(metadata={"description": "보고서상 집행액 (원)"})
    reported_as_of = fields.Date(metadata={"description": "집행액 기준일"})
    rate_pct = fields.Decimal(
        as_string=True, metadata={"type": "string", "description": "집행률 (%)"}
    )
    note = fields.String(allow_none=True, metadata={"description": "비고"})
    sources = fields.List(
        fields.Nested(SourceAmountSchema), metadata={"description": "재원별 내역"}
    )
