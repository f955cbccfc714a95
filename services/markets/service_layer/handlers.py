"""Events markets reads: acknowledgements and delivery reports of its notices."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.envelope import Envelope, load_payload
from services.common.tables import utcnow

from ..adapters.orm import alarm_timeline, alarms
from ..domain import alarms as lifecycle
from .alarms import acknowledge_in
from .notices import timeline


class AcknowledgedV1(Schema):
    class Meta:
        unknown = EXCLUDE

    message_id = fields.String(required=True)
    delivery_id = fields.String(load_default=None)
    by = fields.String(load_default=None)


class DeliveryReportV1(Schema):
    class Meta:
        unknown = EXCLUDE

    message_id = fields.String(required=True)
    delivery_id = fields.String(load_default=None)
    channel = fields.String(load_default=None)
    status = fields.String(load_default=None)


def _alarm_of(session: Session, message_id: str):
    alarm_id = session.scalar(
        select(alarm_timeline.c.alarm_id).where(
            alarm_timeline.c.message_id == message_id, alarm_timeline.c.kind == "notice"
        )
    )
    if alarm_id is None:
        return None
    return session.execute(select(alarms).where(alarms.c.id == alarm_id)).one()


def on_notification_acknowledged(session: Session, envelope: Envelope) -> None:
    from flask import current_app

    payload = load_payload(AcknowledgedV1(), envelope)
    alarm = _alarm_of(session, payload["message_id"])
    if alarm is None:
        return  # an acknowledgement of something that is not an alarm notice
    if alarm.status not in (lifecycle.ACTIVE_UNACK, lifecycle.CLEARED_UNACK):
        timeline(session, alarm.id, "acknowledged_again", utcnow(), by=payload["by"])
        return
    runtime = current_app.extensions["runtime"]
    by = payload["by"] or "알림 수신자"
    acknowledge_in(runtime, session, alarm.id, by, "notification", utcnow())


def on_delivery_report(session: Session, envelope: Envelope) -> None:
    payload = load_payload(DeliveryReportV1(), envelope)
    alarm = _alarm_of(session, payload["message_id"])
    if alarm is not None:  # "first recipient reached" is read off the timeline
        timeline(session, alarm.id, envelope.type.split(".")[1], utcnow(),
                 message_id=payload["message_id"], channel=payload["channel"],
                 delivery_id=payload["delivery_id"])  # fmt: skip
