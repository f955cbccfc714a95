"""Acknowledgement through a signed link: recorded once, then announced."""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired

from services.common.tables import utcnow

from ..adapters import repository as repo
from .notifier import Notifier


class BadAckToken(ValueError):
    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True)
class Ack:
    delivery_id: str
    first: bool  # False when this delivery had been acknowledged before
    acknowledged_at: object
    event_type: str


def acknowledge(notifier: Notifier, token: str) -> Ack:
    try:
        data = notifier.acks.loads(token, max_age=notifier.settings.ack_max_age)
    except SignatureExpired as exc:
        raise BadAckToken(expired=True) from exc
    except BadSignature as exc:
        raise BadAckToken(expired=False) from exc
    delivery_id = str(data.get("d", "")) if isinstance(data, dict) else ""
    now = utcnow()
    runtime = notifier.runtime
    with runtime.db.transaction() as session:
        row = repo.get(session, delivery_id)
        if row is None:
            raise BadAckToken(expired=False)
        first = repo.acknowledge(session, delivery_id, now)
        if first:
            runtime.emit(
                session,
                "notifications.notification_acknowledged",
                {
                    "delivery_id": delivery_id,
                    "message_id": row["message_id"],
                    "acknowledged_at": now.isoformat(),
                    "by": row["recipient_masked"] or row["recipient"],
                },
            )
    at = now if first else row["acknowledged_at"]
    return Ack(delivery_id, first, at, row["event_type"])
