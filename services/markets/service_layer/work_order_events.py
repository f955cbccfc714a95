"""Budget's answers about work orders, recorded on the order and audited.

A commitment or its refusal, a payment or its refusal: each is written on the order in the
inbox transaction (once per envelope), so a refusal is visible to staff, never lost. A
commitment (or a wait) that arrives for an order cancelled meanwhile is answered with the
cancellation again, so budget releases what it holds for it.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog
from sqlalchemy.orm import Session

from services.common.envelope import Envelope, load_payload
from services.common.outbox import emit
from services.common.tables import utcnow

from ..adapters import work_orders_repo as repo
from ..adapters.orm import common
from ..contracts import (
    WorkOrderCommitmentRefusedV1,
    WorkOrderCommittedV1,
    WorkOrderPaidV1,
    WorkOrderPaymentRefusedV1,
)
from ..domain import work_orders as rules
from ..domain.work_orders import WorkOrder
from .work_orders import emit_cancelled

log = structlog.get_logger(__name__)
BUDGET = "budget(이벤트)"
COMMITMENT = ("commitment_status", "commitment_id", "commitment_reason", "commitment_split")


def _emit(session: Session, event_type: str, payload: dict):
    return emit(session, common, "markets", event_type, payload)


def _update(
    session: Session, order_id: str, change: Callable[[WorkOrder], WorkOrder], action: str,
    state: Callable[[WorkOrder], dict],
) -> WorkOrder | None:  # fmt: skip
    found = repo.get(session, order_id, for_update=True)
    if found is None:
        log.warning("work_order.unknown", work_order_id=order_id, action=action)
        return None
    order = found[0]
    new = change(order)
    if new == order:
        return new
    now = utcnow()
    repo.save(session, order, new, {}, now)
    repo.audit(session, order_id, BUDGET, action, state(order), state(new), now)
    return new


def _commitment(order: WorkOrder) -> dict:
    return {k: getattr(order, k) for k in COMMITMENT}


def _after_commitment(session: Session, order: WorkOrder | None) -> None:
    if order is not None and order.status == "cancelled":
        emit_cancelled(_emit, session, order, "markets(취소된 발주)")


def on_committed(session: Session, envelope: Envelope) -> None:
    p = load_payload(WorkOrderCommittedV1(), envelope)
    order = _update(
        session, p["work_order_id"],
        lambda o: rules.record_commitment(o, "committed", p["commitment_id"], None, p["split"]),
        "commitment", _commitment,
    )  # fmt: skip
    _after_commitment(session, order)


def on_commitment_refused(session: Session, envelope: Envelope) -> None:
    p = load_payload(WorkOrderCommitmentRefusedV1(), envelope)
    status = "waiting" if p["waiting"] else "refused"
    order = _update(
        session, p["work_order_id"],
        lambda o: rules.record_commitment(o, status, None, p["reason"]),
        "commitment", _commitment,
    )  # fmt: skip
    if p["waiting"]:
        _after_commitment(session, order)


def _payments(codes: list[str]) -> Callable[[WorkOrder], dict]:
    def state(order: WorkOrder) -> dict:
        return {u.code: {"payment_status": u.payment_status, "expenditure_id": u.expenditure_id,
                         "payment_reason": u.payment_reason}
                for u in order.units if u.code in codes}  # fmt: skip

    return state


def on_paid(session: Session, envelope: Envelope) -> None:
    p = load_payload(WorkOrderPaidV1(), envelope)
    _update(
        session, p["work_order_id"],
        lambda o: rules.record_payment(o, p["units"], "paid", p["expenditure_id"], p["split"]),
        "payment", _payments(p["units"]),
    )  # fmt: skip


def on_payment_refused(session: Session, envelope: Envelope) -> None:
    p = load_payload(WorkOrderPaymentRefusedV1(), envelope)
    _update(
        session, p["work_order_id"],
        lambda o: rules.record_payment(o, p["units"], "refused", reason=p["reason"]),
        "payment", _payments(p["units"]),
    )  # fmt: skip
