"""Envelopes as producers send them, with personal data encrypted (docs/events.md)."""

from __future__ import annotations

import uuid

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from services.common.envelope import Envelope
from services.notifications.adapters.orm import common, deliveries


def fernet(stack) -> Fernet:
    key = stack.runtime("notifications").settings.secret("PII_ENCRYPTION_KEY")
    return Fernet(key.encode())


def recipient(stack, phone=None, email=None, kakao=False, name="홍*동") -> dict:
    f = fernet(stack)
    return {
        "name_masked": name,
        "phone_enc": f.encrypt(phone.encode()).decode() if phone else None,
        "email_enc": f.encrypt(email.encode()).decode() if email else None,
        "kakao": kakao,
    }


def received(stack, title="2023 안심일자리", **who) -> Envelope:
    payload = {
        "application_id": str(uuid.uuid4()),
        "recruitment_id": str(uuid.uuid4()),
        "recruitment_title": title,
        "preferences": ["safe"],
        "recipient": recipient(stack, **who),
        "extra_field_from_a_newer_producer": 1,
    }
    return Envelope("applicants.application_received", payload, "applicants")


def alarm(stack, recipients, station=True) -> Envelope:
    payload = {
        "alarm_id": str(uuid.uuid4()),
        "device_id": "dev-7",
        "market": "영등포시장",
        "store": "12호 떡집",
        "kind": "연기",
        "severity": "high",
        "detected_at": "2026-11-24T19:00:00+00:00",
        "recipients": recipients,
        "station_webhook": station,
    }
    return Envelope("markets.alarm_raised", payload, "markets")


def apply(stack, envelope: Envelope) -> int:
    """The consumer path of the worker (inbox + handler), in this process."""
    app = stack.apps["notifications"]
    with app.app_context():
        return stack.runtime("notifications").consumer.deliver(envelope.to_dict())


def rows_for(stack, message_id: str) -> list[dict]:
    with stack.runtime("notifications").db.read() as session:
        rows = session.execute(
            select(deliveries)
            .where(deliveries.c.message_id == message_id)
            .order_by(deliveries.c.created_at)
        )
        return [dict(r._mapping) for r in rows]


def row(stack, delivery_id: str) -> dict:
    with stack.runtime("notifications").db.read() as session:
        return dict(
            session.execute(select(deliveries).where(deliveries.c.id == delivery_id)).one()._mapping
        )


def outbox_events(stack, event_type: str, delivery_id: str) -> list[dict]:
    outbox = common.outbox
    with stack.runtime("notifications").db.read() as session:
        envs = session.scalars(select(outbox.c.envelope).where(outbox.c.type == event_type))
        return [e for e in envs if e["payload"]["delivery_id"] == delivery_id]


def count_rows(stack) -> int:
    with stack.runtime("notifications").db.read() as session:
        return session.scalar(select(func.count()).select_from(deliveries))
