"""Budget's reactions to applicants' events, and the 집행률 lag alert.

Handlers run inside the inbox transaction (one effect per envelope); the commitment's
idempotency key is the envelope id.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import structlog
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.common.envelope import Envelope, load_payload
from services.common.outbox import emit, prepare
from services.common.tables import utcnow

from ..adapters import ledger_repo as repo
from ..adapters.orm import common, fiscal_years, pending_commitments, program_mappings
from ..contracts import ParticipantSelectedV1, ParticipantWithdrawnV1
from ..domain.commands import CommitFunds, ReleaseCommitment
from ..domain.report import lagging
from . import reports, years
from .postings import commit_in, release_in

log = structlog.get_logger(__name__)
EVENT_USER = "applicants(이벤트)"


class Outbox:
    """What the use cases need of a runtime inside a handler: ``emit``."""

    def emit(self, session: Session, event_type: str, payload: dict):
        return emit(session, common, "budget", event_type, payload)

    def prepare(self, session: Session, event_type: str, payload: dict):
        return prepare(session, common, "budget", event_type, payload)


OUTBOX = Outbox()


def _mapping(session: Session, year: int, code: str):
    return session.execute(
        select(program_mappings).where(
            program_mappings.c.fiscal_year == year, program_mappings.c.program_code == code
        )
    ).first()


def _missing(session: Session, year: int, code: str) -> str:
    status = session.scalar(select(fiscal_years.c.status).where(fiscal_years.c.year == year))
    if status is None:
        return f"{year}회계연도 예산이 아직 열리지 않았습니다."
    return f"{year}회계연도 사업 코드 {code}에 연결된 세부사업이 없습니다."


def commit_wages(session: Session, envelope: Envelope) -> None:
    p = load_payload(ParticipantSelectedV1(), envelope)
    m = _mapping(session, p["fiscal_year"], p["program_code"])
    if m is None:  # kept, listed for finance, applied once the year or link exists
        reason = _missing(session, p["fiscal_year"], p["program_code"])
        if years.park(session, envelope, p, reason):
            OUTBOX.emit(session, "budget.commitment_refused", {
                "code": "link_missing", "idempotency_key": envelope.id,
                "fiscal_year": p["fiscal_year"], "sub_program_id": None,
                "requested_krw": p["wage_commitment_krw"], "available_krw": 0,
                "shortfall_krw": p["wage_commitment_krw"], "reason": reason,
                "reference": f"{envelope.type}:{p['application_id']}",
                "application_id": p["application_id"], "program_code": p["program_code"],
                "waiting": True,
            })  # fmt: skip
        log.warning("budget.wages_waiting", application_id=p["application_id"], reason=reason)
        return
    _commit(session, envelope, p, m)


def _commit(session: Session, envelope: Envelope, p: dict, m) -> tuple[int, dict]:
    cmd = CommitFunds(
            program_id=m.sub_program_id,
            amount_krw=p["wage_commitment_krw"],
            user=EVENT_USER,
            idempotency_key=envelope.id,
            reference=f"{envelope.type}:{p['application_id']}",
            application_id=p["application_id"],
            ratio=dict(m.ratio_pct),
            extra={"application_id": p["application_id"], "program_code": p["program_code"],
                   "mapping_version": m.version},
        )  # fmt: skip
    status, body = commit_in(session, OUTBOX, cmd)
    log.info("budget.wages", status=status, application_id=p["application_id"])
    return status, body


def apply_waiting(session: Session, year: int, code: str) -> int:
    """Apply the commitments (wages, work orders) that waited for (year, code), oldest
    first, once each: the row moves out of ``waiting`` in the same transaction as the
    commitment."""
    m = _mapping(session, year, code)
    if m is None:
        return 0
    w = pending_commitments.c
    rows = session.execute(
        select(pending_commitments)
        .where(w.status == "waiting", w.fiscal_year == year, w.program_code == code)
        .order_by(w.created_at)
        .with_for_update()
    ).all()
    from .work_orders import ISSUED, commit_with  # (it imports this module)

    for row in rows:
        envelope = Envelope.from_dict(row.envelope)
        if envelope.type == ISSUED:  # a work order's request (markets)
            status, body = commit_with(session, envelope, m)
        else:
            p = load_payload(ParticipantSelectedV1(), envelope)
            status, body = _commit(session, envelope, p, m)
        session.execute(update(pending_commitments).where(w.message_id == row.message_id).values(
            status="applied" if status == 201 else "refused", resolved_at=utcnow(),
            commitment_id=body.get("commitment_id"),
            reason=row.reason if status == 201 else body.get("reason", row.reason),
        ))  # fmt: skip
    return len(rows)


def release_wages(session: Session, envelope: Envelope) -> None:
    p = load_payload(ParticipantWithdrawnV1(), envelope)
    w = pending_commitments.c
    session.execute(  # a wage that never got its commitment: nothing to release later
        update(pending_commitments)
        .where(w.application_id == p["application_id"], w.status == "waiting")
        .values(status="cancelled", resolved_at=utcnow())
    )
    ids = repo.open_commitments_of_application(session, p["fiscal_year"], p["application_id"])
    reason = f"참여자 포기: {p['reason'] or '사유 없음'}"
    for commitment_id in ids:
        release_in(session, OUTBOX, ReleaseCommitment(commitment_id, EVENT_USER, reason))
    log.info("budget.wages_released", commitments=len(ids))


def check_execution_lag(runtime, year: int, as_of: date, expected_pct: Decimal) -> list:
    """Emit ``budget.execution_lagging`` for each 단위사업 below ``expected_pct``."""
    rows, _total = reports.execution(runtime, year, as_of, "unit_program")
    late = lagging(rows, expected_pct)
    if late:
        with runtime.db.transaction() as session:
            for r in late:
                runtime.emit(session, "budget.execution_lagging", {
                    "fiscal_year": year, "as_of": as_of.isoformat(), "unit_program": r.label,
                    "unit_program_id": r.key, "rate_pct": r.rate_pct,
                    "expected_pct": str(expected_pct), "recipients_role": "finance",
                })  # fmt: skip
    return late
