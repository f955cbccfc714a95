"""Use cases of the ledger: commit, pay, release, reverse. One transaction each.

The ``*_in`` functions work inside a caller's transaction (the API's idempotent
transaction, or the inbox transaction of an event) and answer (status, body). A refusal
for lack of funds is an answer, not an error: the posting is undone to a savepoint, the
refusal is recorded (idempotency key, ``budget.commitment_refused``) and committed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.common.db import execute_all
from services.common.tables import utcnow

from ..adapters import ledger_repo as repo
from ..adapters.orm import commitments, documents
from ..adapters.orm import common as tables
from ..domain.book import plan_commitment, plan_payment, plan_release
from ..domain.commands import (
    CommitFunds,
    Conflict,
    Forbidden,
    NotFound,
    PostExpenditure,
    ReleaseCommitment,
    ReverseDocument,
)
from ..domain.ledger import Delta, InsufficientFunds
from ..domain.model import DomainError
from .idempotency import forget, remember

SEOUL = ZoneInfo("Asia/Seoul")


def today():
    return datetime.now(SEOUL).date()


def _plan(cmd: CommitFunds, accts: dict[str, dict]) -> dict[str, int]:
    if cmd.split is not None:
        unknown = set(cmd.split) - set(accts)
        if unknown:
            raise DomainError(f"이 사업에 없는 재원입니다: {', '.join(sorted(unknown))}")
        if sum(cmd.split.values()) != cmd.amount_krw or min(cmd.split.values()) < 0:
            raise DomainError("재원별 금액의 합이 요청 금액과 같아야 합니다.")
        return {s: a for s, a in cmd.split.items() if a}
    weights = cmd.ratio or {s: a["appropriated_krw"] for s, a in accts.items()}
    unknown = set(weights) - set(accts)
    if unknown:
        raise DomainError(f"이 사업에 없는 재원입니다: {', '.join(sorted(unknown))}")
    return plan_commitment(cmd.amount_krw, weights)


def commit_in(session: Session, runtime, cmd: CommitFunds) -> tuple[int, dict]:
    if cmd.amount_krw <= 0:
        raise DomainError("지출원인행위 금액은 1원 이상이어야 합니다.")
    accts, title = repo.program_accounts_titled(session, cmd.program_id)
    if not accts:
        raise NotFound("해당 사업의 예산 과목을 찾을 수 없습니다.")
    plan = _plan(cmd, accts)
    year = next(iter(accts.values()))["fiscal_year"]
    common = {
        "idempotency_key": cmd.idempotency_key,
        "fiscal_year": year,
        "sub_program_id": cmd.program_id,
        "reference": cmd.reference,
    }
    # Everything but the balance lines is written first, as if they will succeed (the
    # idempotent answer, document, commitment, event), with the lines (one statement on
    # PostgreSQL: see repo.post). A refusal writes no line; it takes back those first
    # rows and records the refusal.
    published = len(session.info.get("outbox", ()))
    doc_id = str(uuid.uuid4())
    writes = [
        repo.document_insert(
            id=doc_id,
            fiscal_year=year,
            kind="commitment",
            program_id=cmd.program_id,
            amount_krw=cmd.amount_krw,
            idempotency_key=f"commitment:{cmd.idempotency_key}",
            reference=cmd.reference,
            application_id=cmd.application_id,
            business_date=today(),
            created_by=cmd.user,
        ),
        repo.commitment_insert(id=doc_id, program_id=cmd.program_id, amount_krw=cmd.amount_krw),
    ]
    body = {
        **common,
        "commitment_id": doc_id,
        "sub_program_title": title,
        "amount_krw": cmd.amount_krw,
        "split": plan,
    }
    answer = {**body, "application_id": cmd.application_id, "created_by": cmd.user}
    event, event_row = runtime.prepare(session, "budget.funds_committed", {**body, **cmd.extra})
    writes.append(event_row)
    answered = remember(session, 201, answer)  # first: a repeated key fails here
    lines = [
        repo.Line(accts[s]["id"], "commitment", Delta(committed=a), commitment_id=doc_id)
        for s, a in plan.items()
    ]
    try:
        repo.post(session, doc_id, lines, today(), cmd.user, utcnow(),
                  before=[*([answered] if answered else []), *writes])  # fmt: skip
    except InsufficientFunds:
        outbox = tables.outbox  # budget's own
        execute_all(session, [
            delete(outbox).where(outbox.c.id == event.id),
            delete(commitments).where(commitments.c.id == doc_id),
            delete(documents).where(documents.c.id == doc_id),
            *([forget(session)] if answered else []),
        ])  # fmt: skip
        del session.info.setdefault("outbox", [])[published:]  # taken back: not published
        now = repo.program_accounts(session, cmd.program_id)
        short = sum(
            max(0, a - (now[s]["appropriated_krw"] - now[s]["committed_krw"]))
            for s, a in plan.items()
        )
        body = {
            **common,
            "requested_krw": cmd.amount_krw,
            "available_krw": cmd.amount_krw - short,
            "shortfall_krw": short,
            "reason": f"예산 잔액이 부족합니다 (부족액 {short:,}원).",
        }
        runtime.emit(session, "budget.commitment_refused", {**body, **cmd.extra})
        return 409, {"code": "insufficient_funds", **body}
    return 201, answer


def _locked_commitment(session: Session, commitment_id: str):
    session.execute(
        select(commitments.c.id).where(commitments.c.id == commitment_id).with_for_update()
    )
    found = repo.commitment(session, commitment_id)
    if found is None:
        raise NotFound("지출원인행위를 찾을 수 없습니다.")
    return found


def spend_in(session: Session, runtime, cmd: PostExpenditure) -> tuple[int, dict]:
    if cmd.amount_krw <= 0:
        raise DomainError("지출액은 1원 이상이어야 합니다.")
    c = _locked_commitment(session, cmd.commitment_id)
    if c.created_by == cmd.user:
        raise Forbidden("지출원인행위를 한 사람은 그 지출을 승인할 수 없습니다.")
    left = c.amount_krw - c.spent_krw - c.released_krw - c.reversed_krw
    if cmd.amount_krw > left or not repo.lock_commitment(session, c.id, spend=cmd.amount_krw):
        body = {
            "code": "insufficient_commitment",
            "commitment_id": c.id,
            "requested_krw": cmd.amount_krw,
            "available_krw": left,
            "shortfall_krw": cmd.amount_krw - left,
            "reason": f"지출원인행위 잔액이 부족합니다 (잔액 {left:,}원).",
        }
        return 409, body
    outstanding = repo.outstanding_by_source(session, c.id)
    plan = plan_payment(cmd.amount_krw, {s: v[1] for s, v in outstanding.items()}, cmd.weights)
    doc_id = repo.add_document(
        session,
        fiscal_year=c.fiscal_year,
        kind="expenditure",
        program_id=c.program_id,
        amount_krw=cmd.amount_krw,
        commitment_id=c.id,
        idempotency_key=f"expenditure:{cmd.idempotency_key}",
        reference=cmd.reference,
        business_date=today(),
        created_by=cmd.user,
    )
    lines = [
        repo.Line(outstanding[s][0], "expenditure", Delta(spent=a), commitment_id=c.id)
        for s, a in plan.items()
    ]
    repo.post(session, doc_id, lines, today(), cmd.user, utcnow())
    body = {
        "expenditure_id": doc_id,
        "commitment_id": c.id,
        "amount_krw": cmd.amount_krw,
        "split": plan,
        "reference": cmd.reference,
    }
    runtime.emit(session, "budget.expenditure_posted", body)
    return 201, {**body, "idempotency_key": cmd.idempotency_key, "created_by": cmd.user}


def release_in(session: Session, runtime, cmd: ReleaseCommitment) -> dict:
    c = _locked_commitment(session, cmd.commitment_id)
    left = c.amount_krw - c.spent_krw - c.released_krw - c.reversed_krw
    if left <= 0:
        raise Conflict("해제할 지출원인행위 잔액이 없습니다.")
    if cmd.expected_krw is not None and cmd.expected_krw != left:
        raise Conflict(f"그사이 미지급 잔액이 {left:,}원으로 바뀌었습니다. 다시 확인해 주세요.")
    outstanding = repo.outstanding_by_source(session, c.id)
    plan = plan_release({s: v[1] for s, v in outstanding.items()})
    if not repo.lock_commitment(session, c.id, release=left):
        raise Conflict("지출원인행위가 동시에 변경되었습니다. 다시 시도해 주세요.")
    doc_id = repo.add_document(
        session,
        fiscal_year=c.fiscal_year,
        kind="release",
        program_id=c.program_id,
        amount_krw=left,
        commitment_id=c.id,
        business_date=today(),
        created_by=cmd.user,
        reason=cmd.reason,
    )
    lines = [
        repo.Line(outstanding[s][0], "release", Delta(committed=-a), commitment_id=c.id)
        for s, a in plan.items()
    ]
    repo.post(session, doc_id, lines, today(), cmd.user, utcnow(), cmd.reason)
    return {"release_id": doc_id, "commitment_id": c.id, "amount_krw": left, "split": plan}


def reverse_in(session: Session, runtime, cmd: ReverseDocument) -> dict:
    if not cmd.reason.strip():
        raise DomainError("정정 사유를 입력해 주세요.")
    doc = repo.document(session, cmd.document_id)
    if doc is None:
        raise NotFound("전표를 찾을 수 없습니다.")
    if doc.kind not in ("commitment", "expenditure", "release"):
        raise Conflict("지출원인행위·지출·해제 전표만 정정(역분개)할 수 있습니다.")
    d = documents.c
    if session.scalar(select(d.id).where(d.reverses_document_id == doc.id)) is not None:
        raise Conflict("이미 정정(역분개)된 전표입니다.")
    commitment_id = doc.id if doc.kind == "commitment" else doc.commitment_id
    _locked_commitment(session, commitment_id)
    change = {
        "commitment": {"reverse": doc.amount_krw},
        "expenditure": {"spend": -doc.amount_krw},
        "release": {"release": -doc.amount_krw},
    }[doc.kind]
    if not repo.lock_commitment(session, commitment_id, **change):
        raise Conflict("지출 또는 해제가 있는 지출원인행위는 정정할 수 없습니다.")
    entries = repo.entries_of(session, doc.id)
    rev_id = repo.add_document(
        session,
        fiscal_year=doc.fiscal_year,
        kind="reversal",
        program_id=doc.program_id,
        amount_krw=doc.amount_krw,
        commitment_id=commitment_id,
        reverses_document_id=doc.id,
        business_date=today(),
        created_by=cmd.user,
        reason=cmd.reason,
    )
    lines = [
        repo.Line(
            e.account_id,
            "reversal",
            Delta(e.d_appropriated, e.d_committed, e.d_spent).negated(),
            commitment_id=e.commitment_id,
            reverses_entry_id=e.id,
            correction=True,  # allowed after the year is closed
        )
        for e in entries
    ]
    repo.post(session, rev_id, lines, today(), cmd.user, utcnow(), cmd.reason)
    return {
        "reversal_id": rev_id,
        "reverses_document_id": doc.id,
        "kind": doc.kind,
        "amount_krw": doc.amount_krw,
        "reason": cmd.reason,
        "created_by": cmd.user,
    }
