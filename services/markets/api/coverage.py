"""Coverage of the safety jobs for staff: JSON or XLSX."""

from __future__ import annotations

import io
from dataclasses import asdict

from flask import Response, current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.common.auth import roles

from ..service_layer import coverage as use_case

blp = Blueprint(
    "coverage",
    __name__,
    url_prefix="/markets/api/v1/coverage",
    description="안전사업 이행 현황 (목표·발주·완료 보고·검수·지급, 사업·시장별)",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ("사업", "시장", "목표", "발주", "완료 보고", "검수", "지급",
          "발주액(원)", "검수액(원)", "지급액(원)")  # fmt: skip


class CoverageQuery(Schema):
    job = fields.String(metadata={"description": "안전사업 코드 (예: iot_fire_detection)"})
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "xlsx"]))


class CoverageRowSchema(Schema):
    job_code = fields.String()
    job_title = fields.String()
    market = fields.String(allow_none=True, metadata={"description": "null: 사업 합계"})
    target_units = fields.Integer(allow_none=True)
    ordered_units = fields.Integer()
    reported_units = fields.Integer()
    verified_units = fields.Integer()
    paid_units = fields.Integer()
    ordered_krw = fields.Integer()
    verified_krw = fields.Integer()
    paid_krw = fields.Integer()


def cells(row) -> tuple:
    return (row.job_title, row.market or "합계", row.target_units, row.ordered_units,
            row.reported_units, row.verified_units, row.paid_units, row.ordered_krw,
            row.verified_krw, row.paid_krw)  # fmt: skip


def xlsx(rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "안전사업 이행 현황"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(cells(row))
        if row.market is None:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for line in sheet.iter_rows(min_row=2, min_col=3, max_col=len(HEADER)):
        for cell in line:
            cell.number_format = "#,##0"
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@blp.route("")
@blp.arguments(CoverageQuery, location="query")
@blp.response(200, CoverageRowSchema(many=True))
@blp.doc(responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}})
@roles("staff")
def coverage(query):
    """사업·시장별 목표와 발주·완료 보고·검수·지급 (format=xlsx 로 내려받기)"""
    rows = use_case.report(current_app.extensions["runtime"], query.get("job"))
    if query["format"] == "xlsx":
        return Response(xlsx(rows), mimetype=XLSX,
                        headers={"Content-Disposition": "attachment; filename=coverage.xlsx"})  # fmt: skip
    return [asdict(r) for r in rows]
