"""The Celery path with real worker processes and real Redis: events in, messages out,
retries through Celery, the emergency lane, the due sweep, the shared rate limit."""

import time
from collections import deque
from datetime import timedelta

import pytest
from notify_fakes import vendor_env
from notify_helpers import alarm, apply, received, recipient, row, rows_for
from sqlalchemy import update

from services.common.envelope import Envelope
from services.common.messaging import direct_options
from services.common.tables import utcnow
from services.notifications.adapters.orm import deliveries
from services.notifications.service_layer import dispatch

from infra import wait_until

pytestmark = pytest.mark.integration


def _publish(stack, envelope: Envelope) -> None:
    stack.runtime("notifications").publish(envelope.to_dict())


def test_event_to_sms_through_worker_with_a_celery_retry(stack, vendor, worker_factory):
    worker = worker_factory("notifications", extra_env=vendor_env(vendor))
    vendor.script["01066660001"] = deque(["500", "ok"])
    envelope = received(stack, phone="01066660001")
    _publish(stack, envelope)

    sent = wait_until(
        lambda: [r for r in rows_for(stack, envelope.id) if r["status"] == "sent"], timeout=30
    )
    assert sent[0]["attempts"] == 2 and sent[0]["provider"] == "nhn-sms-sms"
    assert len(vendor.posts("/sender/sms")) == 2
    assert "notifications.send_delivery" in worker.log.read_text()
    assert "Retry in" in worker.log.read_text()


def test_alarm_is_sent_by_the_emergency_worker_past_a_bulk_backlog(stack, vendor, worker_factory):
    runtime = stack.runtime("notifications")
    runtime.declare_queues()
    env = vendor_env(vendor, NOTIFY_QUIET_HOURS="00:00-23:59")
    for _ in range(200):  # nobody serves the bulk queue during this test
        _publish(stack, received(stack, phone="01066669999"))
    worker_factory("notifications", queue="notifications.emergency", extra_env=env)
    envelope = alarm(stack, [recipient(stack, phone="01066660002")])
    try:
        _publish(stack, envelope)
        wait_until(
            lambda: (
                len(rows_for(stack, envelope.id)) == 2
                and all(r["status"] != "queued" for r in rows_for(stack, envelope.id))
            ),
            timeout=30,
        )
        statuses = {r["channel"]: r["status"] for r in rows_for(stack, envelope.id)}
        assert statuses == {"webhook": "delivered", "sms": "sent"}
        assert len(vendor.posts("/hook/119")) == 1 and len(vendor.posts("/sender/mms")) == 1  # LMS
        assert all(r["urgent"] for r in rows_for(stack, envelope.id))
    finally:
        with runtime.celery.connection_for_write() as conn:
            conn.default_channel.queue_purge("notifications")


def test_due_sweep_releases_held_deliveries(stack, vendor, worker_factory, notifier_factory):
    notifier_factory(**vendor_env(vendor, NOTIFY_QUIET_HOURS="00:00-23:59"))
    envelope = received(stack, phone="01066660003")
    apply(stack, envelope)
    [held] = rows_for(stack, envelope.id)
    assert held["not_before"] > utcnow()
    # A generous provider timeout: on a loaded machine a 1 s one expires while the fake
    # vendor still takes the request, and the retry is (rightly) a second send.
    worker_factory("notifications", extra_env=vendor_env(vendor, NOTIFY_HTTP_TIMEOUT="10"))
    runtime = stack.runtime("notifications")
    with runtime.db.transaction() as session:  # the morning has come
        session.execute(
            update(deliveries)
            .where(deliveries.c.id == held["id"])
            .values(not_before=utcnow() - timedelta(seconds=1))
        )
    runtime.celery.send_task("notifications.dispatch_due", **direct_options("notifications"))
    wait_until(lambda: row(stack, held["id"])["status"] == "sent", timeout=30)
    mine = [p for p in vendor.posts("/sender/sms") if "01066660003" in str(p["json"])]
    assert len(mine) == 1  # (the sweep sends every due row of the shared database)


def test_rate_limit_is_a_shared_token_bucket(stack, vendor, notifier_factory):
    import redis

    redis.Redis.from_url(stack.env["REDIS_URL"]).delete("notifications:bucket:nhn-sms")
    notifier = notifier_factory(**vendor_env(vendor, NOTIFY_RATE_NHN_SMS="1/s:1"))
    first = received(stack, phone="01066660004")
    second = received(stack, phone="01066660005")
    apply(stack, first)
    apply(stack, second)
    [a], [b] = rows_for(stack, first.id), rows_for(stack, second.id)

    assert dispatch.send(notifier, a["id"]).status == "sent"
    later = dispatch.send(notifier, b["id"])
    assert later.status == "later" and 0.5 < later.countdown <= 1.0
    waiting = row(stack, b["id"])
    assert waiting["attempts"] == 0 and waiting["status"] == "queued"
    assert len(vendor.posts("/sender/sms")) == 1

    time.sleep(later.countdown)
    assert dispatch.send(notifier, b["id"]).status == "sent"
    urgent = alarm(stack, [recipient(stack, phone="01066660006")], station=False)
    apply(stack, urgent)
    [fire] = rows_for(stack, urgent.id)
    assert dispatch.send(notifier, fire["id"]).status == "sent"  # never held by the bucket
