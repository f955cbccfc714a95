"""Budget's side of markets' work orders (발주): commit when one is issued, pay its verified
units, release what it holds when it is cancelled.

Handlers run in the inbox transaction (one effect per envelope). The commitment reuses the
wages' path: the job's code is a program code linked, per fiscal year, to a 세부사업 and its
재원비율 (``PUT /program-links/{year}/{code}``); without a link the request waits in
``pending_commitments`` (subject ``work_order:<id>``) and is applied when the link is made.
Every outcome is answered to markets (``budget.work_order_*``), a refusal included, so it
is visible on the order instead of lost.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog
from sqlalchemy import update
from sqlalchemy.orm import Session

from services.common.envelope import Envelope, load_payload
from services.common.tables import utcnow

from ..adapters import ledger_repo as repo
from ..adapters.orm import pending_commitments
from ..contracts import InstallationCompletedV1, WorkOrderCancelledV1, WorkOrderIssuedV1
from ..domain.commands import CommitFunds, PostExpenditure, ReleaseCommitment
from ..domain.model import DomainError
from . import years
from .events import OUTBOX, _mapping, _missing
from .postings import commit_in, release_in, spend_in

log = structlog.get_logger(__name__)
ISSUED = "markets.work_order_issued"
# Two system users: the one who pays is never the one who committed (spend_in's rule).
ORDERING_USER = "markets(발주 이벤트)"
PAYING_USER = "markets(검수 이벤트)"


def subject(work_order_id: str) -> str:
    """What ``pending_commitments.application_id`` holds for a work order."""
    return f"work_order:{work_order_id}"


def reference(work_order_id: str) -> str:
    """The reference of an order's commitment: how its payments find it is theirs."""
    return f"{ISSUED}:{work_order_id}"


def _guarded(session: Session, posting: Callable[[], tuple[int, dict]]) -> tuple[int, dict]:
    """A posting in a savepoint: a rule it breaks (a closed year, a source the program
    lacks) is an answer to send back, not an error to retry until it is dead-lettered."""
    published = len(session.info.get("outbox", ()))
    try:
        with session.begin_nested():
            return posting()
    except DomainError as exc:
        del session.info.setdefault("outbox", [])[published:]  # rolled back: not published
        return 422, {"code": "refused", "reason": str(exc)}


def _refused(session: Session, work_order_id: str, body: dict, waiting: bool = False) -> None:
    OUTBOX.emit(session, "budget.work_order_commitment_refused", {
        "work_order_id": work_order_id, "waiting": waiting, "code": body.get("code"),
        "reason": body.get("reason"), "requested_krw": body.get("requested_krw"),
        "available_krw": body.get("available_krw"), "shortfall_krw": body.get("shortfall_krw"),
    })  # fmt: skip


def commit_work_order(session: Session, envelope: Envelope) -> None:
    p = load_payload(WorkOrderIssuedV1(), envelope)
    order_id, year, code = p["work_order_id"], p["fiscal_year"], p["job_code"]
    m = _mapping(session, year, code)
    if m is not None:
        commit_with(session, envelope, m)
        return
    reason = _missing(session, year, code)
    parked = {"fiscal_year": year, "program_code": code, "application_id": subject(order_id),
              "wage_commitment_krw": p["amount_krw"]}  # fmt: skip
    if years.park(session, envelope, parked, reason):
        body = {"code": "link_missing", "reason": reason, "requested_krw": p["amount_krw"],
                "available_krw": 0, "shortfall_krw": p["amount_krw"]}  # fmt: skip
        OUTBOX.emit(session, "budget.commitment_refused", {
            **body, "idempotency_key": envelope.id, "fiscal_year": year, "sub_program_id": None,
            "reference": reference(order_id), "work_order_id": order_id, "program_code": code,
            "waiting": True,
        })  # fmt: skip
        _refused(session, order_id, body, waiting=True)
    log.warning("budget.work_order_waiting", work_order_id=order_id, reason=reason)


def commit_with(session: Session, envelope: Envelope, m) -> tuple[int, dict]:
    """Commit an issued order on its linked sub-program (now, or when the link is made)."""
    p = load_payload(WorkOrderIssuedV1(), envelope)
    order_id = p["work_order_id"]
    cmd = CommitFunds(
        program_id=m.sub_program_id, amount_krw=p["amount_krw"], user=ORDERING_USER,
        idempotency_key=envelope.id, reference=reference(order_id), ratio=dict(m.ratio_pct),
        extra={"work_order_id": order_id, "program_code": p["job_code"],
               "mapping_version": m.version},
    )  # fmt: skip
    status, body = _guarded(session, lambda: commit_in(session, OUTBOX, cmd))
    if status == 201:
        OUTBOX.emit(session, "budget.work_order_committed", {
            "work_order_id": order_id, "commitment_id": body["commitment_id"],
            "fiscal_year": body["fiscal_year"], "sub_program_id": body["sub_program_id"],
            "sub_program_title": body["sub_program_title"], "amount_krw": body["amount_krw"],
            "split": body["split"],
        })  # fmt: skip
    else:
        _refused(session, order_id, body)
    log.info("budget.work_order_commitment", status=status, work_order_id=order_id)
    return status, body


def _commitment_of(session: Session, work_order_id: str, commitment_id: str | None):
    if not commitment_id:
        return None
    doc = repo.document(session, commitment_id)
    if doc is None or doc.kind != "commitment" or doc.reference != reference(work_order_id):
        return None
    return repo.commitment(session, commitment_id)


def _split_of(session: Session, commitment_id: str) -> dict[str, int]:
    """The commitment's own split by source (its 재원비율), from its first lines."""
    split: dict[str, int] = {}
    for e in repo.entries_of(session, commitment_id):
        if e.kind == "commitment":
            split[e.source] = split.get(e.source, 0) + e.d_committed
    return split


def pay_installation(session: Session, envelope: Envelope) -> None:
    p = load_payload(InstallationCompletedV1(), envelope)
    order_id = p["work_order_id"]
    codes = [u["code"] for u in p["units"]]
    answer = {"work_order_id": order_id, "units": codes, "message_id": envelope.id,
              "commitment_id": p["commitment_id"], "amount_krw": p["amount_krw"]}  # fmt: skip
    c = _commitment_of(session, order_id, p["commitment_id"])
    if c is None:
        status, body = 404, {"code": "no_commitment",
                             "reason": "이 발주의 지출원인행위가 없어 지급할 수 없습니다."}  # fmt: skip
    else:
        cmd = PostExpenditure(
            commitment_id=c.id, amount_krw=p["amount_krw"], user=PAYING_USER,
            idempotency_key=envelope.id, reference=f"{envelope.type}:{order_id}",
            weights=_split_of(session, c.id),
        )  # fmt: skip
        status, body = _guarded(session, lambda: spend_in(session, OUTBOX, cmd))
    if status == 201:
        OUTBOX.emit(session, "budget.work_order_paid", {
            **answer, "expenditure_id": body["expenditure_id"], "split": body["split"]})  # fmt: skip
    else:
        OUTBOX.emit(session, "budget.work_order_payment_refused", {
            **answer, "code": body.get("code"), "reason": body.get("reason"),
            "available_krw": body.get("available_krw")})  # fmt: skip
    log.info("budget.work_order_payment", status=status, work_order_id=order_id)


def release_work_order(session: Session, envelope: Envelope) -> None:
    p = load_payload(WorkOrderCancelledV1(), envelope)
    order_id = p["work_order_id"]
    w = pending_commitments.c
    session.execute(  # a request that never got its commitment: nothing to apply later
        update(pending_commitments)
        .where(w.application_id == subject(order_id), w.status == "waiting")
        .values(status="cancelled", resolved_at=utcnow())
    )
    c = _commitment_of(session, order_id, p["commitment_id"])
    if c is None or c.amount_krw - c.spent_krw - c.released_krw - c.reversed_krw <= 0:
        return
    reason = f"발주 취소: {p['reason'] or '사유 없음'}"
    _guarded(session, lambda: (201, release_in(session, OUTBOX, ReleaseCommitment(
        c.id, ORDERING_USER, reason))))  # fmt: skip
    log.info("budget.work_order_released", work_order_id=order_id, commitment_id=c.id)
