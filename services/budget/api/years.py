"""HTTP entry points for a fiscal year's life: open, link programs, waiting commitments,
close (이월). Finance only, except reading a year."""

from __future__ import annotations

from flask import current_app, g
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from services.common.auth import roles
from services.common.problems import Problem

from ..domain.program_import import COLUMNS
from ..service_layer import years
from .errors import as_problems

blp = Blueprint(
    "years",
    __name__,
    url_prefix="/budget/api/v1",
    description="회계연도 열기·마감(이월), 다른 서비스 사업과 세부사업의 연결, 연결을 기다리는 지출원인행위",
)
YEAR = validate.Range(min=2000, max=2100, error="회계연도는 2000~2100 사이입니다.")
SOURCES = ("national", "city", "district", "fund")


def _runtime():
    return current_app.extensions["runtime"]


def _code(code: str) -> str:
    if not 1 <= len(code) <= 40:
        raise Problem(422, "사업 코드는 1~40자입니다.")
    return code


def _year(year: int) -> int:
    """A year in a path: out of range is a 404 of a year that cannot exist, not a 500."""
    if not 2000 <= year <= 2100:
        raise Problem(404, f"{year}회계연도는 없습니다 (2000~2100).")
    return year


class NewYearSchema(Schema):
    year = fields.Integer(required=True, validate=YEAR, metadata={"description": "회계연도"})


class YearSchema(Schema):
    year = fields.Integer()
    status = fields.String(metadata={"description": "open (집행 중) | closed (마감)"})
    opened_by = fields.String(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    closed_by = fields.String(allow_none=True)
    unit_programs = fields.Integer(metadata={"description": "단위사업 수"})
    sub_programs = fields.Integer(metadata={"description": "세부사업 수"})


class ClosingRequestSchema(Schema):
    as_of = fields.Date(load_default=None, metadata={"description": "마감일 (기본: 12월 31일)"})


class CarriedSchema(Schema):
    commitment_id = fields.String()
    carried_to = fields.String(metadata={"description": "다음 회계연도의 지출원인행위 ID"})
    amount_krw = fields.Integer()
    program_id = fields.String()
    to_program_id = fields.String()
    by_source = fields.Dict(keys=fields.String(), values=fields.Integer())


class ClosingSchema(Schema):
    fiscal_year = fields.Integer()
    status = fields.String()
    closed_by = fields.String()
    closed_at = fields.DateTime()
    carried_count = fields.Integer(metadata={"description": "이월 건수"})
    carried_krw = fields.Integer(metadata={"description": "이월액 (원)"})
    carried = fields.List(fields.Nested(CarriedSchema))


# 재원비율: a nested schema, so the document names the only keys allowed.
RatioSchema = Schema.from_dict(
    {s: fields.Integer(validate=validate.Range(min=0, max=100)) for s in SOURCES}, name="Ratio"
)


class LinkRequestSchema(Schema):
    sub_program_id = fields.String(required=True, metadata={"description": "세부사업 ID"})
    program_name = fields.String(load_default=None, validate=validate.Length(max=200))
    ratio_pct = fields.Nested(
        RatioSchema,
        required=True,
        metadata={"description": '재원비율 (%, 합계 100), 예: {"city": 70, "district": 30}'},
    )


class LinkSchema(Schema):
    fiscal_year = fields.Integer()
    program_code = fields.String()
    program_name = fields.String()
    sub_program_id = fields.String()
    ratio_pct = fields.Dict(keys=fields.String(), values=fields.Integer())
    version = fields.Integer()
    updated_by = fields.String(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    applied_waiting = fields.Integer(
        metadata={"description": "이 연결로 지금 기록된, 기다리던 지출원인행위 수"}
    )


class WaitingQuerySchema(Schema):
    fiscal_year = fields.Integer(load_default=None, validate=YEAR)
    status = fields.String(
        load_default="waiting",
        validate=validate.OneOf(("waiting", "applied", "refused", "cancelled")),
    )


class WaitingSchema(Schema):
    message_id = fields.String()
    event_type = fields.String()
    fiscal_year = fields.Integer()
    program_code = fields.String()
    application_id = fields.String()
    amount_krw = fields.Integer()
    reason = fields.String()
    status = fields.String()
    created_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    commitment_id = fields.String(allow_none=True)


class YearPath(Schema):
    year = fields.Integer(required=True, validate=YEAR)


@blp.route("/fiscal-years", methods=["POST"])
@blp.arguments(NewYearSchema)
@blp.response(201, YearSchema)
@roles("finance")
def open_year(data):
    """회계연도 열기 (재무). 이어서 단위사업·세부사업을 등록합니다."""
    with as_problems():
        return years.open_year(_runtime(), data["year"], g.principal.name)


@blp.route("/fiscal-years/<int:year>")
@blp.response(200, YearSchema)
@roles("finance", "staff")
def get_year(year):
    """회계연도 상태 (재무, 직원)"""
    with as_problems():
        return years.get_year(_runtime(), _year(year))


@blp.route("/fiscal-years/<int:year>/closing", methods=["POST"])
@blp.arguments(ClosingRequestSchema)
@blp.response(200, ClosingSchema)
@roles("finance")
def close_year(data, year):
    """회계연도 마감과 미지급 지출원인행위 이월 (재무). 다음 회계연도가 열려 있어야 합니다."""
    with as_problems():
        return years.close_year(_runtime(), _year(year), g.principal.name, data["as_of"])


@blp.route("/program-links/<int:year>")
@blp.response(200, LinkSchema(many=True))
@roles("finance", "staff")
def list_links(year):
    """회계연도의 사업 연결 (모집 사업 코드 → 세부사업, 재원비율)"""
    with as_problems():
        return years.list_links(_runtime(), _year(year))


@blp.route("/program-links/<int:year>/<string:code>", methods=["PUT"])
@blp.arguments(LinkRequestSchema)
@blp.response(200, LinkSchema)
@roles("finance")
def put_link(data, year, code):
    """사업 연결 등록·변경 (재무). 이 연결을 기다리던 지출원인행위가 바로 기록됩니다."""
    with as_problems():
        return years.put_link(_runtime(), _year(year), _code(code), data, g.principal.name)


@blp.route("/waiting-commitments")
@blp.arguments(WaitingQuerySchema, location="query")
@blp.response(200, WaitingSchema(many=True))
@roles("finance")
def waiting(query):
    """회계연도나 사업 연결이 없어 기다리는 지출원인행위 (재무)"""
    return years.list_waiting(_runtime(), query["fiscal_year"], query["status"])


class ProgramsFile(Schema):
    file = Upload(
        required=True,
        metadata={"description": "CSV(UTF-8/CP949) 또는 XLSX. 열: " + ", ".join(COLUMNS)},
    )


class ImportedSchema(Schema):
    fiscal_year = fields.Integer()
    unit_programs = fields.Integer(metadata={"description": "등록한 단위사업 수"})
    sub_programs = fields.Integer(metadata={"description": "등록한 세부사업 수"})


@blp.route("/fiscal-years/<int:year>/programs", methods=["POST"])
@blp.arguments(ProgramsFile, location="files")
@blp.response(201, ImportedSchema)
@roles("finance")
def import_programs(files, year):
    """단위사업·세부사업 일괄 등록 (재무; 금액은 천원). 오류가 한 건이라도 있으면 아무것도
    등록하지 않고 행·열별 오류를 돌려줍니다."""
    upload = files["file"]
    with as_problems():
        return years.import_programs(
            _runtime(), _year(year), upload.filename or "", upload.read(), g.principal.name
        )
