"""원장 검사 in a page: the hash chains verified, the findings listed (or 이상 없음)."""

from __future__ import annotations

from flask import render_template, request

from services.common.auth import roles

from ..service_layer import ledger, listings
from .web import optional_year, pages, runtime


@pages.get("/budget/ledger/check")
@roles("finance")
def check_ledger():
    """Every balance's chain (of a year, or all years) against its head. Reading only."""
    year = optional_year(request.args.get("year"))
    checked, findings = ledger.verify(runtime(), year)
    labels = listings.account_labels(runtime(), [f.account_id for f in findings])
    return render_template("budget/ledger_check.html", year=year, checked=checked,
                           findings=findings, labels=labels)  # fmt: skip
