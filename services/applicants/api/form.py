"""The public Korean application form (server-rendered, no JavaScript needed)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from services.common.auth import public

from ..domain.model import PROGRAM_NAMES
from ..domain.rules import PRIORITY_GROUPS
from ..service_layer import intake
from ..service_layer import recruitments as recruitment_cases
from ..service_layer.errors import Invalid, NotFound, UseCaseError
from .application_schemas import ApplicationInSchema
from .applications import submit_command

blp = Blueprint(
    "apply_form",
    __name__,
    url_prefix="/applicants/apply",
    template_folder="../templates",
    description="참여 신청서 (웹 화면)",
)
TEXT_FIELDS = ("name", "rrn", "address", "phone", "household_size", "property_krw",
               "monthly_income_krw", "past_participations")  # fmt: skip


def _members(text: str) -> list[dict]:
    members = []
    for line in text.splitlines():
        if not line.strip():
            continue
        relation, _, year = line.replace("，", ",").partition(",")
        members.append({"relation": relation.strip(), "birth_year": year.strip()})
    return members


def form_data(form) -> dict:
    data: dict = {k: form.get(k, "").strip() for k in TEXT_FIELDS}
    data["past_participations"] = data["past_participations"] or "0"
    for key in ("property_krw", "monthly_income_krw"):
        data[key] = data[key].replace(",", "")
    data["household_members"] = _members(form.get("household_members", ""))
    data["priority_groups"] = form.getlist("priority_groups")
    data["preferences"] = [p for p in (form.get(f"pref_{i}", "") for i in range(1, 5)) if p]
    data["kakao"] = form.get("kakao") == "on"
    return data


def _flatten(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for v in messages.values() for m in _flatten(v)]
    if isinstance(messages, list):
        return [m for v in messages for m in _flatten(v)]
    return [str(messages)]


def _page(recruitment, status=200, errors=None, message=None, form=None):
    errors = {k: _flatten(v) for k, v in (errors or {}).items()}
    html = render_template(
        "apply.html",
        recruitment=recruitment,
        programs=PROGRAM_NAMES,
        groups=PRIORITY_GROUPS,
        errors=errors,
        message=message,
        form=form,
    )
    return html, status, {"Content-Type": "text/html; charset=utf-8"}


@blp.route("/")
@public
def index():
    """모집공고 목록 화면 (신청서로 가는 링크)"""
    recruitments = recruitment_cases.list_recruitments(current_app.extensions["runtime"])
    html = render_template("recruitments.html", recruitments=recruitments)
    return html, 200, {"Content-Type": "text/html; charset=utf-8"}


@blp.route("/<string:recruitment_id>", methods=["GET", "POST"])
@public
def apply(recruitment_id):
    """참여 신청서 화면과 제출"""
    runtime = current_app.extensions["runtime"]
    try:
        recruitment = recruitment_cases.get_recruitment(runtime, recruitment_id)
    except NotFound:
        return render_template("not_found.html"), 404, {"Content-Type": "text/html; charset=utf-8"}
    if request.method == "GET":
        return _page(recruitment, form=request.form)
    try:
        data = ApplicationInSchema().load(form_data(request.form))
    except ValidationError as exc:
        return _page(recruitment, 422, exc.messages, "입력값을 확인해 주세요.", request.form)
    try:
        result = intake.submit(runtime, submit_command(recruitment_id, data, "form"))
    except Invalid as exc:
        return _page(recruitment, 422, exc.errors, exc.message, request.form)
    except UseCaseError as exc:
        return _page(recruitment, exc.status, None, exc.message, request.form)
    html = render_template("applied.html", recruitment=recruitment, result=result,
                           programs=PROGRAM_NAMES)  # fmt: skip
    return html, 201, {"Content-Type": "text/html; charset=utf-8"}
