"""HTTP entry points for applications: intake (public), reading and withdrawal (staff)."""

from flask import current_app, g
from flask_smorest import Blueprint

from services.common import paging
from services.common.auth import public, roles

from ..domain import commands
from ..service_layer import intake, queries, withdrawals
from .application_schemas import (
    ApplicationFilterSchema,
    ApplicationInSchema,
    ApplicationListedSchema,
    ApplicationOutSchema,
    ApplicationStaffSchema,
    WithdrawalResultSchema,
    WithdrawalSchema,
)
from .errors import call

blp = Blueprint(
    "applications",
    __name__,
    url_prefix="/applicants/api/v1",
    description="참여 신청 접수, 조회, 포기 처리",
)


def _runtime():
    return current_app.extensions["runtime"]


def submit_command(recruitment_id: str, data: dict, channel: str) -> commands.SubmitApplication:
    return commands.SubmitApplication(
        recruitment_id=recruitment_id,
        name=data["name"].strip(),
        rrn=data["rrn"],
        address=data["address"].strip(),
        phone=data["phone"],
        household_size=data["household_size"],
        household_members=tuple(commands.Member(**m) for m in data["household_members"]),
        property_krw=data["property_krw"],
        monthly_income_krw=data["monthly_income_krw"],
        priority_groups=tuple(data["priority_groups"]),
        past_participations=data["past_participations"],
        preferences=tuple(data["preferences"]),
        kakao=data["kakao"],
        channel=channel,
        consent_version=data.get("consent_version"),
    )


@blp.route("/recruitments/<string:recruitment_id>/applications", methods=["POST"])
@blp.arguments(ApplicationInSchema)
@blp.response(201, ApplicationOutSchema)
@public
def submit_application(data, recruitment_id):
    """참여 신청 (공개). 자격 여부는 오류가 아니라 신청서에 저장되는 결정입니다."""
    return call(intake.submit, _runtime(), submit_command(recruitment_id, data, "api"))


@blp.route("/recruitments/<string:recruitment_id>/applications", methods=["GET"])
@blp.arguments(ApplicationFilterSchema, location="query")
@blp.response(200, ApplicationListedSchema(many=True))
@blp.paginate(page_size=paging.PAGE_SIZE, max_page_size=paging.MAX_PAGE_SIZE)
@roles("staff")
def list_applications(filters, recruitment_id, pagination_parameters):
    """한 모집의 신청서 목록 (직원; 상태·사업·우선선발·점수로 거름, 가림 처리, 쪽 나눔:
    X-Pagination 헤더)"""
    p = pagination_parameters
    found = call(queries.applications_of, _runtime(), recruitment_id, filters, p.page, p.page_size)
    p.item_count = found.total
    return found.items


@blp.route("/applications/<string:application_id>")
@blp.response(200, ApplicationStaffSchema)
@roles("staff")
def get_application(application_id):
    """신청서 한 건 (직원, 개인정보는 가림 처리, 변경 이력 포함)"""
    return call(queries.application, _runtime(), application_id)


@blp.route("/applications/<string:application_id>/withdrawal", methods=["POST"])
@blp.arguments(WithdrawalSchema)
@blp.response(200, WithdrawalResultSchema)
@roles("staff")
def withdraw(data, application_id):
    """참여 포기 처리 (직원). 선발자가 포기하면 대기자 중 다음 사람을 선발합니다."""
    cmd = commands.Withdraw(application_id, data["reason"], g.principal.name)
    return call(withdrawals.withdraw, _runtime(), cmd)
