"""Notifications dispatch: throughput to the local provider, and emergency latency with
and without a bulk backlog, side by side.

    .venv/bin/python bench/notifications_dispatch.py [N] [BACKLOG] [ALARMS]

Throughput: N queued deliveries on the local channel, one ``notifications.send_delivery``
task each, one bulk worker (concurrency 1): messages/second until all are delivered.
Emergency latency: ``markets.alarm_raised`` published on the events exchange -> the
emergency worker (inbox + handler) -> ``send_delivery`` on ``notifications.emergency``
-> delivered; latency = delivered_at - envelope occurred_at, alarms one after another.
Measured first on idle queues, then while the bulk worker drains BACKLOG messages.
Embedded Redis (or REDIS_URL) and a SQLite file (or BENCH_DATABASE_URL). Prints measured
figures only.
"""

from __future__ import annotations

import os
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from deploy import embedded_redis  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def queue_local(runtime, n: int) -> list[str]:
    from services.common.tables import utcnow
    from services.notifications.adapters import repository as repo

    ids = [str(uuid.uuid4()) for _ in range(n)]
    message_id = str(uuid.uuid4())
    with runtime.db.transaction() as session:
        for i, delivery_id in enumerate(ids):
            repo.insert(
                session,
                {
                    "id": delivery_id,
                    "message_id": message_id,
                    "event_type": "bench.bulk",
                    "recipient": f"bench:{i}",
                    "recipient_masked": f"bench:{i}",
                    "channel": "local",
                    "template": "bench",
                    "template_version": 1,
                    "body": "[영등포구] 벤치마크 메시지",
                    "urgent": False,
                    "created_at": utcnow(),
                },
            )
    return ids


def delivered_count(runtime, event_type: str) -> int:
    from sqlalchemy import func, select

    from services.notifications.adapters.orm import deliveries as t

    with runtime.db.read() as session:
        return session.scalar(
            select(func.count())
            .select_from(t)
            .where(t.c.event_type == event_type, t.c.status == "delivered")
        )


def alarm_latencies(runtime, count: int) -> list[float]:
    from sqlalchemy import select

    from services.common.envelope import Envelope
    from services.notifications.adapters.orm import deliveries as t

    latencies = []
    for i in range(count):
        payload = {
            "alarm_id": str(uuid.uuid4()),
            "device_id": f"bench-{i}",
            "market": "영등포시장",
            "store": "1호",
            "kind": "연기",
            "severity": "high",
            "detected_at": "2026-11-24T00:00:00+00:00",
            "recipients": [],
            "station_webhook": True,
        }
        envelope = Envelope("markets.alarm_raised", payload, "bench")
        runtime.publish(envelope.to_dict())
        deadline = time.monotonic() + 60
        while True:
            with runtime.db.read() as session:
                done = session.scalar(
                    select(t.c.delivered_at).where(
                        t.c.message_id == envelope.id, t.c.status == "delivered"
                    )
                )
            if done is not None:
                latencies.append((done - envelope.occurred_at).total_seconds())
                break
            if time.monotonic() > deadline:
                raise SystemExit("alarm not delivered within 60 s")
            time.sleep(0.005)
    return latencies


def main(n: int, backlog: int, alarms: int) -> None:
    # On SIGTERM (e.g. `timeout`) run the finally blocks, so no process is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    var = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    redis_url, server = embedded_redis.url_or_start(var / "redis")
    env = {
        "APP_ENV": "test",
        "VAR_DIR": str(var),
        "REDIS_URL": redis_url,
        "NOTIFICATIONS_DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{var}/notifications.db"
        ),
        "NOTIFY_QUIET_HOURS": "off",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    from deploy.manage import spec_of
    from services.common.messaging import direct_options
    from services.common.migrate import upgrade
    from services.notifications import create_app
    from services.notifications.service_layer.notifier import SEND_TASK

    from infra import WorkerProcess

    upgrade(spec_of("notifications"), env["NOTIFICATIONS_DATABASE_URL"])
    runtime = create_app(env).extensions["runtime"]
    runtime.declare_queues()
    bulk = WorkerProcess("notifications", "notifications", env)
    urgent = WorkerProcess("notifications", "notifications.emergency", env)
    bulk.start()
    urgent.start()
    print(f"database {env['NOTIFICATIONS_DATABASE_URL'].split(':')[0]}, one worker per queue")
    try:
        ids = queue_local(runtime, n)
        start = time.perf_counter()
        for delivery_id in ids:
            runtime.celery.send_task(
                SEND_TASK, args=[delivery_id], **direct_options("notifications")
            )
        while delivered_count(runtime, "bench.bulk") < n:
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        print(f"dispatch -> local provider: n={n}  {n / elapsed:8.1f} msg/s  ({elapsed:.1f} s)")

        idle = alarm_latencies(runtime, alarms)
        ids = queue_local(runtime, backlog)
        for delivery_id in ids:
            runtime.celery.send_task(
                SEND_TASK, args=[delivery_id], **direct_options("notifications")
            )
        before = delivered_count(runtime, "bench.bulk") - n
        loaded = alarm_latencies(runtime, alarms)
        after = delivered_count(runtime, "bench.bulk") - n
        print(f"{'emergency latency':<30}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
        for name, values in ((f"idle queues (n={alarms})", idle), ("with bulk backlog", loaded)):
            print(
                f"{name:<30}{statistics.median(values) * 1000:10.1f}"
                f"{pct(values, 0.99) * 1000:10.1f}{max(values) * 1000:10.1f}"
            )
        print(
            f"bulk backlog {backlog}: {backlog - before} waiting when the alarms started, "
            f"{backlog - after} still waiting when the last alarm was delivered"
        )
    finally:
        bulk.stop()
        urgent.stop()
        if server:
            server.terminate()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:4]]
    defaults = [2000, 10_000, 100]
    main(*(args + defaults[len(args) :]))
