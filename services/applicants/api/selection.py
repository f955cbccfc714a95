"""HTTP entry points for the draw: run, read, retract."""

from flask import current_app, g
from flask_smorest import Blueprint

from services.common.auth import public, roles

from ..domain import commands
from ..service_layer import selection as use_cases
from .application_schemas import RetractSchema, SeedSchema, SelectionSchema
from .errors import call

blp = Blueprint(
    "selection",
    __name__,
    url_prefix="/applicants/api/v1/recruitments/<string:recruitment_id>/selection",
    description="선발(우선선발 → 점수 → 공개 시드 추첨), 결과 조회, 선발 취소",
)


def _runtime():
    return current_app.extensions["runtime"]


@blp.route("", methods=["POST"])
@blp.arguments(SeedSchema)
@blp.response(201, SelectionSchema)
@roles("staff")
def run_selection(data, recruitment_id):
    """선발 실행 (직원). 시드는 모집공고의 seed_hash와 맞아야 합니다."""
    cmd = commands.RunSelection(recruitment_id, data["seed"], g.principal.name)
    return call(use_cases.run, _runtime(), cmd)


@blp.route("")
@blp.response(200, SelectionSchema)
@public
def get_selection(recruitment_id):
    """선발 결과 (공개: 신청번호, 사업, 순위, 시드)"""
    return call(use_cases.result_of, _runtime(), recruitment_id)


@blp.route("/retraction", methods=["POST"])
@blp.arguments(RetractSchema)
@blp.response(200, SelectionSchema)
@roles("staff")
def retract_selection(data, recruitment_id):
    """선발 취소 (직원, 사유 필수, 감사기록). 취소 후 다시 추첨할 수 있습니다."""
    cmd = commands.RetractSelection(recruitment_id, data["reason"], g.principal.name)
    return call(use_cases.retract, _runtime(), cmd)
