"""HTTP entry points for the versioned eligibility and scoring rules."""

from flask import current_app, g
from flask_smorest import Blueprint

from services.common.auth import public, roles

from ..domain import commands
from ..service_layer import rulesets
from .errors import call
from .schemas import RuleSetSchema

blp = Blueprint(
    "rule_sets",
    __name__,
    url_prefix="/applicants/api/v1/rule-sets",
    description="자격·배점 규칙 (버전 관리)",
)


@blp.route("/current")
@blp.response(200, RuleSetSchema)
@public
def current():
    """현재 규칙"""
    return rulesets.current(current_app.extensions["runtime"])


@blp.route("/current", methods=["PUT"])
@blp.arguments(RuleSetSchema)
@blp.response(200, RuleSetSchema)
@roles("staff")
def replace(data):
    """규칙 변경 (직원): 새 버전을 만들고, 이전 결정은 자기 버전을 그대로 가리킵니다."""
    cmd = commands.ReplaceRuleSet(data["data"], g.principal.name, data["note"])
    return call(rulesets.replace, current_app.extensions["runtime"], cmd)


@blp.route("/<int:version>")
@blp.response(200, RuleSetSchema)
@public
def get(version):
    """규칙 한 버전"""
    return call(rulesets.get, current_app.extensions["runtime"], version)
