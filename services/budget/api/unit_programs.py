"""HTTP entry points for 단위사업: parse, call one use case, map errors."""

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.common.auth import roles
from services.common.problems import Problem

from ..domain import model
from ..service_layer import programs as use_cases
from ..service_layer import years
from .errors import as_problems
from .schemas import FiscalYearQuerySchema, UnitProgramSchema

blp = Blueprint(
    "unit_programs",
    __name__,
    url_prefix="/budget/api/v1/unit-programs",
    description="단위사업별 예산현황 (예산액·집행액·집행률)",
)


@blp.route("")
@blp.arguments(FiscalYearQuerySchema, location="query")
@blp.response(200, UnitProgramSchema(many=True))
@roles("staff", "finance")
def list_unit_programs(query):
    """단위사업별 예산현황 (직원, 재무)"""
    try:
        return use_cases.list_unit_programs(current_app.extensions["runtime"], query["fiscal_year"])
    except model.UnknownFiscalYear as exc:
        raise Problem(404, str(exc)) from exc


class NewUnitProgramSchema(Schema):
    fiscal_year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    budget_krw = fields.Integer(
        required=True, validate=validate.Range(min=0, max=10**13), metadata={"description": "원"}
    )


class CreatedUnitProgramSchema(Schema):
    id = fields.String()
    fiscal_year = fields.Integer()
    position = fields.Integer()
    name = fields.String()
    budget_krw = fields.Integer()


@blp.route("", methods=["POST"])
@blp.arguments(NewUnitProgramSchema)
@blp.response(201, CreatedUnitProgramSchema)
@roles("finance")
def add_unit_program(data):
    """단위사업 등록과 예산 편성 (재무). 회계연도가 열려 있어야 합니다."""
    with as_problems():
        return years.add_unit_program(
            current_app.extensions["runtime"], data["fiscal_year"], data["name"],
            data["budget_krw"], g.principal.name,
        )  # fmt: skip
