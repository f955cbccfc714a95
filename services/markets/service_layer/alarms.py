"""Alarm use cases: a reading through the rules, escalation steps, acknowledgement, clearance.

Each runs in one transaction; notices are outbox rows, published right after commit.
Delays live in ``alarms.next_step_at`` and are fired by ``sweep`` (beat, every 2 s, on the
emergency queue), never by Celery countdowns.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import structlog
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.common.inbox import _fault
from services.common.problems import Problem
from services.common.runtime import Runtime
from services.common.tables import utcnow

from ..adapters.orm import (
    alarm_rule_sets,
    alarms,
    device_readings,
    devices,
    maintenance_tickets,
    stores,
)
from ..domain import alarms as lifecycle
from ..domain.rules import Reading, battery_low, evaluate
from .notices import emit_notice, place, timeline

log = structlog.get_logger(__name__)
HISTORY = timedelta(minutes=3)


def current_rules(session: Session) -> tuple[int, dict]:
    row = session.execute(
        select(alarm_rule_sets.c.version, alarm_rule_sets.c.data)
        .order_by(alarm_rule_sets.c.version.desc())
        .limit(1)
    ).one()
    return row.version, row.data


def _policy(session: Session, store_id: str, rules: dict) -> dict:
    """The rule set's escalation policy, with the market's own overrides (per alarm kind)."""
    _, market = place(session, store_id)
    return {**rules["policy"], **(market.escalation_policy or {})}


def _reading(row) -> Reading:
    return Reading(row.ts, row.smoke, row.temperature_c, row.flame, row.battery_pct, row.test)


def _active(session: Session, device_id: str, alarm_type: str, test: bool):
    """The device's active alarm of a type; read once per transaction for all types."""
    cache = session.info.setdefault("active_alarms", {})
    if device_id not in cache:
        cache[device_id] = {
            (row.type, bool(row.test)): row
            for row in session.execute(
                select(alarms).where(alarms.c.device_id == device_id, alarms.c.active.is_(True))
            )
        }
    return cache[device_id].get((alarm_type, bool(test)))


def _forget_active(session: Session, device_id: str) -> None:
    session.info.get("active_alarms", {}).pop(device_id, None)


def _neighbour_signals(session: Session, store, device_id: str, since: datetime, rules: dict):
    distance = rules["fire"]["neighbour_distance"]
    near = select(stores.c.id).where(
        stores.c.market_id == store.market_id,
        stores.c.number.between(store.number - distance, store.number + distance),
    )
    fire = rules["fire"]
    rows = session.execute(
        select(device_readings.c.ts)
        .join(devices, devices.c.id == device_readings.c.device_id)
        .where(
            devices.c.store_id.in_(near),
            devices.c.id != device_id,
            device_readings.c.ts >= since,
            device_readings.c.test.is_(False),
            (device_readings.c.flame.is_(True))
            | (device_readings.c.smoke >= fire["smoke_threshold"])
            | (device_readings.c.temperature_c >= fire["heat_c"]),
        )
    )
    return [r.ts for r in rows]


def raise_or_update(
    runtime, session, device, alarm_type, stage, test, version, rules, now, reading_ts
):
    """One active alarm per (device, type, test): a new one, or the existing one updated."""
    existing = _active(session, device.id, alarm_type, test)
    _forget_active(session, device.id)
    if existing is not None:
        values = {"last_reading_at": reading_ts}
        upgraded = existing.stage == "suspected" and stage == "confirmed"
        if upgraded:  # now 119 must hear of it: start the confirmed escalation
            policies = _policy(session, device.store_id, rules)
            policy = lifecycle.policy_for(policies, alarm_type, stage, test)
            values |= {"stage": stage, "severity": lifecycle.SEVERITY[stage], "policy": policy,
                       "escalation_started_at": now, "step": 0, "repeat": 0,
                       "next_step_at": now, "rule_version": version}  # fmt: skip
        session.execute(update(alarms).where(alarms.c.id == existing.id).values(values))
        timeline(session, existing.id, "stage_confirmed" if upgraded else "reading", now,
                 reading_ts=reading_ts.isoformat(), stage=stage)  # fmt: skip
        return existing.id
    alarm_id = str(uuid.uuid4())
    severity_key = stage if alarm_type == "fire" else alarm_type
    session.execute(
        alarms.insert().values(
            id=alarm_id, device_id=device.id, store_id=device.store_id,
            market_id=device.market_id, type=alarm_type, stage=stage,
            severity=lifecycle.SEVERITY[severity_key], status=lifecycle.ACTIVE_UNACK,
            test=test, rule_version=version,
            policy=lifecycle.policy_for(_policy(session, device.store_id, rules), alarm_type,
                                        stage, test),
            started_at=now, escalation_started_at=now, last_reading_at=reading_ts,
            step=0, repeat=0, next_step_at=now, active=True,
        )
    )  # fmt: skip
    timeline(session, alarm_id, "raised", now, stage=stage, rule_version=version,
             reading_ts=reading_ts.isoformat() if reading_ts else None)  # fmt: skip
    log.info("alarm.raised", alarm_id=alarm_id, type=alarm_type, stage=stage, test=test)
    return alarm_id


def device_of(session: Session, device_id: str):
    return session.execute(
        select(devices.c.id, devices.c.serial, devices.c.store_id, stores.c.market_id)
        .join(stores, stores.c.id == devices.c.store_id)
        .where(devices.c.id == device_id)
    ).one()


def process_reading(runtime: Runtime, reading_id: str, now: datetime | None = None) -> bool:
    """Apply the rules to one stored reading, once; fire what is due at once."""
    now = now or utcnow()
    with runtime.db.transaction() as session:
        row = session.execute(
            update(device_readings)
            .where(device_readings.c.id == reading_id, device_readings.c.processed_at.is_(None))
            .values(processed_at=now)
            .returning(*device_readings.c)
        ).first()
        if row is None:
            return False  # processed already (a redelivery or the sweep's re-send)
        device = device_of(session, row.device_id)
        store, _ = place(session, device.store_id)
        version, rules = current_rules(session)
        reading = _reading(row)
        history = [
            _reading(r)
            for r in session.execute(
                select(device_readings).where(
                    device_readings.c.device_id == device.id,
                    device_readings.c.test == row.test,
                    device_readings.c.ts >= row.ts - HISTORY,
                    device_readings.c.ts <= row.ts,
                    device_readings.c.id != row.id,
                )
            )
        ]
        since = row.ts - timedelta(seconds=rules["rules"]["fire"]["neighbour_window_s"])
        neighbours = (
            [] if row.test else _neighbour_signals(session, store, device.id, since, rules["rules"])
        )
        decision = evaluate(rules["rules"], reading, history, neighbours)
        touched = []
        if decision.signal:
            touched.append(raise_or_update(runtime, session, device, "fire", decision.stage,
                                            bool(row.test), version, rules, now, row.ts))  # fmt: skip
        if battery_low(rules["rules"], reading) and not _active(
            session, device.id, "battery_low", False
        ):
            touched.append(raise_or_update(runtime, session, device, "battery_low", None, False,
                                            version, rules, now, row.ts))  # fmt: skip
        offline = _active(session, device.id, "device_offline", False)
        if offline is not None:  # it speaks again
            _close(runtime, session, offline, "system", "resolved", now)
        for alarm_id in touched:
            fire_due(runtime, session, alarm_id, now)
        _fault("before_commit")  # tests only: hold the reading here to kill the worker
    return True


def fire_due(runtime: Runtime, session: Session, alarm_id: str, now: datetime) -> int:
    """Send the steps due now. The row is locked (PostgreSQL; SQLite's writers queue at
    BEGIN), so two sweeps at once cannot both send a step."""
    alarm = session.execute(select(alarms).where(alarms.c.id == alarm_id).with_for_update()).one()
    if (
        alarm.next_step_at is None
        or alarm.next_step_at > now
        or alarm.status != lifecycle.ACTIVE_UNACK
    ):
        return 0
    plan = lifecycle.due_steps(
        alarm.policy, alarm.escalation_started_at, alarm.step, alarm.repeat, now
    )
    for step in plan.due:
        emit_notice(runtime, session, alarm, step, now)
    session.execute(
        update(alarms)
        .where(alarms.c.id == alarm_id)
        .values(step=plan.next_step, repeat=plan.next_repeat, next_step_at=plan.next_at)
    )
    return len(plan.due)


def _load(session: Session, alarm_id: str):
    alarm = session.execute(select(alarms).where(alarms.c.id == alarm_id)).first()
    if alarm is None:
        raise Problem(404, "없는 경보입니다.")
    return alarm


def acknowledge_in(runtime, session: Session, alarm_id: str, by: str, via: str, now) -> bool:
    alarm = _load(session, alarm_id)
    try:
        status = lifecycle.acknowledge(alarm.status)
    except lifecycle.InvalidTransition as exc:
        raise Problem(409, str(exc)) from exc
    session.execute(
        update(alarms)
        .where(alarms.c.id == alarm_id, alarms.c.status == alarm.status)
        .values(status=status, acked_at=now, acked_by=by, next_step_at=None)
    )
    timeline(session, alarm_id, "acknowledged", now, by=by, via=via)
    runtime.emit(session, "markets.alarm_acknowledged",
                 {"alarm_id": alarm_id, "by": by, "via": via, "acknowledged_at": now.isoformat()})  # fmt: skip
    return True


def acknowledge(runtime: Runtime, alarm_id: str, by: str) -> dict:
    now = utcnow()
    with runtime.db.transaction() as session:
        acknowledge_in(runtime, session, alarm_id, by, "staff", now)
    return get(runtime, alarm_id)


def _close(runtime, session: Session, alarm, by: str, clearance: str, now) -> None:
    status = lifecycle.clear(alarm.status)
    _forget_active(session, alarm.device_id)
    session.execute(
        update(alarms)
        .where(alarms.c.id == alarm.id)
        .values(status=status, cleared_at=now, cleared_by=by, clearance=clearance,
                next_step_at=None, active=None)
    )  # fmt: skip
    timeline(session, alarm.id, "cleared", now, by=by, clearance=clearance)
    runtime.emit(session, "markets.alarm_cleared",
                 {"alarm_id": alarm.id, "type": alarm.type, "clearance": clearance, "by": by,
                  "test": bool(alarm.test), "roles": ["market_team"]})  # fmt: skip


def clear(runtime: Runtime, alarm_id: str, by: str, clearance: str) -> dict:
    now = utcnow()
    with runtime.db.transaction() as session:
        alarm = _load(session, alarm_id)
        try:
            _close(runtime, session, alarm, by, clearance, now)
        except lifecycle.InvalidTransition as exc:
            raise Problem(409, str(exc)) from exc
        if clearance == "false_alarm" and not alarm.test:
            _maybe_ticket(runtime, session, alarm.device_id, now)
    return get(runtime, alarm_id)


def _maybe_ticket(runtime, session: Session, device_id: str, now) -> None:
    _, rules = current_rules(session)
    health = rules["rules"]["health"]
    since = now - timedelta(days=health["false_alarm_days"])
    count = session.scalar(
        select(func.count()).select_from(alarms).where(
            alarms.c.device_id == device_id, alarms.c.clearance == "false_alarm",
            alarms.c.cleared_at >= since)
    )  # fmt: skip
    open_ticket = session.scalar(
        select(maintenance_tickets.c.id).where(
            maintenance_tickets.c.device_id == device_id, maintenance_tickets.c.closed_at.is_(None))
    )  # fmt: skip
    if count >= health["false_alarms_for_ticket"] and open_ticket is None:
        ticket = str(uuid.uuid4())
        reason = f"최근 {health['false_alarm_days']}일 비화재보 {count}회"
        session.execute(maintenance_tickets.insert().values(
            id=ticket, device_id=device_id, reason=reason, false_alarms=count, created_at=now))  # fmt: skip
        runtime.emit(session, "markets.maintenance_requested",
                     {"ticket_id": ticket, "device_id": device_id, "reason": reason,
                      "roles": ["market_team", "contractor"]})  # fmt: skip


def get(runtime: Runtime, alarm_id: str) -> dict:
    from .alarm_queries import alarm_detail

    return alarm_detail(runtime, alarm_id)
