"""The public application form, one page then a check of the answers, then a confirmation
with the 접수번호; and the status lookup by 접수번호 and phone. No JavaScript needed
(POST → redirect → GET), CSRF on every form, the 주민등록번호 never sent back in a page
a person can see."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from marshmallow import ValidationError

from services.common.web import public_form

from ..api.application_schemas import ApplicationInSchema
from ..api.applications import submit_command
from ..domain import consent, people
from ..domain.model import PROGRAM_NAMES
from ..domain.rules import PRIORITY_GROUPS
from ..service_layer import intake, queries
from ..service_layer import recruitments as recruitment_cases
from ..service_layer.errors import Invalid, NotFound, UseCaseError
from . import pages

SINGLE = ("name", "rrn", "address", "phone", "household_size", "household_members",
          "property_krw", "monthly_income_krw", "past_participations", "kakao", "consent",
          "pref_1", "pref_2", "pref_3", "pref_4")  # fmt: skip
LABELS = {"name": "성명", "rrn": "주민등록번호", "address": "주소", "phone": "휴대전화",
          "household_size": "가구원 수", "household_members": "가구원",
          "property_krw": "가구 재산", "monthly_income_krw": "가구 월 소득",
          "priority_groups": "우선선발 대상", "past_participations": "과거 참여 횟수",
          "pref_1": "희망 사업", "consent": "개인정보 수집·이용 동의"}  # fmt: skip
ANCHOR = {"preferences": "pref_1", "consent_version": "consent"}
STATUS_TEXT = {
    "eligible": "접수 완료: 자격 요건을 충족합니다. 선발 결과는 추첨 후 알려 드립니다.",
    "ineligible": "자격 요건을 충족하지 않습니다.",
    "selected": "선발되었습니다.",
    "waitlisted": "예비 참여자로 대기 중입니다.",
    "withdrawn": "참여를 포기(취소)했습니다.",
}


def _runtime():
    return current_app.extensions["runtime"]


def _raw(form) -> dict:
    """What the person typed, as typed (to show again and to carry to the next step)."""
    raw = {k: form.get(k, "").strip() for k in SINGLE}
    raw["priority_groups"] = [g for g in form.getlist("priority_groups") if g in PRIORITY_GROUPS]
    return raw


def _members(text: str) -> list[dict]:
    members = []
    for line in text.splitlines():
        if line.strip():
            relation, _, year = line.replace("，", ",").partition(",")
            members.append({"relation": relation.strip(), "birth_year": year.strip()})
    return members


def _data(raw: dict) -> dict:
    return {
        **{k: raw[k] for k in ("name", "rrn", "address", "phone", "household_size")},
        "property_krw": raw["property_krw"].replace(",", ""),
        "monthly_income_krw": raw["monthly_income_krw"].replace(",", ""),
        "past_participations": raw["past_participations"] or "0",
        "household_members": _members(raw["household_members"]),
        "priority_groups": raw["priority_groups"],
        "preferences": [raw[f"pref_{i}"] for i in range(1, 5) if raw[f"pref_{i}"]],
        "kakao": raw["kakao"] == "on",
        "consent_version": raw["consent"] or None,
    }


def _flatten(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for v in messages.values() for m in _flatten(v)]
    if isinstance(messages, list):
        return [m for v in messages for m in _flatten(v)]
    return [str(messages)]


def _errors(messages: dict) -> dict[str, str]:
    return {ANCHOR.get(k, k): " ".join(dict.fromkeys(_flatten(v))) for k, v in messages.items()}


def _validate(raw: dict) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    if raw["consent"] != consent.CURRENT:
        errors["consent"] = "개인정보 수집·이용에 동의해야 신청할 수 있습니다."
    try:
        data = ApplicationInSchema().load(_data(raw))
    except ValidationError as exc:
        return {}, {**errors, **_errors(exc.messages)}
    return data, errors


def _form(recruitment, raw=None, errors=None, message=None, status=200):
    raw = {**(raw or {}), "rrn": ""}  # never sent back: typed again
    return render_template(
        "applicants/apply.html", recruitment=recruitment, raw=raw, errors=errors or {},
        message=message, labels=LABELS,
        program_options=[(p.code, p.name) for p in recruitment.programs], groups=PRIORITY_GROUPS, consent=consent.TEXTS[consent.CURRENT],
    ), status  # fmt: skip


def _recruitment(recruitment_id: str):
    try:
        return recruitment_cases.get_recruitment(_runtime(), recruitment_id)
    except NotFound:
        abort(404, "해당 모집공고가 없습니다.")


@pages.get("/applicants/apply/")
@public_form
def open_recruitments():
    """모집공고 목록 (신청서로 가는 링크)"""
    found = recruitment_cases.list_recruitments(_runtime())
    return render_template("applicants/recruitments.html", recruitments=found)


@pages.route("/applicants/apply/<recruitment_id>", methods=["GET", "POST"])
@public_form
def apply(recruitment_id):
    """신청서 → 입력 내용 확인 → 제출 (접수번호 화면으로)"""
    recruitment = _recruitment(recruitment_id)
    if request.method == "GET":
        return _form(recruitment)
    raw = _raw(request.form)
    action = request.form.get("action", "check")
    if action == "edit":
        return _form(recruitment, raw)
    data, errors = _validate(raw)
    if errors:
        return _form(recruitment, raw, errors, status=422)
    if action != "submit":
        return render_template("applicants/check.html", recruitment=recruitment, raw=raw,
                               data=data, rrn_masked=_masked_rrn(raw["rrn"]),
                               groups=PRIORITY_GROUPS, programs=PROGRAM_NAMES)  # fmt: skip
    try:
        result = intake.submit(_runtime(), submit_command(recruitment.id, data, "form"))
    except Invalid as exc:
        return _form(recruitment, raw, _errors(exc.errors), status=422)
    except UseCaseError as exc:
        return _form(recruitment, raw, message=exc.message, status=exc.status)
    session["applied"] = [*session.get("applied", [])[-4:], result["id"]]
    return redirect(
        url_for(".applied", recruitment_id=recruitment.id, application_id=result["id"]), 303
    )


def _masked_rrn(rrn: str) -> str:
    digits = rrn.replace("-", "")
    return f"{digits[:6]}-{digits[6]}******" if len(digits) == 13 else ""


@pages.get("/applicants/apply/<recruitment_id>/applied/<application_id>")
@public_form
def applied(recruitment_id, application_id):
    """접수 확인: 이 브라우저에서 방금 낸 신청만 보여 줌 (다른 사람은 조회 화면으로)"""
    if application_id not in session.get("applied", []):
        return redirect(url_for(".status"), 303)
    recruitment = _recruitment(recruitment_id)
    result = queries.application(_runtime(), application_id)
    return render_template("applicants/applied.html", recruitment=recruitment, result=result,
                           programs=PROGRAM_NAMES, status_text=STATUS_TEXT)  # fmt: skip


@pages.route("/applicants/status", methods=["GET", "POST"])
@public_form
def status():
    """신청 결과 조회: 접수번호와 휴대전화 번호가 모두 맞아야 보여 줌"""
    raw = {k: request.form.get(k, "").strip() for k in ("application_id", "phone")}
    errors, found = {}, None
    if request.method == "POST":
        if not raw["application_id"]:
            errors["application_id"] = "접수번호를 적어 주세요."
        try:
            phone = people.normalise_phone(raw["phone"])
        except people.InvalidPersonalData:
            errors["phone"] = "휴대전화 번호를 010-1234-5678처럼 적어 주세요."
        if not errors:
            found = queries.status_for(_runtime(), raw["application_id"], phone)
            if found is None:  # the same answer whichever part is wrong
                errors["application_id"] = "접수번호와 휴대전화 번호가 일치하는 신청이 없습니다."
    return render_template(
        "applicants/status.html", raw=raw, errors=errors, found=found, programs=PROGRAM_NAMES,
        status_text=STATUS_TEXT, labels={"application_id": "접수번호", "phone": "휴대전화"},
    ), (422 if errors else 200)  # fmt: skip
