"""HTTP entry points for 지출원인행위 and 지출 (finance role, Idempotency-Key required)."""

from __future__ import annotations

from flask import current_app, g, request
from flask_smorest import Blueprint

from services.common.auth import roles
from services.common.problems import Problem

from ..domain.commands import CommitFunds, PostExpenditure, ReleaseCommitment, ReverseDocument
from ..service_layer import ledger, postings
from ..service_layer.idempotency import run_once
from .errors import as_problems
from .ledger_schemas import (
    CommitmentDetailSchema,
    CommitmentRequestSchema,
    CommitmentSchema,
    ExpenditureRequestSchema,
    ExpenditureSchema,
    ReasonSchema,
    ReleaseSchema,
    ReversalSchema,
)

blp = Blueprint(
    "postings",
    __name__,
    url_prefix="/budget/api/v1",
    description="지출원인행위·지출·해제·정정(역분개). POST에는 Idempotency-Key 헤더가 필요합니다.",
)


# Documented so clients (and the contract fuzzer) send it; a missing or blank key is a 428.
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": True,
    "description": "요청마다 새로 만든 키 (1~200자). 같은 키로 다시 보내면 처음 응답을 그대로 돌려줍니다.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"},
}


def _runtime():
    return current_app.extensions["runtime"]


def _key() -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 200:
        raise Problem(428, "Idempotency-Key 헤더(1~200자)를 보내 주세요.", title="키가 필요합니다")
    return key


def _answer(status: int, body: dict, replayed: bool):
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    if status != 201:
        extra = {k: v for k, v in body.items() if k != "reason"}
        raise Problem(status, body["reason"], **extra)
    return body, status, headers


@blp.route("/commitments", methods=["POST"])
@blp.arguments(CommitmentRequestSchema)
@blp.response(201, CommitmentSchema)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
@roles("finance")
def post_commitment(data):
    """지출원인행위 등록 (재무). 예산 잔액을 넘으면 409."""
    key, user = _key(), g.principal.name
    cmd = CommitFunds(
        program_id=data["program_id"],
        amount_krw=data["amount_krw"],
        user=user,
        idempotency_key=key,
        reference=data["reference"],
        application_id=data["application_id"],
        split=data["split"],
    )
    with as_problems():
        answer = run_once(
            _runtime(), "commitments", key, data,
            lambda session: postings.commit_in(session, _runtime(), cmd),
        )  # fmt: skip
    return _answer(*answer)


@blp.route("/commitments/<commitment_id>")
@blp.response(200, CommitmentDetailSchema)
@roles("finance", "staff")
def get_commitment(commitment_id):
    """지출원인행위 조회 (재원별 미지급 잔액 포함)"""
    with as_problems():
        return ledger.commitment(_runtime(), commitment_id)


@blp.route("/commitments/<commitment_id>/release", methods=["POST"])
@blp.arguments(ReasonSchema)
@blp.response(201, ReleaseSchema)
@roles("finance")
def release_commitment(data, commitment_id):
    """미집행 지출원인행위 해제 (재무)"""
    cmd = ReleaseCommitment(commitment_id, g.principal.name, data["reason"])
    with as_problems(), _runtime().db.transaction() as session:
        return postings.release_in(session, _runtime(), cmd)


@blp.route("/expenditures", methods=["POST"])
@blp.arguments(ExpenditureRequestSchema)
@blp.response(201, ExpenditureSchema)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
@roles("finance")
def post_expenditure(data):
    """지출 등록 (재무). 지출원인행위를 한 사람은 승인할 수 없습니다."""
    key = _key()
    cmd = PostExpenditure(
        data["commitment_id"], data["amount_krw"], g.principal.name, key, data["reference"]
    )
    with as_problems():
        answer = run_once(
            _runtime(), "expenditures", key, data,
            lambda session: postings.spend_in(session, _runtime(), cmd),
        )  # fmt: skip
    return _answer(*answer)


@blp.route("/documents/<document_id>/reversal", methods=["POST"])
@blp.arguments(ReasonSchema)
@blp.response(201, ReversalSchema)
@roles("finance")
def reverse_document(data, document_id):
    """전표 정정: 역분개 (사유·작성자·시각 기록)"""
    cmd = ReverseDocument(document_id, g.principal.name, data["reason"])
    with as_problems(), _runtime().db.transaction() as session:
        return postings.reverse_in(session, _runtime(), cmd)
