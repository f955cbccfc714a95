"""The audit trail: who changed what, when, and the state before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .orm import audit_log


def record(
    session: Session,
    entity: str,
    entity_id: str,
    action: str,
    actor: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    values = {"entity": entity, "entity_id": entity_id, "action": action, "actor": actor,
              "before": before, "after": after}  # fmt: skip
    session.execute(audit_log.insert(), values)  # one cached statement, values bound


def trail(session: Session, entity: str, entity_id: str) -> list[dict]:
    rows = session.execute(
        select(audit_log)
        .where(audit_log.c.entity == entity, audit_log.c.entity_id == entity_id)
        .order_by(audit_log.c.id)
    )
    return [dict(r._mapping) for r in rows]
