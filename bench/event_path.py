"""Event path latency and throughput: our reliable path beside bare Celery, same run.

    .venv/bin/python bench/event_path.py [N]

Reliable path: a service-layer call in applicants (transaction + outbox row, publish after
commit) -> Redis topic exchange -> notifications worker (inbox row + handler + commit).
Latency = delivery row's created_at - envelope's occurred_at.
Baseline: a bare Celery task (no database) sent to a worker on the same Redis that records
its arrival time in Redis. Both on embedded Redis (or REDIS_URL) and SQLite files.
Prints measured figures only.
"""

from __future__ import annotations

import os
import signal
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from deploy import embedded_redis  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, latencies: list[float], elapsed: float) -> float:
    rate = len(latencies) / elapsed
    print(
        f"{name:<28} n={len(latencies):>5}  {rate:8.1f} msg/s  "
        f"p50 {statistics.median(latencies) * 1000:7.1f} ms  p99 {pct(latencies, 0.99) * 1000:7.1f} ms"
    )
    return rate


def main(n: int) -> None:
    # On SIGTERM (e.g. `timeout`) run the finally blocks, so no worker is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    var = Path(tempfile.mkdtemp(prefix="bench-"))
    redis_url, server = embedded_redis.url_or_start(var / "redis")
    env = {
        "APP_ENV": "test",
        "VAR_DIR": str(var),
        "REDIS_URL": redis_url,
        "APPLICANTS_DATABASE_URL": f"sqlite:///{var}/applicants.db",
        "NOTIFICATIONS_DATABASE_URL": f"sqlite:///{var}/notifications.db",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    from sqlalchemy import select

    from bench._baseline import ARRIVALS
    from bench._baseline import celery as baseline_app
    from deploy.manage import spec_of
    from services.applicants import create_app as applicants_app
    from services.applicants.domain import commands
    from services.applicants.domain.model import ProgramOffer
    from services.applicants.service_layer.recruitments import open_recruitment
    from services.common.migrate import upgrade
    from services.notifications import create_app as notifications_app
    from services.notifications.adapters.orm import deliveries

    from infra import WorkerProcess

    for service in ("applicants", "notifications"):
        upgrade(spec_of(service), env[f"{service.upper()}_DATABASE_URL"])
    producer = applicants_app(env).extensions["runtime"]
    consumer = notifications_app(env).extensions["runtime"]
    consumer.declare_queues()
    workers = [
        WorkerProcess("notifications", "notifications", env),
        WorkerProcess("baseline", "bench_baseline", env, module="bench._baseline"),
    ]
    for worker in workers:
        worker.start()
    try:
        # Baseline: bare Celery round trip.
        import redis

        client = redis.Redis.from_url(redis_url)
        client.delete(ARRIVALS)
        sent = {}
        start = time.perf_counter()
        for i in range(n):
            sent[str(i)] = time.time()
            baseline_app.send_task("bench.noop", args=[str(i)], queue="bench_baseline")
        deadline = time.monotonic() + 300
        while client.llen(ARRIVALS) < n:
            if time.monotonic() > deadline:
                raise SystemExit("baseline did not finish in 300 s")
            time.sleep(0.01)
        elapsed = time.perf_counter() - start
        arrivals = [entry.decode().split(" ") for entry in client.lrange(ARRIVALS, 0, -1)]
        base_lat = [float(t) - sent[i] for i, t in arrivals]
        base_rate = report("baseline: bare Celery task", base_lat, elapsed)

        # Reliable path.
        offer = ProgramOffer("safe", 1, 9620, date(2023, 1, 2), date(2023, 6, 30))
        cmd = commands.OpenRecruitment("bench", 2023, 1, (offer,), "bench")
        start = time.perf_counter()
        for _ in range(n):
            open_recruitment(producer, cmd)
        deadline = time.monotonic() + 300
        while True:
            with consumer.db.read() as session:
                rows = session.execute(
                    select(deliveries.c.created_at, deliveries.c.message_id)
                ).all()
            if len(rows) >= n:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"reliable path: {len(rows)}/{n} applied after 300 s")
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        outbox = producer.spec.tables.outbox
        with producer.db.read() as session:
            emitted = dict(session.execute(select(outbox.c.id, outbox.c.created_at)).all())
        path_lat = [(c - emitted[m]).total_seconds() for c, m in rows]
        path_rate = report("outbox -> Redis -> inbox", path_lat, elapsed)
        print(f"throughput ratio (reliable / bare): {path_rate / base_rate:.2f}")
        print(
            "p50 latency ratio (reliable / bare): "
            f"{statistics.median(path_lat) / statistics.median(base_lat):.1f}"
        )
    finally:
        for worker in workers:
            worker.stop()
        if server:
            server.terminate()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
