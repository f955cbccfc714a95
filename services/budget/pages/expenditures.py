"""지출 from a commitment, and the reversal (정정, 역분개) of a document, in pages."""

from __future__ import annotations

import uuid
from contextlib import suppress

from flask import flash, g, redirect, request

from services.common.auth import roles
from services.common.web import error_page

from ..domain.commands import NotFound, PostExpenditure, ReverseDocument
from ..service_layer import ledger, listings
from ..service_layer.postings import reverse_in, spend_in
from .web import MAX_REASON, amount_of, field, form_key, form_page, once, pages, runtime, year_of

LISTED = 200  # commitments offered in the form's list; any other by its number


def _choices(year: int) -> list[tuple[str, str]]:
    return [
        (c["id"], f"{c['business_date']} {c['program_title']} · {c['reference'] or '참조 없음'}"
                  f" · 미지급 잔액 {c['outstanding_krw']:,}원")
        for c in listings.open_commitments(runtime(), year, LISTED)
    ]  # fmt: skip


def _prefilled(form: dict, year: int) -> int:
    """A commitment named in the address (from the list): its year, and where it goes."""
    wanted = request.args.get("commitment_id", "").strip()[:36]
    if not wanted or request.method != "GET":
        return year
    with suppress(NotFound):  # an unknown number stays in the form, refused when sent
        year = ledger.commitment(runtime(), wanted)["fiscal_year"]
    form["commitment_id"] = wanted
    return year


@pages.route("/budget/expenditures/new", methods=["GET", "POST"])
@roles("finance")
def new_expenditure():
    """지출 form: a commitment picked from the list or given by its number, an amount
    and a reference. Carries its own Idempotency-Key like the commitment form."""
    form = {"commitment_id": field("commitment_id", 36), "amount": field("amount", 40),
            "commitment_other": field("commitment_other", 36), "reference": field("reference"),
            "key": form_key()}  # fmt: skip
    year = _prefilled(form, year_of(request.values.get("year") or "2022"))
    choices = _choices(year)
    if form["commitment_id"] and form["commitment_id"] not in {i for i, _ in choices}:
        form["commitment_other"], form["commitment_id"] = form["commitment_id"], ""
    errors: dict[str, str] = {}
    if request.method == "POST":
        used = "commitment_other" if form["commitment_other"] else "commitment_id"
        amount = amount_of(form["amount"])
        if not form[used]:
            errors["commitment_id"] = "지출원인행위를 고르거나 번호를 적어 주세요."
        if amount is None:
            errors["amount"] = "지출액은 1원 이상의 숫자로 적어 주세요 (예: 1500000)."
        if not errors:
            cmd = PostExpenditure(form[used], amount, g.principal.name, form["key"],
                                  form["reference"] or None)  # fmt: skip
            body = {"commitment_id": form[used], "amount": amount, "reference": form["reference"]}
            status, answer = once("expenditures", form["key"], body,
                                  lambda s: spend_in(s, runtime(), cmd))  # fmt: skip
            if status == 201:
                flash(f"지출을 등록했습니다: {answer['amount_krw']:,}원 "
                      f"(전표번호 {answer['expenditure_id']})")  # fmt: skip
                return redirect(f"/budget/commitments/{answer['commitment_id']}", 303)
            over = answer.get("code") == "insufficient_commitment"
            errors["amount" if over else used] = answer.get("reason", "등록하지 못했습니다.")
            form["key"] = uuid.uuid4().hex  # the refusal is this key's answer now
    return form_page("budget/expenditure_form.html", errors, year=year, choices=choices,
                     form=form, listed=LISTED)  # fmt: skip


@pages.route("/budget/documents/<document_id>/reversal", methods=["GET", "POST"])
@roles("finance")
def reverse_document(document_id):
    """정정 (역분개): confirm the document and give a reason; the original stays as it
    was and a reversing document cancels it."""
    try:
        doc = listings.document_view(runtime(), document_id)
    except NotFound as exc:
        return error_page(404, "찾을 수 없습니다", str(exc))
    form = {"reason": field("reason", MAX_REASON + 1), "key": form_key()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not form["reason"]:
            errors["reason"] = "정정 사유를 적어 주세요."
        elif len(form["reason"]) > MAX_REASON:
            errors["reason"] = f"사유는 {MAX_REASON:,}자 이내로 적어 주세요."
        if not errors:
            cmd = ReverseDocument(document_id, g.principal.name, form["reason"])
            body = {"document_id": document_id, "reason": form["reason"]}
            status, answer = once("reversals", form["key"], body,
                                  lambda s: (201, reverse_in(s, runtime(), cmd)))  # fmt: skip
            if status == 201:
                flash(f"전표를 정정(역분개)했습니다: {doc['kind_name']} {doc['amount_krw']:,}원")
                commitment = doc["commitment_id"] or doc["id"]
                return redirect(f"/budget/commitments/{commitment}", 303)
            errors["document"] = answer["reason"]
            form["key"] = uuid.uuid4().hex
    return form_page("budget/reversal_form.html", errors, doc=doc, form=form)
