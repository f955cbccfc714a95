"""전용·이용 (transfers) and 추경 (amendments): requested by one person, applied only
when another approves (the approval and the postings are one transaction)."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update

from services.common.tables import utcnow

from ..adapters import ledger_repo as repo
from ..adapters.orm import accounts, transfers
from ..domain.commands import Conflict, Forbidden, NotFound
from ..domain.ledger import Delta
from ..domain.model import DomainError
from .postings import today


def request(runtime, kind: str, from_id: str | None, to_id: str, amount: int, reason: str,
            user: str, decision_ref: str | None = None) -> dict:  # fmt: skip
    with runtime.db.transaction() as session:
        return request_in(session, kind, from_id, to_id, amount, reason, user, decision_ref)


def request_in(session, kind: str, from_id: str | None, to_id: str, amount: int, reason: str,
               user: str, decision_ref: str | None = None) -> dict:  # fmt: skip
    """The request, inside the caller's transaction (a page's idempotent one)."""
    if kind not in ("transfer", "amendment"):
        raise DomainError("종류는 transfer(전용·이용) 또는 amendment(추경)입니다.")
    if not reason.strip():
        raise DomainError("사유를 입력해 주세요.")
    if kind == "transfer" and (amount <= 0 or not from_id or from_id == to_id):
        raise DomainError("전용·이용은 서로 다른 두 과목 사이에 1원 이상이어야 합니다.")
    if kind == "amendment" and (amount == 0 or from_id):
        raise DomainError("추경은 한 과목의 증감액(0이 아닌 금액)만 지정합니다.")
    ids = [i for i in (from_id, to_id) if i]
    found = session.execute(select(accounts.c.id, accounts.c.fiscal_year).where(
        accounts.c.id.in_(ids))).all()  # fmt: skip
    if len(found) != len(ids):
        raise NotFound("예산 과목(재원별 잔액)을 찾을 수 없습니다.")
    years = {r.fiscal_year for r in found}
    if len(years) != 1:
        raise DomainError("서로 다른 회계연도 사이에는 전용할 수 없습니다.")
    row = {
        "id": str(uuid.uuid4()), "fiscal_year": years.pop(), "kind": kind,
        "from_account_id": from_id, "to_account_id": to_id, "amount_krw": amount,
        "reason": reason, "decision_ref": decision_ref, "status": "pending",
        "requested_by": user,
        "requested_at": utcnow(),
    }  # fmt: skip
    session.execute(transfers.insert().values(**row))
    return row


def _get(session, transfer_id: str):
    row = session.execute(select(transfers).where(transfers.c.id == transfer_id)).first()
    if row is None:
        raise NotFound("전용·추경 요청을 찾을 수 없습니다.")
    return row


def decide(runtime, transfer_id: str, user: str, approve: bool) -> dict:
    with runtime.db.transaction() as session:
        return decide_in(session, transfer_id, user, approve)


def decide_in(session, transfer_id: str, user: str, approve: bool) -> dict:
    """Approve (and post) or reject, inside the caller's transaction."""
    t = transfers.c
    done = session.execute(
        update(transfers)
        .where(t.id == transfer_id, t.status == "pending", t.requested_by != user)
        .values(status="approved" if approve else "rejected", decided_by=user,
                decided_at=utcnow())
    )  # fmt: skip
    row = _get(session, transfer_id)
    if done.rowcount != 1:
        if row.status != "pending":
            raise Conflict("이미 결정된 요청입니다.")
        raise Forbidden("요청한 사람은 스스로 승인·반려할 수 없습니다.")
    if approve:
        doc = repo.add_document(
            session, fiscal_year=row.fiscal_year, kind=row.kind,
            amount_krw=row.amount_krw, business_date=today(), created_by=user,
            reason=row.reason, reference=f"transfer:{row.id}",
        )  # fmt: skip
        if row.kind == "transfer":
            lines = [
                repo.Line(row.from_account_id, "transfer_out",
                          Delta(appropriated=-row.amount_krw)),
                repo.Line(row.to_account_id, "transfer_in",
                          Delta(appropriated=row.amount_krw)),
            ]  # fmt: skip
        else:
            lines = [repo.Line(row.to_account_id, "amendment", Delta(appropriated=row.amount_krw))]
        repo.post(session, doc, lines, today(), user, utcnow(), row.reason)
        session.execute(update(transfers).where(t.id == row.id).values(document_id=doc))
    return dict(_get(session, transfer_id)._mapping)
