"""전용·이용 and 추경 in pages: the request form, and the list where a second finance
person approves or rejects (the requester never decides their own)."""

from __future__ import annotations

import re
import uuid

from flask import flash, g, redirect, render_template, request

from services.common import paging
from services.common.auth import roles
from services.common.web import error_page

from ..service_layer import listings
from ..service_layer.postings import SEOUL
from ..service_layer.transfers import decide_in, request_in
from .web import (
    MAX_REASON,
    amount_of,
    field,
    form_key,
    form_page,
    once,
    optional_year,
    pages,
    runtime,
    year_of,
)

KINDS = {"transfer": "전용·이용", "amendment": "추경"}
BACK = re.compile(r"/budget/transfers(\?[\w=&%.-]*)?")


def _check(form: dict, accounts: set[str]) -> tuple[dict[str, str], int | None]:
    errors: dict[str, str] = {}
    kind = form["kind"]
    if kind not in KINDS:
        errors["kind"] = "종류를 고르세요."
    if kind == "transfer" and form["from_account_id"] not in accounts:
        errors["from_account_id"] = "보내는 과목을 고르세요."
    if kind == "amendment" and form["from_account_id"]:
        errors["from_account_id"] = "추경에는 보내는 과목을 고르지 않습니다 (받는 과목만)."
    if form["to_account_id"] not in accounts:
        errors["to_account_id"] = "받는 과목을 고르세요."
    elif form["to_account_id"] == form["from_account_id"]:
        errors["to_account_id"] = "보내는 과목과 다른 과목을 고르세요."
    amount = amount_of(form["amount"], signed=kind == "amendment")
    if amount is None:
        errors["amount"] = ("금액은 0이 아닌 숫자로 적어 주세요 (감액은 -1,000,000처럼)."
                            if kind == "amendment" else
                            "금액은 1원 이상의 숫자로 적어 주세요 (예: 1500000).")  # fmt: skip
    if not form["reason"]:
        errors["reason"] = "사유를 적어 주세요."
    elif len(form["reason"]) > MAX_REASON:
        errors["reason"] = f"사유는 {MAX_REASON:,}자 이내로 적어 주세요."
    return errors, amount


@pages.route("/budget/transfers/new", methods=["GET", "POST"])
@roles("finance")
def new_transfer():
    """전용·이용 (or 추경) request: applied only when another finance person approves."""
    year = year_of(request.values.get("year") or "2022")
    accounts = listings.account_choices(runtime(), year)
    if not accounts:
        return error_page(404, "찾을 수 없습니다", f"{year}회계연도 예산 과목이 없습니다.")
    options = [(a["id"], f"{a['label']} (예산 {a['appropriated_krw']:,}원, "
                         f"지출원인행위 후 잔액 {a['free_krw']:,}원)") for a in accounts]  # fmt: skip
    form = {"kind": field("kind", 20) or "transfer", "from_account_id": field("from_account_id", 36),
            "to_account_id": field("to_account_id", 36), "amount": field("amount", 40),
            "reason": field("reason", MAX_REASON + 1), "decision_ref": field("decision_ref"),
            "key": form_key()}  # fmt: skip
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors, amount = _check(form, {a["id"] for a in accounts})
        if not errors:
            body = {k: v for k, v in form.items() if k != "key"}
            args = (form["kind"], form["from_account_id"] or None, form["to_account_id"], amount,
                    form["reason"], g.principal.name, form["decision_ref"] or None)  # fmt: skip
            status, answer = once("transfer_requests", form["key"], body,
                                  lambda s: (201, {"id": request_in(s, *args)["id"]}))  # fmt: skip
            if status == 201:
                flash(f"{KINDS[form['kind']]} {amount:,}원을 요청했습니다. "
                      "다른 재무 담당자가 승인하면 예산에 반영됩니다.")  # fmt: skip
                return redirect(f"/budget/transfers?year={year}", 303)
            errors["amount"] = answer["reason"]
            form["key"] = uuid.uuid4().hex
    return form_page("budget/transfer_form.html", errors, year=year, options=options,
                     kinds=list(KINDS.items()), form=form)  # fmt: skip


@pages.get("/budget/transfers")
@roles("finance", "staff")
def list_transfers():
    """Requests (default: those awaiting a second approver), newest first."""
    status = request.args.get("status", "pending")
    status = status if status in (*listings.STATUS_NAMES, "all") else "pending"
    year = optional_year(request.args.get("year"))
    number, size = paging.from_args()
    page = listings.transfers_page(runtime(), None if status == "all" else status, year,
                                   number, size)  # fmt: skip
    ids = [t[k] for t in page.items for k in ("from_account_id", "to_account_id")]
    for t in page.items:
        t["requested_on"] = t["requested_at"].astimezone(SEOUL).date()
    return render_template(
        "budget/transfers.html", page=page, status=status, year=year, kinds=KINDS,
        statuses=listings.STATUS_NAMES, labels=listings.account_labels(runtime(), ids),
        keys={t["id"]: uuid.uuid4().hex for t in page.items if t["status"] == "pending"},
        back=request.full_path.rstrip("?"),
    )  # fmt: skip


@pages.post("/budget/transfers/<transfer_id>/<any(approval, rejection):decision>")
@roles("finance")
def decide_transfer(transfer_id, decision):
    """승인 (posted to the ledger) or 반려 by someone other than the requester; a
    refusal comes back as a message on the list."""
    approve, user = decision == "approval", g.principal.name
    body = {"transfer_id": transfer_id, "decision": decision}
    status, answer = once("transfer_decisions", form_key(), body,
                          lambda s: (200, _decided(decide_in(s, transfer_id, user, approve))))  # fmt: skip
    verb = "승인" if approve else "반려"
    if status == 200:
        done = f" ({answer['amount_krw']:,}원, 예산에 반영)" if approve else ""
        flash(f"{KINDS.get(answer['kind'], answer['kind'])} 요청을 {verb}했습니다{done}.")
    else:
        flash(f"{verb}하지 못했습니다: {answer['reason']}")
    back = field("back", 300)
    return redirect(back if BACK.fullmatch(back) else "/budget/transfers", 303)


def _decided(row: dict) -> dict:
    return {k: row[k] for k in ("id", "kind", "amount_krw", "status")}
