"""HTTP entry points for 단위사업: parse, call one use case, map errors."""

from flask import current_app
from flask_smorest import Blueprint

from services.common.auth import roles
from services.common.problems import Problem

from ..domain import model
from ..service_layer import programs as use_cases
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
