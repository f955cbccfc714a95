"""Response schemas of the markets API (marshmallow at the edge only)."""

from marshmallow import Schema, fields


class MarketSchema(Schema):
    id = fields.String(metadata={"description": "시장 ID"})
    name = fields.String(metadata={"description": "시장·상점가 이름"})
    store_count = fields.Integer(allow_none=True, metadata={"description": "점포 수 (알려진 경우)"})


class JobSiteSchema(Schema):
    market_id = fields.String(metadata={"description": "시장 ID"})
    market_name = fields.String(metadata={"description": "시장 이름"})
    units = fields.Integer(allow_none=True, metadata={"description": "설치 수량 (알려진 경우)"})


class SafetyJobSchema(Schema):
    id = fields.String(metadata={"description": "안전사업 ID"})
    code = fields.String(metadata={"description": "사업 코드"})
    kind = fields.String(
        metadata={
            "description": "종류 (iot_fire_sensor, talking_extinguisher, wiring, cctv, "
            "fire_equipment, fire_insurance)"
        }
    )
    kind_name = fields.String(metadata={"description": "종류 이름"})
    title = fields.String(metadata={"description": "사업명"})
    status = fields.String(metadata={"description": "상태 (planned 예정, done 완료)"})
    status_name = fields.String(metadata={"description": "상태 이름"})
    starts = fields.Date(allow_none=True, metadata={"description": "시작일"})
    ends = fields.Date(allow_none=True, metadata={"description": "종료일"})
    budget_krw = fields.Integer(allow_none=True, metadata={"description": "사업비 (원)"})
    funding_ratio_pct = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        allow_none=True,
        metadata={"description": "재원비율 (%, 재원별)"},
    )
    funding_split_krw = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        allow_none=True,
        metadata={"description": "재원비율로 나눈 재원별 사업비 (원)"},
    )
    market_count = fields.Integer(allow_none=True, metadata={"description": "대상 시장 수"})
    total_units = fields.Integer(allow_none=True, metadata={"description": "총 설치 수량"})
    sites = fields.List(fields.Nested(JobSiteSchema), metadata={"description": "대상 시장"})
