"""Turn plans into delivery rows inside the caller's transaction; dispatch after commit."""

from __future__ import annotations

import uuid

import structlog
from sqlalchemy import event
from sqlalchemy.orm import Session

from services.common.envelope import Envelope
from services.common.tables import utcnow

from ..adapters import repository as repo
from ..domain import templates
from ..domain.model import FALLBACK, Plan
from ..domain.policy import release_at
from .notifier import Notifier

log = structlog.get_logger(__name__)


def queue(session: Session, notifier: Notifier, envelope: Envelope, plans: list[Plan]) -> list[str]:
    """Insert one queued delivery per plan not already recorded; returns their ids.

    Due deliveries are dispatched to Celery once the transaction commits; held ones
    (quiet hours) wait for ``notifications.dispatch_due``.
    """
    now = utcnow()
    created: list[str] = []
    due: list[tuple[str, bool]] = []
    for plan in plans:
        rec = plan.recipient
        if repo.exists(session, envelope.id, rec.key, rec.channel):
            continue
        delivery_id = str(uuid.uuid4())
        held_until = release_at(now, plan.urgent, notifier.settings.quiet_hours)
        insert(session, notifier, envelope, plan, delivery_id, held_until, now)
        created.append(delivery_id)
        if held_until is None:
            due.append((delivery_id, plan.urgent))
    if due:
        after_commit(session, notifier, due)
    return created


def insert(
    session: Session,
    notifier: Notifier,
    envelope: Envelope,
    plan: Plan,
    delivery_id: str,
    held_until,
    now,
) -> None:
    rec = plan.recipient
    template = templates.get(plan.template)
    values = dict(plan.values)
    if plan.urgent:
        values["ack_url"] = notifier.ack_url(delivery_id)
    fallback = FALLBACK.get(rec.channel)
    pii = notifier.pii
    repo.insert(
        session,
        {
            "id": delivery_id,
            "message_id": envelope.id,
            "event_type": envelope.type,
            "recipient": rec.key,
            "channel": rec.channel,
            "template": template.name,
            "template_version": template.version,
            "body": template.render(rec.channel, **values),
            "subject": template.render_subject(**values)[:200],
            "fallback_body": template.render(fallback, **values) if fallback else None,
            "recipient_masked": rec.masked,
            "recipient_enc": pii.encrypt(rec.address) if rec.address else None,
            "recipient_hash": pii.hash(rec.address) if rec.address else None,
            "urgent": plan.urgent,
            "not_before": held_until,
            "created_at": now,
        },
    )


def after_commit(session: Session, notifier: Notifier, items: list[tuple[str, bool]]) -> None:
    """After commit: urgent deliveries are sent here and now (``Notifier.send_now``) when
    ``NOTIFY_INLINE_URGENT`` is on (default), the rest go to ``send_delivery``."""
    inline = notifier.settings.inline_urgent
    now = [d for d, urgent in items if urgent and inline]
    later = [(d, urgent) for d, urgent in items if not (urgent and inline)]

    def _dispatch(_session: Session) -> None:
        try:
            if later:
                notifier.dispatch(later)
        except Exception as exc:  # the dispatch_due sweep picks them up later
            log.warning("delivery.dispatch_deferred", count=len(later), error=repr(exc))
        if now:
            notifier.send_now(now)

    event.listen(session, "after_commit", _dispatch, once=True)
