"""An alarm on the emergency queue is applied while a bulk backlog is still waiting."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.common.envelope import Envelope

from infra import wait_until
from probe import effects

pytestmark = pytest.mark.integration
BACKLOG = 300


def _count(runtime, kind: str) -> int:
    with runtime.db.read() as session:
        return session.scalar(
            select(func.count()).select_from(effects).where(effects.c.kind == kind)
        )


def test_alarm_overtakes_bulk_backlog(stack, worker_factory):
    from probe import create_app

    app = create_app(stack.env)
    runtime = app.extensions["runtime"]
    runtime.declare_queues()
    worker_factory("probe", "probe", module="probe.worker")
    worker_factory("probe", "probe.emergency", module="probe.worker")
    for _ in range(BACKLOG):
        runtime.publish(Envelope("probe.bulk_happened", {}, "test").to_dict())
    alarm = Envelope("probe.alarm_raised", {"market": "동남상가"}, "test")
    runtime.publish(alarm.to_dict())

    wait_until(lambda: _count(runtime, "alarm") == 1, timeout=30)
    bulk_done_when_alarm_applied = _count(runtime, "bulk")
    try:
        # The bulk handler takes 50 ms a message: the backlog needs ~15 s, the alarm did
        # not wait for it.
        assert bulk_done_when_alarm_applied < BACKLOG // 2
    finally:
        with runtime.celery.connection_for_write() as conn:
            conn.default_channel.queue_purge("probe")
