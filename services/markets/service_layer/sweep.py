"""The alarm sweep (beat, every ``ALARM_SWEEP_SECONDS`` on the emergency queue): due
escalation steps, detectors gone silent, and the recovery of messages a dead worker held —
readings never processed and notices never reported on are sent again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, func, select, update

from services.common.runtime import Runtime
from services.common.tables import utcnow

from ..adapters.orm import alarm_timeline, alarms, device_readings, devices
from .alarms import current_rules, device_of, fire_due, raise_or_update
from .notices import timeline

RESEND_AFTER = timedelta(seconds=3)
REPUBLISH_AFTER = timedelta(seconds=5)  # a notice with no delivery report by then
REPUBLISH_WITHIN = timedelta(minutes=10)
REPUBLISH_MAX = 3


def sweep(runtime: Runtime, now: datetime | None = None, resend=None) -> dict:
    """Due escalation steps, devices gone silent, readings whose message was lost."""
    now = now or utcnow()
    with runtime.db.read() as session:
        due = session.scalars(
            select(alarms.c.id).where(alarms.c.next_step_at <= now, alarms.c.active.is_(True))
        ).all()
        stuck = session.scalars(
            select(device_readings.c.id)
            .where(
                device_readings.c.processed_at.is_(None),
                device_readings.c.received_at <= now - RESEND_AFTER,
            )
            .limit(500)
        ).all()
        _, rules = current_rules(session)
        silent_before = now - timedelta(seconds=rules["rules"]["health"]["offline_after_s"])
        silent = session.scalars(
            select(devices.c.id).where(
                devices.c.status == "online",
                devices.c.token_revoked_at.is_(None),
                devices.c.last_seen_at < silent_before,
            )
        ).all()
    fired = 0
    for alarm_id in due:
        with runtime.db.transaction() as session:
            fired += fire_due(runtime, session, alarm_id, now)
    for device_id in silent:
        with runtime.db.transaction() as session:
            went = session.execute(
                update(devices)
                .where(devices.c.id == device_id, devices.c.status == "online",
                       devices.c.last_seen_at < silent_before)
                .values(status="offline")
            ).rowcount  # fmt: skip
            if went:
                version, rules = current_rules(session)
                device = device_of(session, device_id)
                alarm_id = raise_or_update(runtime, session, device, "device_offline", None,
                                            False, version, rules, now, None)  # fmt: skip
                fire_due(runtime, session, alarm_id, now)
    for reading_id in stuck:
        (resend or (lambda _id: None))(reading_id)
    republished = republish_unreported(runtime, now)
    return {"steps": fired, "offline": len(silent), "resent": len(stuck),
            "republished": republished}  # fmt: skip


def republish_unreported(runtime: Runtime, now: datetime) -> int:
    """Notices notifications has not reported on are published again, same envelope (its
    inbox absorbs one it applied): a notifications worker that died holding a notice costs
    a sweep, not the broker's visibility timeout."""
    t = alarm_timeline
    with runtime.db.read() as session:
        rows = session.execute(unreported(runtime.spec.tables.outbox, now)).all()
        counts = {}
        if rows:
            counts = dict(session.execute(
                select(t.c.message_id, func.count())
                .where(t.c.kind == "republished", t.c.message_id.in_([m for _, m, _ in rows]))
                .group_by(t.c.message_id)).all())  # fmt: skip
    done = 0
    for alarm_id, message_id, envelope in rows:
        if counts.get(message_id, 0) >= REPUBLISH_MAX:
            continue
        runtime.publish(envelope)
        with runtime.db.transaction() as session:
            timeline(session, alarm_id, "republished", now, message_id=message_id)
        done += 1
    return done


REPORTS = ("message_delivered", "message_failed")
_report = alarm_timeline.alias("report")


def unreported(outbox, now: datetime):
    """Notices of active alarms sent 5 s to 10 min ago with no delivery report: the
    window by ``ix_alarm_timeline_kind_at``, each notice's reports by its message id
    (the sweep runs every few seconds on the emergency queue, so it never reads the
    whole timeline)."""
    t = alarm_timeline
    reported = exists().where(_report.c.message_id == t.c.message_id, _report.c.kind.in_(REPORTS))
    return (
        select(t.c.alarm_id, t.c.message_id, outbox.c.envelope)
        .join(outbox, outbox.c.id == t.c.message_id)
        .join(alarms, alarms.c.id == t.c.alarm_id)
        .where(
            t.c.kind == "notice",
            t.c.at <= now - REPUBLISH_AFTER,
            t.c.at >= now - REPUBLISH_WITHIN,
            alarms.c.active.is_(True),
            ~reported,
        )
    )
