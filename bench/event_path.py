"""Event path: the same handler work done by a bare Celery task and by our reliable path.

    .venv/bin/python bench/event_path.py [N]                 # SQLite files, embedded Redis
    TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/event_path.py [N]             # PostgreSQL (REDIS_URL if set)

Both sides write one row per message in the consumer's own database (bench/_event_sink.py):
- baseline: ``send_task("bench.write_row")`` straight to a worker that inserts the row;
- ours: the producer's transaction writes the outbox row and commits, the relay publishes
  after commit, the consumer's worker writes its inbox row and the same row in one
  transaction (``create_service_app`` services, as in production).
One worker process each (prefork, concurrency 1), the same broker. Latency is from just
before the producer's call (send_task, or the transaction) to the handler's row. N
messages are sent as fast as one producer thread can, then the rows are awaited; rounds
alternate (baseline, ours) three times and the medians are compared. Prints measured
figures only; the last line is the throughput ratio.
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


def databases(var: Path):
    """(urls by role, cleanup): SQLite files, or fresh PostgreSQL databases."""
    admin = os.environ.get("TEST_DATABASE_URL")
    roles = ("BENCHSOURCE", "BENCHSINK", "BASELINE")
    if not admin:
        return {r: f"sqlite:///{var}/{r.lower()}.db" for r in roles}, lambda: None
    import sqlalchemy as sa

    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    names = {r: f"bench_{r.lower()}_{uuid.uuid4().hex[:6]}" for r in roles}
    with engine.connect() as conn:
        for name in names.values():
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    base = sa.engine.make_url(admin)
    urls = {r: base.set(database=n).render_as_string(False) for r, n in names.items()}

    def drop():
        with engine.connect() as conn:
            for name in names.values():
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()

    return urls, drop


def main(n: int) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the finally blocks
    var = Path(tempfile.mkdtemp(prefix="bench-"))
    redis_url, server = embedded_redis.url_or_start(var / "redis")
    urls, drop = databases(var)
    env = {
        "APP_ENV": "test", "VAR_DIR": str(var), "REDIS_URL": redis_url, "LOG_LEVEL": "WARNING",
        "BROKER_KEY_PREFIX": f"bench-{uuid.uuid4().hex[:6]}:", "BENCH_SINK_WORKER": "1",
        **{f"{role}_DATABASE_URL": url for role, url in urls.items()},
    }  # fmt: skip
    os.environ.update(env)
    from sqlalchemy import func, select

    from bench import _event_sink as sink
    from services.common.app import create_service_app
    from services.common.db import Database

    from infra import WorkerProcess

    for url in urls.values():
        sink.create_schema(url)
    producer = create_service_app(sink.SOURCE, env).extensions["runtime"]
    consumer = create_service_app(sink.SINK, env).extensions["runtime"]
    consumer.declare_queues()
    baseline_db = Database(urls["BASELINE"])
    workers = [
        WorkerProcess("benchsink", "benchsink", env, module="bench._event_sink"),
        WorkerProcess("baseline", "bench_baseline", env, module="bench._event_sink"),
    ]
    for worker in workers:
        worker.start()

    def bare(i: str) -> None:
        producer.celery.send_task("bench.write_row", args=[i, time.time()], queue="bench_baseline")

    def ours(i: str) -> None:
        sent = time.time()
        with producer.db.transaction() as session:
            producer.emit(session, "benchsource.thing_happened", {"i": i, "sent_at": sent})

    def measure(name: str, send, db: Database, count: int) -> tuple[float, float]:
        tag = uuid.uuid4().hex[:8]
        start = time.perf_counter()
        for k in range(count):
            send(f"{tag}-{k}")
        deadline = time.monotonic() + 600
        while True:
            with db.read() as session:
                rows = session.execute(
                    select(sink.received.c.sent_at, sink.received.c.handled_at).where(
                        sink.received.c.id.like(f"{tag}-%")
                    )
                ).all()
            if len(rows) >= count:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"{name}: {len(rows)}/{count} rows after 600 s")
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        latencies = [h - s for s, h in rows]
        rate = count / elapsed
        print(f"{name:<34} n={count:>5}  {rate:8.1f} msg/s  "
              f"p50 {statistics.median(latencies) * 1000:8.1f} ms  "
              f"p99 {pct(latencies, 0.99) * 1000:8.1f} ms", flush=True)  # fmt: skip
        return rate, statistics.median(latencies)

    try:
        kind = "PostgreSQL" if os.environ.get("TEST_DATABASE_URL") else "SQLite"
        print(f"{kind} databases, Redis {redis_url.rsplit('@', 1)[-1]}, {n} messages a round")
        measure("warm-up (bare)", bare, baseline_db, 20)
        measure("warm-up (ours)", ours, consumer.db, 20)
        base, mine = [], []
        for _round in range(3):
            base.append(measure("baseline: bare task writes a row", bare, baseline_db, n))
            mine.append(measure("ours: outbox -> Redis -> inbox", ours, consumer.db, n))
        with consumer.db.read() as session:
            inbox = session.scalar(select(func.count()).select_from(consumer.spec.tables.inbox))
        print(f"inbox rows {inbox} (one per message: {inbox == 3 * n + 20})")
        b_rate, b_p50 = (statistics.median(x) for x in zip(*base, strict=True))
        m_rate, m_p50 = (statistics.median(x) for x in zip(*mine, strict=True))
        print(f"median of 3 rounds: baseline {b_rate:.1f}/s p50 {b_p50 * 1000:.1f} ms, "
              f"ours {m_rate:.1f}/s p50 {m_p50 * 1000:.1f} ms")  # fmt: skip
        print(f"p50 latency ours / baseline = {m_p50 / b_p50:.2f}")
        print(f"ratio = {m_rate / b_rate:.2f}")
    finally:
        for worker in workers:
            worker.stop()
        producer.db.dispose()
        consumer.db.dispose()
        baseline_db.dispose()
        drop()
        if server:
            server.terminate()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
