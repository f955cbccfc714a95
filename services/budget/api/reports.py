"""예산현황 report: JSON, CSV or XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, current_app
from flask_smorest import Blueprint

from services.common.auth import roles

from ..domain.report import ExecutionRow
from ..service_layer import reports
from ..service_layer.postings import today
from .errors import as_problems
from .ledger_schemas import ReportQuerySchema, ReportSchema

blp = Blueprint(
    "reports",
    __name__,
    url_prefix="/budget/api/v1/reports",
    description="예산현황 (기준일 현재 예산액·집행액·집행률), CSV·XLSX 내려받기",
)
HEADER = (
    "구분", "예산액(천원)", "집행액(천원)", "집행률(%)", "예산액(원)", "집행액(원)",
    "지출원인행위액(천원)", "잔액(천원)", "지출원인행위액(원)", "잔액(원)",
)  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cells(row: ExecutionRow) -> tuple:
    return (
        row.label, row.budget_thousand, row.executed_thousand, row.rate_pct,
        row.budget_krw, row.executed_krw, row.committed_thousand, row.balance_thousand,
        row.committed_krw, row.balance_krw,
    )  # fmt: skip


def _csv(rows, total) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for r in (*rows, total):
        writer.writerow(_cells(r))
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens Korean correctly


def _xlsx(rows, total, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "예산현황"
    sheet.append((title,))
    sheet.append(HEADER)
    for r in (*rows, total):
        sheet.append(_cells(r))
    for row in sheet.iter_rows(min_row=3, min_col=2, max_col=len(HEADER)):
        for cell in row:
            cell.number_format = "#,##0"
    sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@blp.route("/execution")
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, ReportSchema)
@blp.doc(
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},  # format=csv
                XLSX: {"schema": {"type": "string", "format": "binary"}},  # format=xlsx
            }
        }
    }
)
@roles("staff", "finance")
def execution(query):
    """예산현황 (단위사업·세부사업·재원별). format=csv|xlsx 로 내려받기"""
    year = query["fiscal_year"]
    as_of = query["as_of"] or max(today(), date(year, 12, 31))  # default: all posted so far
    year, by = query["fiscal_year"], query["by"]
    with as_problems():
        rows, total = reports.execution(current_app.extensions["runtime"], year, as_of, by)
    name = f"budget-execution-{year}-{as_of.isoformat()}-{by}"
    if query["format"] == "csv":
        return Response(
            _csv(rows, total),
            mimetype="text/csv; charset=utf-8",
            headers={"Content-Disposition": f"attachment; filename={name}.csv"},
        )
    if query["format"] == "xlsx":
        title = f"{year}년 예산현황 ({as_of.isoformat()} 기준, 단위: 천원)"
        return Response(
            _xlsx(rows, total, title),
            mimetype=XLSX,
            headers={"Content-Disposition": f"attachment; filename={name}.xlsx"},
        )
    return {"fiscal_year": year, "as_of": as_of, "by": by, "rows": rows, "total": total}
