"""Staff's pages for the safety jobs' work orders: the list, issuing one (the form checks
as the API does), one order with its units (검수 per unit), cancellation, its audit trail;
and the coverage table with its XLSX download."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, g, redirect, render_template, request, session
from marshmallow import ValidationError

from services.common import paging
from services.common.auth import roles

from ..api.work_order_schemas import WorkOrderIn
from ..domain.model import DomainError
from ..domain.work_orders import ORDER_STATUSES, NotFound, Unit
from ..service_layer import catalogue, completions, coverage
from ..service_layer import work_orders as use_cases
from . import pages

STAFF = use_cases.Viewer(account="", contractor=False)
FIELDS = ("job_id", "market_id", "fiscal_year", "quantity", "amount_krw", "due_date",
          "contractor_name", "contractor_brn", "contractor_account", "stores")  # fmt: skip
LABELS = {"job_id": "안전사업", "market_id": "시장", "fiscal_year": "회계연도",
          "quantity": "수량", "amount_krw": "계약금액", "due_date": "납기일",
          "contractor_name": "시공업체명", "contractor_brn": "사업자등록번호",
          "contractor_account": "시공업체 계정", "stores": "설치 점포"}  # fmt: skip


def _runtime():
    return current_app.extensions["runtime"]


@pages.get("/markets/work-orders")
@roles("staff")
def work_orders():
    """발주 목록 (상태별, 쪽 나눔)"""
    status = request.args.get("status")
    filters = {"status": status} if status in ORDER_STATUSES else {}
    number, size = paging.from_args()
    found = use_cases.page(_runtime(), STAFF, filters, number, size)
    return render_template("markets/work_orders.html", page=found, status=status,
                           statuses=ORDER_STATUSES)  # fmt: skip


def _options():
    runtime = _runtime()
    jobs = [(j.id, j.title) for j in catalogue.list_safety_jobs(runtime)]
    markets = [(m.id, m.name) for m in catalogue.list_markets(runtime)]
    return jobs, markets


def _body(form: dict) -> dict:
    stores = [s.strip() for s in form.get("stores", "").replace("，", ",").split(",") if s.strip()]
    return {
        **{k: form.get(k, "").replace(",", "") if k in ("quantity", "amount_krw") else
           form.get(k, "") for k in FIELDS if k != "stores"},
        "units": [{"store_number": s} for s in stores],
    }  # fmt: skip


def _errors(messages: dict) -> dict[str, str]:
    errors = {}
    for key, value in messages.items():
        field = "stores" if key == "units" else key
        flat = value if isinstance(value, list) else [
            m for v in value.values() for m in (v.values() if isinstance(v, dict) else [v])]  # fmt: skip
        errors[field] = " ".join(str(m) if not isinstance(m, list) else " ".join(m) for m in flat)
    return errors


@pages.route("/markets/work-orders/new", methods=["GET", "POST"])
@roles("staff")
def new_work_order():
    """발주 등록: 사업·시장·업체·점포·금액·납기 (등록하면 예산에 지출원인행위를 요청)"""
    form = {k: request.form.get(k, "").strip() for k in (*FIELDS, "key")}
    form["key"] = form["key"] or uuid.uuid4().hex
    errors: dict[str, str] = {}
    if request.method == "POST":
        done = session.get("issued_orders", {})
        if form["key"] in done:  # a double click: the first order
            return redirect(f"/markets/work-orders/{done[form['key']]}", 303)
        try:
            data = WorkOrderIn().load(_body(form))
        except ValidationError as exc:
            errors = _errors(exc.messages)
        else:
            units = tuple(Unit(code=u.get("code") or str(u["store_number"]),
                               store_number=u["store_number"]) for u in data.pop("units"))  # fmt: skip
            try:
                order = use_cases.issue(_runtime(), use_cases.IssueWorkOrder(**data, units=units),
                                        g.principal.name)  # fmt: skip
            except DomainError as exc:
                errors = {"stores" if "점포" in str(exc) else "job_id": str(exc)}
            else:
                session["issued_orders"] = {
                    **dict(list(done.items())[-4:]),
                    form["key"]: order["id"],
                }
                flash(f"발주했습니다: {order['job']['title']} · {order['market']['name']} "
                      f"{order['quantity']}개. 예산에 지출원인행위를 요청했습니다.")  # fmt: skip
                return redirect(f"/markets/work-orders/{order['id']}", 303)
    jobs, markets = _options()
    return render_template("markets/work_order_form.html", form=form, errors=errors,
                           labels=LABELS, jobs=jobs, markets=markets), (422 if errors else 200)  # fmt: skip


def _order(order_id: str) -> dict:
    try:
        return use_cases.detail(_runtime(), order_id, STAFF)
    except NotFound as exc:
        abort(404, str(exc))


@pages.get("/markets/work-orders/<order_id>")
@roles("staff")
def work_order(order_id):
    """발주 한 건: 설치 단위별 상태와 검수, 예산 지출원인행위, 변경 이력"""
    return render_template("markets/work_order.html", o=_order(order_id))


@pages.post("/markets/work-orders/<order_id>/units/<code>/verification")
@roles("staff")
def verify(order_id, code):
    """검수 완료 (지급 요청이 예산으로 갑니다)"""
    _order(order_id)
    try:
        use_cases.verify(_runtime(), order_id, code, g.principal.name)
        flash(f"설치 단위 {code}을(를) 검수했습니다. 예산에 지출을 요청했습니다.")
    except DomainError as exc:
        flash(f"검수하지 못했습니다: {exc}")
    return redirect(f"/markets/work-orders/{order_id}", 303)


@pages.post("/markets/work-orders/<order_id>/units/<code>/return")
@roles("staff")
def send_back(order_id, code):
    """완료 보고를 사유와 함께 돌려보냄 (업체가 화면에서 사유를 보고 다시 보고)"""
    _order(order_id)
    reason = request.form.get("reason", "").strip()[:500]
    if not reason:
        flash("돌려보내는 사유를 적어 주세요.")
    else:
        try:
            completions.send_back(_runtime(), order_id, code, reason, g.principal.name)
            flash(f"설치 단위 {code}을(를) 돌려보냈습니다. 업체 화면에 사유가 보입니다.")
        except DomainError as exc:
            flash(f"돌려보내지 못했습니다: {exc}")
    return redirect(f"/markets/work-orders/{order_id}", 303)


@pages.post("/markets/work-orders/<order_id>/cancellation")
@roles("staff")
def cancel(order_id):
    """발주 취소 (사유 필수; 예산의 지출원인행위는 해제됩니다)"""
    _order(order_id)
    reason = request.form.get("reason", "").strip()[:500]
    if not reason:
        flash("취소 사유를 적어 주세요.")
    else:
        try:
            use_cases.cancel(_runtime(), order_id, reason, g.principal.name)
            flash("발주를 취소했습니다.")
        except DomainError as exc:
            flash(f"취소하지 못했습니다: {exc}")
    return redirect(f"/markets/work-orders/{order_id}", 303)


@pages.get("/markets/coverage")
@roles("staff")
def coverage_page():
    """안전사업 이행 현황 (사업·시장별 목표, 발주, 완료 보고, 검수, 지급)"""
    return render_template("markets/coverage.html", rows=coverage.report(_runtime()))
