"""HTTP entry points for recruitments: parse, call one use case, map errors."""

from flask import current_app, g
from flask_smorest import Blueprint

from services.common.auth import public, roles

from ..domain import commands, model
from ..service_layer import recruitments as use_cases
from .errors import call
from .schemas import OpenedRecruitmentSchema, RecruitmentSchema

blp = Blueprint(
    "recruitments",
    __name__,
    url_prefix="/applicants/api/v1/recruitments",
    description="공공일자리 참여자 모집(모집공고)",
)


class _WithSeed:
    """A recruitment plus the seed made for it (shown in the creation response only)."""

    def __init__(self, recruitment: model.Recruitment, seed: str | None):
        self._recruitment = recruitment
        self.seed = seed

    def __getattr__(self, name):
        return getattr(self._recruitment, name)


def _runtime():
    return current_app.extensions["runtime"]


@blp.route("")
@blp.response(200, RecruitmentSchema(many=True))
@public
def list_recruitments():
    """모집공고 목록"""
    return use_cases.list_recruitments(_runtime())


@blp.route("", methods=["POST"])
@blp.arguments(RecruitmentSchema)
@blp.response(201, OpenedRecruitmentSchema)
@roles("staff")
def open_recruitment(data):
    """모집공고 등록 (직원). seed_hash가 없으면 추첨 시드를 만들어 응답에서 한 번만 보여 줍니다."""
    cmd = commands.OpenRecruitment(
        title=data["title"],
        year=data["year"],
        half=data["half"],
        programs=tuple(model.ProgramOffer(**p) for p in data["programs"]),
        actor=g.principal.name,
        seed_hash=data["seed_hash"],
        intake_opens=data["intake_opens"],
        intake_closes=data["intake_closes"],
    )
    recruitment, seed = call(use_cases.open_recruitment, _runtime(), cmd)
    return _WithSeed(recruitment, seed)


@blp.route("/<string:recruitment_id>")
@blp.response(200, RecruitmentSchema)
@public
def get_recruitment(recruitment_id):
    """모집공고 한 건 (공개된 추첨 시드 해시 포함)"""
    return call(use_cases.get_recruitment, _runtime(), recruitment_id)
