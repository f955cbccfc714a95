"""Provider receipts move a sent delivery to delivered or failed."""

from __future__ import annotations

import structlog

from ..adapters import repository as repo
from ..domain.model import DELIVERED, FAILED, SENT
from .dispatch import fail
from .events import emit_outcome
from .notifier import Notifier

log = structlog.get_logger(__name__)


class UnknownReceipt(LookupError):
    pass


def apply_receipt(
    notifier: Notifier, provider_message_id: str, status: str, reason: str | None = None
) -> str:
    """Record a receipt once; returns the delivery's status afterwards."""
    db = notifier.runtime.db
    with db.read() as session:
        row = repo.by_provider_id(session, provider_message_id)
    if row is None:
        raise UnknownReceipt(provider_message_id)
    if row["status"] != SENT or status not in (DELIVERED, FAILED):
        return row["status"]  # already final, or still pending: nothing to record
    if status == FAILED:
        fail(notifier, row, reason or "provider reported failure", current=SENT)
        return FAILED
    with db.transaction() as session:
        if repo.move(session, row["id"], SENT, DELIVERED):
            emit_outcome(notifier.runtime, session, row, DELIVERED, None)
    return DELIVERED


def poll(notifier: Notifier) -> int:
    """Ask NHN SMS for the result of each sent SMS/LMS; returns how many became final."""
    provider = notifier.providers.get("sms")
    if provider is None or not hasattr(provider, "receipt"):
        return 0
    with notifier.runtime.db.read() as session:
        rows = repo.sent_with(session, ("nhn-sms-sms", "nhn-sms-lms"))
    final = 0
    for row in rows:
        try:
            kind = row["provider"].rsplit("-", 1)[-1]
            receipt = provider.receipt(row["provider_message_id"], kind)
        except Exception as exc:  # one bad answer must not stop the others
            log.warning("receipt.poll_failed", delivery_id=row["id"], error=repr(exc))
            continue
        if receipt.status in (DELIVERED, FAILED):
            apply_receipt(notifier, row["provider_message_id"], receipt.status, receipt.reason)
            final += 1
    return final
