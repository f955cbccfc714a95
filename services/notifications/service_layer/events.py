"""Events notifications publishes through its outbox (see docs/events.md)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..domain.model import DELIVERED


def emit_outcome(runtime, session: Session, row: dict, status: str, reason: str | None) -> None:
    kind = "message_delivered" if status == DELIVERED else "message_failed"
    runtime.emit(
        session,
        f"notifications.{kind}",
        {
            "delivery_id": row["id"],
            "message_id": row["message_id"],
            "channel": row["channel"],
            "status": status,
            "reason": reason,
        },
    )
