"""HTTP entry points for recruitments: parse, call one use case, map errors."""

from flask import current_app, g
from flask_smorest import Blueprint

from services.common.auth import public, roles
from services.common.problems import Problem

from ..domain import commands, model
from ..service_layer import recruitments as use_cases
from .schemas import RecruitmentSchema

blp = Blueprint(
    "recruitments",
    __name__,
    url_prefix="/applicants/api/v1/recruitments",
    description="공공일자리 참여자 모집(모집공고)",
)


@blp.route("")
@blp.response(200, RecruitmentSchema(many=True))
@public
def list_recruitments():
    """모집공고 목록"""
    return use_cases.list_recruitments(current_app.extensions["runtime"])


@blp.route("", methods=["POST"])
@blp.arguments(RecruitmentSchema)
@blp.response(201, RecruitmentSchema)
@roles("staff")
def open_recruitment(data):
    """모집공고 등록 (직원)"""
    cmd = commands.OpenRecruitment(
        title=data["title"],
        year=data["year"],
        half=data["half"],
        programs=tuple(model.ProgramOffer(**p) for p in data["programs"]),
        actor=g.principal.name,
    )
    try:
        return use_cases.open_recruitment(current_app.extensions["runtime"], cmd)
    except model.DomainError as exc:
        raise Problem(422, str(exc)) from exc
