"""HTTP entry points for safety jobs (work orders): parse, call one use case."""

from flask import current_app
from flask_smorest import Blueprint

from services.common.auth import roles

from ..service_layer import catalogue as use_cases
from .schemas import SafetyJobSchema

blp = Blueprint(
    "safety_jobs",
    __name__,
    url_prefix="/markets/api/v1/safety-jobs",
    description="전통시장 안전사업 (IoT 화재감지기, 말하는 소화기, 전선 정비, CCTV 등)",
)


@blp.route("")
@blp.response(200, SafetyJobSchema(many=True))
@roles("staff", "contractor")
def list_safety_jobs():
    """안전사업 목록과 대상 시장 (직원, 시공업체)"""
    return use_cases.list_safety_jobs(current_app.extensions["runtime"])
