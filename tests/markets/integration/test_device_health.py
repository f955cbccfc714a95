"""Device health (issue #9.7): low battery, silence, repeated false alarms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from services.common.tables import utcnow
from services.markets.adapters.orm import alarms, devices, maintenance_tickets, stores
from services.markets.service_layer import alarms as use_cases
from services.markets.service_layer.devices import provision
from services.markets.service_layer.sweep import sweep
from services.markets.tasks import ingest_of

pytestmark = pytest.mark.integration


@pytest.fixture
def device(stack, unique):
    runtime = stack.runtime("markets")
    runtime.spec.seed_demo(runtime)
    with runtime.db.read() as session:
        store_id = session.scalar(select(stores.c.id).where(stores.c.number == 50).limit(1))
    made = provision(runtime, f"H-{unique}", store_id, "multi", None)
    yield made["id"], made["token"]
    # No worker ran here: leave no notice or reading message for a later test's workers.
    with runtime.celery.connection_for_write() as conn:
        for queue in ("markets.emergency", "notifications.emergency"):
            conn.default_channel.queue_purge(queue)


def _accept(stack, token, **reading):
    runtime = stack.runtime("markets")
    [reading_id] = ingest_of(runtime).accept(token, {"ts": utcnow().isoformat(), **reading}, "http")
    assert use_cases.process_reading(runtime, reading_id)
    assert not use_cases.process_reading(runtime, reading_id)  # a second run does nothing


def _alarms(stack, device_id, kind):
    with stack.runtime("markets").db.read() as session:
        return session.execute(
            select(alarms).where(alarms.c.device_id == device_id, alarms.c.type == kind)
        ).all()


def _events(stack, kind):
    runtime = stack.runtime("markets")
    outbox = runtime.spec.tables.outbox
    with runtime.db.read() as session:
        return session.scalars(select(outbox.c.envelope).where(outbox.c.type == kind)).all()


def test_low_battery_raises_one_alarm_for_the_team_and_contractor_not_119(stack, device):
    device_id, token = device
    _accept(stack, token, battery_pct=12)
    _accept(stack, token, battery_pct=11)
    [alarm] = _alarms(stack, device_id, "battery_low")
    assert alarm.severity == "WARNING" and alarm.status == "ACTIVE_UNACK"
    [notice] = [e for e in _events(stack, "markets.alarm_raised")
                if e["payload"]["alarm_id"] == alarm.id]  # fmt: skip
    assert notice["payload"]["roles"] == ["market_team", "contractor"]


def test_a_silent_device_goes_offline_and_comes_back(stack, device):
    device_id, token = device
    _accept(stack, token, battery_pct=90)
    runtime = stack.runtime("markets")
    with runtime.db.transaction() as session:
        session.execute(update(devices).where(devices.c.id == device_id)
                        .values(last_seen_at=utcnow() - timedelta(minutes=10)))  # fmt: skip
    sweep(runtime)
    [offline] = _alarms(stack, device_id, "device_offline")
    assert offline.active and offline.severity == "MINOR"
    sweep(runtime)
    assert len(_alarms(stack, device_id, "device_offline")) == 1  # not raised twice
    _accept(stack, token, battery_pct=90)  # it speaks again
    [back] = _alarms(stack, device_id, "device_offline")
    assert back.active is None and back.clearance == "resolved"


def test_repeated_false_alarms_open_one_maintenance_ticket(stack, device):
    device_id, token = device
    runtime = stack.runtime("markets")
    for _ in range(3):
        _accept(stack, token, smoke=1.0)
        [active] = [a for a in _alarms(stack, device_id, "fire") if a.active]
        use_cases.clear(runtime, active.id, "점검반", "false_alarm")
    with runtime.db.read() as session:
        tickets = session.execute(
            select(maintenance_tickets).where(maintenance_tickets.c.device_id == device_id)
        ).all()
    assert len(tickets) == 1 and tickets[0].false_alarms == 3
    assert any(e["payload"]["device_id"] == device_id
               for e in _events(stack, "markets.maintenance_requested"))  # fmt: skip
