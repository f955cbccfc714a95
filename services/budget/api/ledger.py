"""Balances, 전용·추경 requests and approvals, and the ledger's tamper check."""

from __future__ import annotations

from flask import current_app, g
from flask_smorest import Blueprint

from services.common.auth import roles
from services.common.paging import MAX_PAGE_SIZE, PAGE_SIZE

from ..service_layer import ledger, listings, transfers
from .errors import as_problems
from .ledger_schemas import (
    AccountSchema,
    TransferQuerySchema,
    TransferRequestSchema,
    TransferSchema,
    VerifyQuerySchema,
    VerifySchema,
)
from .schemas import FiscalYearQuerySchema

blp = Blueprint(
    "ledger",
    __name__,
    url_prefix="/budget/api/v1",
    description="재원별 잔액, 전용·이용·추경(요청자 외 승인), 원장 위·변조 검사",
)


def _runtime():
    return current_app.extensions["runtime"]


@blp.route("/accounts")
@blp.arguments(FiscalYearQuerySchema, location="query")
@blp.response(200, AccountSchema(many=True))
@roles("staff", "finance")
def list_accounts(query):
    """사업·재원별 예산액·지출원인행위액·지출액"""
    return ledger.balances(_runtime(), query["fiscal_year"])


@blp.route("/transfers", methods=["POST"])
@blp.arguments(TransferRequestSchema)
@blp.response(201, TransferSchema)
@roles("finance")
def request_transfer(data):
    """전용·이용 또는 추경 요청 (다른 사람이 승인해야 반영)"""
    with as_problems():
        return transfers.request(
            _runtime(), data["kind"], data["from_account_id"], data["to_account_id"],
            data["amount_krw"], data["reason"], g.principal.name, data["decision_ref"],
        )  # fmt: skip


@blp.route("/transfers")
@blp.arguments(TransferQuerySchema, location="query")
@blp.response(200, TransferSchema(many=True))
@blp.paginate(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
@roles("finance", "staff")
def list_transfers(query, pagination_parameters):
    """전용·추경 요청 목록, 최근 요청부터 (쪽 정보는 X-Pagination 헤더)"""
    page = listings.transfers_page(
        _runtime(), query["status"], query["fiscal_year"],
        pagination_parameters.page, pagination_parameters.page_size,
    )  # fmt: skip
    pagination_parameters.item_count = page.total
    return page.items


@blp.route("/transfers/<transfer_id>/approval", methods=["POST"])
@blp.response(200, TransferSchema)
@roles("finance")
def approve_transfer(transfer_id):
    """승인 (요청자 본인은 불가): 원장에 반영"""
    with as_problems():
        return transfers.decide(_runtime(), transfer_id, g.principal.name, approve=True)


@blp.route("/transfers/<transfer_id>/rejection", methods=["POST"])
@blp.response(200, TransferSchema)
@roles("finance")
def reject_transfer(transfer_id):
    """반려 (요청자 본인은 불가)"""
    with as_problems():
        return transfers.decide(_runtime(), transfer_id, g.principal.name, approve=False)


@blp.route("/ledger/verify")
@blp.arguments(VerifyQuerySchema, location="query")
@blp.response(200, VerifySchema)
@roles("finance")
def verify_ledger(query):
    """원장 해시 체인 검사: 수정·삭제된 항목을 찾습니다"""
    checked, findings = ledger.verify(_runtime(), query["fiscal_year"])
    return {"ok": not findings, "checked": checked, "findings": findings}
