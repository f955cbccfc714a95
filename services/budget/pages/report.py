"""예산현황 as of a date, as the report prints it (천원), with a chart of 집행률 and the
CSV/XLSX downloads."""

from __future__ import annotations

from datetime import date

from flask import render_template, request

from services.common.auth import roles

from ..domain.model import UnknownFiscalYear
from ..service_layer import reports
from ..service_layer.postings import today
from .web import pages, runtime, year_of

BY = {"unit_program": "단위사업별", "sub_program": "세부사업별", "source": "재원별"}


@pages.get("/budget/report")
@roles("finance", "staff")
def report():
    """예산현황: every figure from the ledger, as of the date asked (default: everything)."""
    year = year_of(request.args.get("year") or "2022")
    by = request.args.get("by") if request.args.get("by") in BY else "unit_program"
    error = None
    try:
        as_of = date.fromisoformat(request.args["as_of"]) if request.args.get("as_of") else None
    except ValueError:
        as_of, error = None, "기준일은 2022-08-31처럼 연-월-일로 적어 주세요."
    shown = as_of or max(today(), date(year, 12, 31))
    rows, total = [], None
    try:
        rows, total = reports.execution(runtime(), year, shown, by)
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
