"""Staff's pages: recruitments (list, open one), a recruitment's applications (filtered,
paginated, masked), one application (points sheet, history, withdrawal), the draw with its
seed, the selection with its waitlist, and its retraction."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from marshmallow import ValidationError

from services.common import paging
from services.common.auth import roles

from ..api.application_schemas import STATUSES, ApplicationFilterSchema
from ..api.schemas import RecruitmentSchema
from ..domain import commands, model
from ..domain.model import PROGRAM_NAMES
from ..domain.rules import PRIORITY_GROUPS
from ..service_layer import queries, withdrawals
from ..service_layer import recruitments as use_recruitments
from ..service_layer import selection as use_selection
from ..service_layer.errors import NotFound, UseCaseError
from . import pages

STATUS_NAMES = {"eligible": "자격 충족", "ineligible": "부적격", "selected": "선발",
                "waitlisted": "예비", "withdrawn": "포기"}  # fmt: skip
OFFER_FIELDS = ("quota", "hourly_wage", "work_starts", "work_ends")


def _runtime():
    return current_app.extensions["runtime"]


def _names():
    return {"statuses": STATUS_NAMES, "programs": PROGRAM_NAMES, "groups": PRIORITY_GROUPS}


def _or_404(fn, *args):
    try:
        return fn(_runtime(), *args)
    except NotFound as exc:
        abort(404, exc.message)


@pages.get("/applicants/recruitments")
@roles("staff")
def recruitments():
    """모집공고 목록 (신청 현황과 선발 여부)"""
    found = use_recruitments.list_recruitments(_runtime())
    counts = {r.id: queries.counts_of(_runtime(), r.id) for r in found}
    return render_template("applicants/staff/recruitments.html", recruitments=found,
                           counts=counts, **_names())  # fmt: skip


@pages.route("/applicants/recruitments/new", methods=["GET", "POST"])
@roles("staff")
def new_recruitment():
    """모집공고 등록: 사업별 인원·시급·근무 기간, 공개할 추첨 시드 해시"""
    form = {k: request.form.get(k, "").strip() for k in request.form}
    form.setdefault("key", uuid.uuid4().hex)
    errors: dict[str, str] = {}
    if request.method == "POST":
        opened = session.get("opened", {})
        if form["key"] in opened:  # a double click: the first answer
            return redirect(url_for(".recruitment", recruitment_id=opened[form["key"]]), 303)
        data, errors = _recruitment_data(form)
        if not errors:
            cmd = commands.OpenRecruitment(
                title=data["title"], year=data["year"], half=data["half"],
                programs=tuple(model.ProgramOffer(**p) for p in data["programs"]),
                actor=g.principal.name, seed_hash=data["seed_hash"],
                intake_opens=data["intake_opens"], intake_closes=data["intake_closes"],
            )  # fmt: skip
            recruitment, seed = use_recruitments.open_recruitment(_runtime(), cmd)
            session["opened"] = {**dict(list(opened.items())[-4:]), form["key"]: recruitment.id}
            return render_template("applicants/staff/opened.html", recruitment=recruitment,
                                   seed=seed), 201  # fmt: skip
    return render_template("applicants/staff/new_recruitment.html", form=form, errors=errors,
                           programs=PROGRAM_NAMES), (422 if errors else 200)  # fmt: skip


def _recruitment_data(form: dict) -> tuple[dict, dict[str, str]]:
    offered = [c for c in PROGRAM_NAMES if form.get(f"quota_{c}")]
    body = {
        "title": form.get("title", ""), "year": form.get("year", ""), "half": form.get("half", ""),
        "intake_opens": form.get("intake_opens") or None,
        "intake_closes": form.get("intake_closes") or None,
        "seed_hash": form.get("seed_hash", "").lower(),
        "programs": [{f: form.get(f"{f}_{c}", "").replace(",", "") for f in OFFER_FIELDS}
                     | {"code": c} for c in offered],
    }  # fmt: skip
    try:
        return RecruitmentSchema().load(body), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for key, messages in exc.messages.items():
            if key == "programs" and isinstance(messages, dict):
                for index, fields in messages.items():
                    for field, text in fields.items():
                        errors[f"{field}_{offered[int(index)]}"] = " ".join(text)
            elif key == "programs":
                errors["quota_safe"] = "사업을 하나 이상 골라 인원을 적어 주세요."
            else:
                errors[key] = " ".join(messages) if isinstance(messages, list) else str(messages)
        return {}, errors


@pages.get("/applicants/recruitments/<recruitment_id>")
@roles("staff")
def recruitment(recruitment_id):
    """모집 한 건: 신청서 목록(상태·사업·우선선발·점수로 거름), 추첨"""
    found = _or_404(use_recruitments.get_recruitment, recruitment_id)
    args = {k: v for k, v in request.args.items() if v != ""}
    try:
        filters = ApplicationFilterSchema().load(
            {k: args[k] for k in ("status", "program", "priority", "min_score") if k in args}
        )
        problem = None
    except ValidationError:
        filters, problem = {}, "거르는 조건을 알아볼 수 없어 전체를 보여 드립니다."
    number, size = paging.from_args()
    listed = queries.applications_of(_runtime(), recruitment_id, filters, number, size)
    selection = _latest_selection(recruitment_id)
    return render_template(
        "applicants/staff/recruitment.html", recruitment=found, page=listed, args=args,
        problem=problem, counts=queries.counts_of(_runtime(), recruitment_id),
        selection=selection, status_options=[(s, STATUS_NAMES[s]) for s in STATUSES], **_names(),
    )  # fmt: skip


def _latest_selection(recruitment_id: str) -> dict | None:
    try:
        return use_selection.result_of(_runtime(), recruitment_id)
    except NotFound:
        return None


@pages.post("/applicants/recruitments/<recruitment_id>/draw")
@roles("staff")
def draw(recruitment_id):
    """추첨 실행: 공개한 시드 해시와 맞는 시드를 넣어야 함"""
    seed = request.form.get("seed", "").strip()
    if not seed:
        flash("추첨 시드를 넣어 주세요.")
        return redirect(url_for(".recruitment", recruitment_id=recruitment_id), 303)
    try:
        result = use_selection.run(
            _runtime(), commands.RunSelection(recruitment_id, seed, g.principal.name)
        )
    except UseCaseError as exc:
        flash(f"추첨하지 못했습니다: {exc.message}")
        return redirect(url_for(".recruitment", recruitment_id=recruitment_id), 303)
    chosen = sum(result["selected_counts"].values())
    flash(f"추첨했습니다: 선발 {chosen}명, 예비 {result['waitlisted_count']}명")
    return redirect(url_for(".selection", recruitment_id=recruitment_id), 303)


@pages.get("/applicants/recruitments/<recruitment_id>/selection")
@roles("staff")
def selection(recruitment_id):
    """선발 결과: 사업별 선발자, 예비 순번, 시드"""
    found = _or_404(use_recruitments.get_recruitment, recruitment_id)
    result = _or_404(use_selection.result_of, recruitment_id)
    return render_template("applicants/staff/selection.html", recruitment=found,
                           result=result, **_names())  # fmt: skip


@pages.post("/applicants/recruitments/<recruitment_id>/selection/retraction")
@roles("staff")
def retract(recruitment_id):
    """선발 취소 (사유 필수, 감사 기록)"""
    reason = request.form.get("reason", "").strip()[:500]
    if not reason:
        flash("선발을 취소하는 사유를 적어 주세요.")
    else:
        cmd = commands.RetractSelection(recruitment_id, reason, g.principal.name)
        try:
            use_selection.retract(_runtime(), cmd)
            flash("선발을 취소했습니다. 다시 추첨할 수 있습니다.")
        except UseCaseError as exc:
            flash(f"취소하지 못했습니다: {exc.message}")
    return redirect(url_for(".recruitment", recruitment_id=recruitment_id), 303)


@pages.get("/applicants/applications/<application_id>")
@roles("staff")
def application(application_id):
    """신청서 한 건: 가림 처리한 인적 사항, 점수표, 판정 사유, 변경 이력"""
    found = _or_404(queries.application, application_id)
    return render_template("applicants/staff/application.html", a=found, **_names())


@pages.post("/applicants/applications/<application_id>/withdrawal")
@roles("staff")
def withdraw(application_id):
    """참여 포기 처리 (선발·예비만; 빈자리는 예비 1순위가 채움)"""
    reason = request.form.get("reason", "").strip()[:500]
    if not reason:
        flash("포기 사유를 적어 주세요.")
        return redirect(url_for(".application", application_id=application_id), 303)
    cmd = commands.Withdraw(application_id, reason, g.principal.name)
    try:
        done = withdrawals.withdraw(_runtime(), cmd)
    except UseCaseError as exc:
        flash(f"처리하지 못했습니다: {exc.message}")
        return redirect(url_for(".application", application_id=application_id), 303)
    promoted = f" 예비 {done['promoted']}가 선발되었습니다." if done["promoted"] else ""
    flash(f"포기 처리했습니다.{promoted}")
    return redirect(url_for(".application", application_id=application_id), 303)
