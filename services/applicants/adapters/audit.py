"""The audit trail: who changed what, when, and the state before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.db import insert_of
from services.common.tables import utcnow

from .orm import audit_log


def record(session: Session, *args: Any) -> None:
    """Write one audit record now: (entity, entity_id, action, actor, before, after)."""
    session.execute(*prepared(*args))


def prepared(
    entity: str,
    entity_id: str,
    action: str,
    actor: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
):
    """(INSERT, parameters) of one audit record, every value given, to run now
    (``record``) or with the caller's other writes (``db.execute_all``)."""
    values = {"entity": entity, "entity_id": entity_id, "action": action, "actor": actor,
              "at": utcnow(), "before": before, "after": after}  # fmt: skip
    return _INSERT, {f"au_{k}": v for k, v in values.items()}


_INSERT = insert_of(
    audit_log, "au", ("entity", "entity_id", "action", "actor", "at", "before", "after")
)


def trail(session: Session, entity: str, entity_id: str) -> list[dict]:
    rows = session.execute(
        select(audit_log)
        .where(audit_log.c.entity == entity, audit_log.c.entity_id == entity_id)
        .order_by(audit_log.c.id)
    )
    return [dict(r._mapping) for r in rows]
