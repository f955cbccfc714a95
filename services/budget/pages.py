"""Finance's pages: 예산현황 as of a date, as the report prints it (천원), with a chart of
집행률 and the CSV/XLSX downloads. Calls the budget's own service layer only."""

from __future__ import annotations

import uuid
from datetime import date

from flask import Blueprint, current_app, flash, g, redirect, render_template, request

from services.common.auth import roles

from .domain.commands import CommitFunds
from .domain.model import DomainError, UnknownFiscalYear
from .service_layer import programs as use_programs
from .service_layer import reports
from .service_layer.idempotency import run_once
from .service_layer.postings import commit_in, today

pages = Blueprint("budget_pages", __name__, template_folder="templates")
BY = {"unit_program": "단위사업별", "sub_program": "세부사업별", "source": "재원별"}


def _year_of(value: str | None) -> int:
    try:
        year = int(value or today().year)
    except ValueError:
        year = today().year
    return min(max(year, 2000), 2100)


@pages.get("/budget/report")
@roles("finance", "staff")
def report():
    """예산현황: every figure from the ledger, as of the date asked (default: everything)."""
    year = _year_of(request.args.get("year") or "2022")
    by = request.args.get("by") if request.args.get("by") in BY else "unit_program"
    error = None
    try:
        as_of = date.fromisoformat(request.args["as_of"]) if request.args.get("as_of") else None
    except ValueError:
        as_of, error = None, "기준일은 2022-08-31처럼 연-월-일로 적어 주세요."
    shown = as_of or max(today(), date(year, 12, 31))
    rows, total = [], None
    try:
        rows, total = reports.execution(current_app.extensions["runtime"], year, shown, by)
    except UnknownFiscalYear as exc:
        error = str(exc)
    return render_template(
        "budget/report.html", year=year, by=by, by_names=BY, as_of=as_of, shown=shown,
        rows=rows, total=total, error=error, chart=_bars(rows),
    ), (200 if total is not None else 404)  # fmt: skip


def _bars(rows) -> list[dict]:
    """집행률 bars for a server-side SVG (the table stays the accessible source)."""
    return [
        {"label": r.label, "rate": float(r.rate_pct), "width": min(100.0, float(r.rate_pct))}
        for r in rows
    ]


@pages.route("/budget/commitments/new", methods=["GET", "POST"])
@roles("finance")
def new_commitment():
    """지출원인행위 form. The page carries its own Idempotency-Key, so a double click or a
    resent form posts once (the second answer is the first one, replayed)."""
    runtime = current_app.extensions["runtime"]
    year = _year_of(request.values.get("year") or "2022")
    try:
        programs = [
            (s.id, f"{s.section} {s.title}") for s in use_programs.list_sub_programs(runtime, year)
        ]
    except UnknownFiscalYear as exc:
        return render_template("common/error.html", status=404, title="찾을 수 없습니다",
                               detail=str(exc)), 404  # fmt: skip
    form = {"program_id": request.form.get("program_id", ""),
            "amount": request.form.get("amount", "").replace(",", "").strip(),
            "reference": request.form.get("reference", "").strip()[:200],
            "key": request.form.get("key") or uuid.uuid4().hex}  # fmt: skip
    errors: dict[str, str] = {}
    if request.method == "POST":
        if form["program_id"] not in {p for p, _ in programs}:
            errors["program_id"] = "세부사업을 고르세요."
        if not form["amount"].isdigit() or not 1 <= int(form["amount"]) <= 10**15:
            errors["amount"] = "금액은 1원 이상의 숫자로 적어 주세요 (예: 1500000)."
        if not errors:
            cmd = CommitFunds(program_id=form["program_id"], amount_krw=int(form["amount"]),
                              user=g.principal.name, idempotency_key=form["key"],
                              reference=form["reference"] or None)  # fmt: skip
            body = {k: form[k] for k in ("program_id", "amount", "reference")}
            try:
                status, answer, _replayed = run_once(
                    runtime, "commitments", form["key"], body,
                    lambda session: commit_in(session, runtime, cmd))  # fmt: skip
            except DomainError as exc:
                status, answer = 422, {"reason": str(exc)}
            if status == 201:
                flash(f"지출원인행위를 등록했습니다: {answer['sub_program_title']} "
                      f"{answer['amount_krw']:,}원")  # fmt: skip
                return redirect(f"/budget/report?year={year}&by=sub_program", 303)
            errors["amount"] = answer.get("reason", "등록하지 못했습니다.")
    return render_template("budget/commitment_form.html", year=year, programs=programs,
                           form=form, errors=errors), (422 if errors else 200)  # fmt: skip
