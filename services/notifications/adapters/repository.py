"""Reads and writes of delivery rows; every state move is one guarded UPDATE."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session

from services.common.tables import utcnow

from ..domain.model import FAILED, QUEUED, SENT, check_move
from .orm import deliveries as t


def exists(session: Session, message_id: str, recipient: str, channel: str) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(t)
            .where(t.c.message_id == message_id, t.c.recipient == recipient, t.c.channel == channel)
        )
        > 0
    )


def insert(session: Session, row: dict[str, Any]) -> None:
    session.execute(t.insert().values(status=QUEUED, attempts=0, updated_at=utcnow(), **row))


def get(session: Session, delivery_id: str) -> dict | None:
    row = session.execute(select(t).where(t.c.id == delivery_id)).first()
    return dict(row._mapping) if row else None


def claim(
    session: Session,
    delivery_id: str,
    now: datetime,
    lease: float,
    urgent_lease: float | None = None,
) -> bool:
    """Take a due, queued delivery for one send; False if someone else has it, it is not
    due yet, or it is already done (a redelivered task then sends nothing)."""
    result = session.execute(
        update(t)
        .where(
            t.c.id == delivery_id,
            t.c.status == QUEUED,
            or_(t.c.lease_until.is_(None), t.c.lease_until < now),
            or_(t.c.not_before.is_(None), t.c.not_before <= now),
        )
        .values(
            lease_until=case(
                (t.c.urgent, now + timedelta(seconds=urgent_lease or lease)),
                else_=now + timedelta(seconds=lease),
            ),
            attempts=t.c.attempts + 1,
            updated_at=now,
        )
    )
    return result.rowcount == 1


def move(session: Session, delivery_id: str, current: str, new: str, **values: Any) -> bool:
    check_move(current, new)
    now = utcnow()
    stamp = {SENT: "sent_at", "delivered": "delivered_at", FAILED: "failed_at"}.get(new)
    if stamp:
        values.setdefault(stamp, now)
    result = session.execute(
        update(t)
        .where(t.c.id == delivery_id, t.c.status == current)
        .values(status=new, lease_until=None, updated_at=now, **values)
    )
    return result.rowcount == 1


def release(
    session: Session, delivery_id: str, reason: str | None, not_before=None, refund=False
) -> None:
    """Back to the queue after a transient failure (or, refunding the attempt, after a
    rate-limit wait); ``not_before`` is when a retry may run."""
    values: dict[str, Any] = {"lease_until": None, "not_before": not_before}
    if reason is not None:
        values["reason"] = reason
    if refund:
        values["attempts"] = t.c.attempts - 1
    session.execute(
        update(t)
        .where(t.c.id == delivery_id, t.c.status == QUEUED)
        .values(updated_at=utcnow(), **values)
    )


def due(
    session: Session,
    now: datetime,
    stale: timedelta,
    limit: int = 500,
    urgent_only: bool = False,
    urgent_stale: timedelta | None = None,
) -> list[tuple]:
    """Queued deliveries whose time has come and that no worker holds or just queued
    (not touched for ``stale``; urgent ones for ``urgent_stale`` when given)."""
    lost = t.c.updated_at < now - stale
    if urgent_stale is not None:
        lost = case((t.c.urgent, t.c.updated_at < now - urgent_stale), else_=lost)
    query = select(t.c.id, t.c.urgent).where(
        t.c.status == QUEUED,
        or_(t.c.not_before.is_(None), t.c.not_before <= now),
        or_(t.c.lease_until.is_(None), t.c.lease_until < now),
        or_(t.c.not_before.is_not(None), lost),
    )
    if urgent_only:
        query = query.where(t.c.urgent.is_(True))
    rows = session.execute(query.order_by(t.c.urgent.desc(), t.c.created_at).limit(limit))
    return [tuple(r) for r in rows]


def sent_with(session: Session, providers: tuple[str, ...], limit: int = 200) -> list[dict]:
    rows = session.execute(
        select(t.c.id, t.c.provider, t.c.provider_message_id)
        .where(t.c.status == SENT, t.c.provider.in_(providers))
        .order_by(t.c.sent_at)
        .limit(limit)
    )
    return [dict(r._mapping) for r in rows]


def by_provider_id(session: Session, provider_message_id: str) -> dict | None:
    row = session.execute(select(t).where(t.c.provider_message_id == provider_message_id)).first()
    return dict(row._mapping) if row else None


def acknowledge(session: Session, delivery_id: str, now: datetime) -> bool:
    result = session.execute(
        update(t)
        .where(t.c.id == delivery_id, t.c.acknowledged_at.is_(None))
        .values(acknowledged_at=now, updated_at=now)
    )
    return result.rowcount == 1


def search(filters: dict[str, Any]):
    """The delivery log, newest first, narrowed by ``filters``: ``recipient_hash`` (the keyed
    hash of an address, or with ``recipient_raw`` also a configured name), status,
    message_id, event_type, channel. The caller pages it."""
    stmt = select(t).order_by(t.c.created_at.desc(), t.c.id)
    if filters.get("recipient_hash"):
        match = t.c.recipient_hash == filters["recipient_hash"]
        if filters.get("recipient_raw"):
            match = or_(match, t.c.recipient == filters["recipient_raw"])
        stmt = stmt.where(match)
    for column in ("status", "message_id", "event_type", "channel"):
        if filters.get(column):
            stmt = stmt.where(t.c[column] == filters[column])
    return stmt
