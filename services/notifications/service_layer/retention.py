"""Notifications' retention step: old finished deliveries keep their status, not their text.

A delivery that reached a final state (sent, delivered, failed) before the retention cutoff
loses its rendered body and the encrypted address; its masked address, keyed hash, status
and timestamps stay for the delivery log and for audits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.common.retention import BATCH

from ..adapters.orm import UNBLANKED, deliveries

FINAL = ("sent", "delivered", "failed")


def blank_old_bodies(session: Session, cutoff: datetime) -> int:
    old = (
        select(deliveries.c.id)
        .where(
            deliveries.c.created_at < cutoff,
            deliveries.c.status.in_(FINAL),
            UNBLANKED,
        )
        .limit(BATCH)
    )
    ids = session.scalars(old).all()
    if not ids:
        return 0
    session.execute(
        update(deliveries)
        .where(deliveries.c.id.in_(ids))
        .values(body="", fallback_body=None, recipient_enc=None)
    )
    return len(ids)
