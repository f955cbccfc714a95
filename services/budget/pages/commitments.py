"""지출원인행위 in pages: the form, the list (지출원인행위액, 지출액, 미지급 잔액), one
commitment with its documents, and the release of what is left of it."""

from __future__ import annotations

import uuid

from flask import flash, g, redirect, render_template, request

from services.common import paging
from services.common.auth import roles
from services.common.web import error_page

from ..domain.commands import CommitFunds, NotFound, ReleaseCommitment
from ..domain.model import UnknownFiscalYear
from ..service_layer import listings
from ..service_layer import programs as use_programs
from ..service_layer.postings import commit_in, release_in
from .web import MAX_REASON, amount_of, field, form_key, form_page, once, pages, runtime, year_of


def _programs(year: int) -> list[tuple[str, str]]:
    return [
        (s.id, f"{s.section} {s.title}") for s in use_programs.list_sub_programs(runtime(), year)
    ]


@pages.route("/budget/commitments/new", methods=["GET", "POST"])
@roles("finance")
def new_commitment():
    """지출원인행위 form. The page carries its own Idempotency-Key, so a double click or a
    resent form posts once (the second answer is the first one, replayed)."""
    year = year_of(request.values.get("year") or "2022")
    try:
        programs = _programs(year)
    except UnknownFiscalYear as exc:
        return error_page(404, "찾을 수 없습니다", str(exc))
    form = {"program_id": field("program_id", 36), "amount": field("amount", 40),
            "reference": field("reference"), "key": form_key()}  # fmt: skip
    errors: dict[str, str] = {}
    if request.method == "POST":
        amount = amount_of(form["amount"])
        if form["program_id"] not in {p for p, _ in programs}:
            errors["program_id"] = "세부사업을 고르세요."
        if amount is None:
            errors["amount"] = "금액은 1원 이상의 숫자로 적어 주세요 (예: 1500000)."
        if not errors:
            cmd = CommitFunds(program_id=form["program_id"], amount_krw=amount,
                              user=g.principal.name, idempotency_key=form["key"],
                              reference=form["reference"] or None)  # fmt: skip
            body = {
                "program_id": form["program_id"],
                "amount": amount,
                "reference": form["reference"],
            }
            status, answer = once("commitments", form["key"], body,
                                  lambda session: commit_in(session, runtime(), cmd))  # fmt: skip
            if status == 201:
                flash(f"지출원인행위를 등록했습니다: {answer['sub_program_title']} "
                      f"{answer['amount_krw']:,}원")  # fmt: skip
                return redirect(f"/budget/report?year={year}&by=sub_program", 303)
            errors["amount"] = answer.get("reason", "등록하지 못했습니다.")
            form["key"] = uuid.uuid4().hex  # the refusal is this key's answer now
    return form_page("budget/commitment_form.html", errors, year=year, programs=programs,
                     form=form)  # fmt: skip


@pages.get("/budget/commitments")
@roles("finance", "staff")
def list_commitments():
    """지출원인행위 of a year (and 세부사업), newest first, a page at a time."""
    year = year_of(request.args.get("year") or "2022")
    program_id = request.args.get("program_id", "").strip()[:36]
    try:
        programs = _programs(year)
    except UnknownFiscalYear as exc:
        return error_page(404, "찾을 수 없습니다", str(exc))
    number, size = paging.from_args()
    page = listings.commitments_page(runtime(), year, program_id or None, number, size)
    return render_template("budget/commitments.html", year=year, programs=programs,
                           program_id=program_id, page=page)  # fmt: skip


@pages.get("/budget/commitments/<commitment_id>")
@roles("finance", "staff")
def show_commitment(commitment_id):
    """One commitment and every document posted against it (with their reversals)."""
    try:
        c = listings.commitment_view(runtime(), commitment_id)
    except NotFound as exc:
        return error_page(404, "찾을 수 없습니다", str(exc))
    return render_template("budget/commitment.html", c=c, kinds=listings.KIND_NAMES)


@pages.route("/budget/commitments/<commitment_id>/release", methods=["GET", "POST"])
@roles("finance")
def release_commitment(commitment_id):
    """해제: confirm the amount left (shown, not typed: a release frees all of it) and
    give a reason. If the amount changed since the page was shown, nothing is released."""
    try:
        c = listings.commitment_view(runtime(), commitment_id)
    except NotFound as exc:
        return error_page(404, "찾을 수 없습니다", str(exc))
    form = {"reason": field("reason", MAX_REASON + 1), "key": form_key(),
            "amount": field("amount", 40) or str(c["outstanding_krw"])}  # fmt: skip
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not form["reason"]:
            errors["reason"] = "해제 사유를 적어 주세요."
        elif len(form["reason"]) > MAX_REASON:
            errors["reason"] = f"사유는 {MAX_REASON:,}자 이내로 적어 주세요."
        expected = amount_of(form["amount"])
        if expected is None:
            errors["commitment"] = "해제할 미지급 잔액이 없습니다."
        if not errors:
            cmd = ReleaseCommitment(commitment_id, g.principal.name, form["reason"], expected)
            body = {"commitment_id": commitment_id, "amount": expected, "reason": form["reason"]}
            status, answer = once("releases", form["key"], body,
                                  lambda s: (201, release_in(s, runtime(), cmd)))  # fmt: skip
            if status == 201:
                flash(f"지출원인행위 잔액 {answer['amount_krw']:,}원을 해제했습니다.")
                return redirect(f"/budget/commitments/{commitment_id}", 303)
            errors["commitment"] = answer["reason"]
            c = listings.commitment_view(runtime(), commitment_id)  # as it is now
            form["key"], form["amount"] = uuid.uuid4().hex, str(c["outstanding_krw"])
    return form_page("budget/release_form.html", errors, c=c, form=form)
