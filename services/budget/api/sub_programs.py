"""HTTP entry points for 세부사업: parse, call one use case, map errors."""

from flask import current_app
from flask_smorest import Blueprint

from services.common.auth import roles
from services.common.problems import Problem

from ..domain import model
from ..service_layer import programs as use_cases
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
