"""HTTP entry points for 세부사업: parse, call one use case, map errors."""

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.common.auth import roles
from services.common.problems import Problem

from ..domain import model
from ..service_layer import programs as use_cases
from ..service_layer import years
from .errors import as_problems
from .schemas import FiscalYearQuerySchema, SubProgramSchema

blp = Blueprint(
    "sub_programs",
    __name__,
    url_prefix="/budget/api/v1/sub-programs",
    description="세부사업별 예산현황과 재원(국비·시비·구비·기금)별 내역",
)


@blp.route("")
@blp.arguments(FiscalYearQuerySchema, location="query")
@blp.response(200, SubProgramSchema(many=True))
@roles("staff", "finance")
def list_sub_programs(query):
    """세부사업별 예산현황과 재원별 내역 (직원, 재무)"""
    try:
        return use_cases.list_sub_programs(current_app.extensions["runtime"], query["fiscal_year"])
    except model.UnknownFiscalYear as exc:
        raise Problem(404, str(exc)) from exc


class SourcesSchema(Schema):
    national = fields.Integer(
        validate=validate.Range(min=0, max=10**13), metadata={"description": "국비 (원)"}
    )
    city = fields.Integer(
        validate=validate.Range(min=0, max=10**13), metadata={"description": "시비 (원)"}
    )
    district = fields.Integer(
        validate=validate.Range(min=0, max=10**13), metadata={"description": "구비 (원)"}
    )
    fund = fields.Integer(
        validate=validate.Range(min=0, max=10**13), metadata={"description": "기금 (원)"}
    )


class NewSubProgramSchema(Schema):
    fiscal_year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    section = fields.String(
        required=True, validate=validate.Length(min=1, max=20),
        metadata={"description": "세부사업 코드 (예: Ⅱ.2). 이월은 이 코드로 이어받습니다."},
    )  # fmt: skip
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    team = fields.String(load_default="", validate=validate.Length(max=80))
    unit_program_id = fields.String(load_default=None)
    note = fields.String(load_default=None, validate=validate.Length(max=1000))
    sources = fields.Nested(SourcesSchema, required=True)


class CreatedSubProgramSchema(Schema):
    id = fields.String()
    fiscal_year = fields.Integer()
    position = fields.Integer()
    section = fields.String()
    title = fields.String()
    team = fields.String()
    unit_program_id = fields.String(allow_none=True)
    budget_krw = fields.Integer()
    sources = fields.Dict(keys=fields.String(), values=fields.Integer())


@blp.route("", methods=["POST"])
@blp.arguments(NewSubProgramSchema)
@blp.response(201, CreatedSubProgramSchema)
@roles("finance")
def add_sub_program(data):
    """세부사업 등록과 재원별(국비·시비·구비·기금) 예산 편성 (재무)"""
    with as_problems():
        return years.add_sub_program(
            current_app.extensions["runtime"], data["fiscal_year"], data, g.principal.name
        )
