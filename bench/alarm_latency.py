"""Fire alarm latency: a reading published over MQTT → the first dispatch to a provider.

    .venv/bin/python bench/alarm_latency.py [ALARMS] [BACKLOG]

Real parts (bench/_alarm_system.py): embedded Redis (or REDIS_URL), an amqtt broker,
SQLite files, the ingest process, Celery workers (markets.emergency,
notifications.emergency, notifications bulk), beat, and an HTTP receiver standing for
119's webhook (the first provider reached). A confirmed fire is three smoke-and-heat
readings of one detector; latency runs from the publish of the third to the webhook's
arrival. Measured idle, with BACKLOG (10,000) bulk notifications queued, and with the
markets emergency worker SIGKILLed holding the alarm's first reading. Baseline in the same
run: a bare Celery no-op round trip (send → worker → Redis). Figures are printed, never
asserted. Last line: ``alarm p99 / no-op p99 = X.X`` (with the backlog).
"""

from __future__ import annotations

import json
import signal
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from bench._alarm_system import Detectors, alarm_system  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def line(name: str, values: list[float]) -> None:
    print(
        f"{name:<34} n={len(values):>4}  p50 {statistics.median(values) * 1000:8.1f} ms  "
        f"p99 {pct(values, 0.99) * 1000:8.1f} ms  max {max(values) * 1000:8.1f} ms",
        flush=True,
    )


def main(alarms: int, backlog: int) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    baseline = ("baseline", "bench_baseline", "bench._baseline")
    with alarm_system(("applicants", "markets", "notifications"), [baseline]) as system:
        run(system, alarms, backlog)


def run(system, alarms: int, backlog: int) -> None:
    import redis
    from sqlalchemy import select

    from bench._baseline import ARRIVALS
    from bench._baseline import celery as baseline_app
    from services.common.envelope import Envelope
    from services.markets.adapters.orm import devices, markets, stores
    from services.markets.service_layer.devices import rotate

    from infra import WorkerProcess

    env, redis_url, station = system.env, system.redis_url, system.station
    markets_rt, producer = system.runtimes["markets"], system.runtimes["applicants"]
    workers = system.workers
    with markets_rt.db.read() as session:
        rows = session.execute(
            select(devices.c.id, stores.c.number, markets.c.name)
            .join(stores, stores.c.id == devices.c.store_id)
            .join(markets, markets.c.id == stores.c.market_id)
        ).all()
    # Odd store numbers only: no two detectors used are neighbours, so each alarm is
    # confirmed by its own third reading, not by the neighbour rule.
    targets = [(f"{m}:{n}", rotate(markets_rt, d)["token"]) for d, n, m in sorted(
        rows, key=lambda r: (r[2], r[1])) if n % 2]  # fmt: skip
    detectors = Detectors(system.mqtt_port)
    for _, token in targets:  # each detector holds its connection, as a real one does
        detectors.client(token)

    def noop_round_trips(count: int) -> list[float]:
        r = redis.Redis.from_url(redis_url)
        r.delete(ARRIVALS)
        out = []
        for i in range(count):
            sent = time.time()
            baseline_app.send_task("bench.noop", args=[str(i)], queue="bench_baseline")
            while r.llen(ARRIVALS) <= i:
                time.sleep(0.0005)
            out.append(float(r.lindex(ARRIVALS, i).decode().split()[1]) - sent)
        return out

    def fire(key: str, token: str) -> float:
        now = datetime.now(UTC)
        for i in (2, 1):
            ts = (now - timedelta(seconds=i)).isoformat()
            detectors.publish(token, json.dumps({"ts": ts, "smoke": True, "temperature_c": 70})
                              ).wait_for_publish(5)  # fmt: skip
        time.sleep(0.3)  # the first two are in before the third, as a detector sends them
        sent = time.time()
        last = json.dumps({"ts": now.isoformat(), "smoke": True, "temperature_c": 72})
        detectors.publish(token, last).wait_for_publish(5)
        deadline = time.monotonic() + 60
        while key not in station.arrivals:
            if time.monotonic() > deadline:
                raise SystemExit(f"alarm {key} did not reach the station in 60 s")
            time.sleep(0.002)
        return station.arrivals[key] - sent

    noop_idle = noop_round_trips(200)
    line("baseline: Celery no-op round trip", noop_idle)
    queue = iter(targets)
    idle = [fire(*next(queue)) for _ in range(alarms)]
    line("alarm, idle", idle)

    for i in range(backlog):  # bulk work for notifications' bulk worker
        producer.publish(Envelope("applicants.recruitment_opened", {
            "recruitment_id": str(i), "title": "적체 시험", "year": 2027, "half": 1,
            "total_quota": 1, "programs": [{"code": "safe", "name": "안심", "quota": 1}],
        }, "applicants").to_dict())  # fmt: skip
    r = redis.Redis.from_url(redis_url)
    waiting = r.llen(f"{env['BROKER_KEY_PREFIX']}notifications")
    noop_busy = noop_round_trips(200)
    busy = [fire(*next(queue)) for _ in range(alarms)]
    left = r.llen(f"{env['BROKER_KEY_PREFIX']}notifications")
    line("baseline, with the backlog", noop_busy)
    line(f"alarm, {backlog} bulk queued", busy)
    print(f"bulk messages waiting: {waiting} before the alarms, {left} after", flush=True)

    # The markets emergency worker dies holding the third reading.
    workers[0].stop()
    doomed = WorkerProcess("markets", "markets.emergency",
                           {**env, "MESSAGING_FAULT": "before_commit:60"})  # fmt: skip
    doomed.start()
    key, token = next(queue)
    killed_at = {}

    def kill_when_held():
        while "markets.process_reading" not in doomed.log.read_text():
            time.sleep(0.01)
        time.sleep(0.3)
        doomed.kill()
        killed_at["t"] = time.time()
        replacement = WorkerProcess("markets", "markets.emergency", env)
        replacement.start()  # as the supervisor would
        workers.append(replacement)

    killer = threading.Thread(target=kill_when_held)
    killer.start()
    recovered = fire(key, token)
    killer.join()
    print(f"alarm, emergency worker SIGKILLed holding its first reading: {recovered:6.2f} s "
          "from the third reading to 119", flush=True)  # fmt: skip
    ratio = pct(busy, 0.99) / pct(noop_busy, 0.99)
    print(f"alarm p99 / no-op p99 = {ratio:.1f}")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 20,
        int(sys.argv[2]) if len(sys.argv) > 2 else 10_000,
    )
