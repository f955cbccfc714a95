"""Soak: many detectors sending heartbeats over MQTT while fires break out.

    .venv/bin/python bench/device_soak.py [DEVICES] [SECONDS] [FIRES]

DEVICES (1,000) detectors each send a heartbeat every 60 s for SECONDS (300) through an
amqtt broker and the ingest (each send its own CONNECT with the detector's token, as a
battery detector wakes, sends and sleeps), while FIRES (20) detectors report a fire (three readings).
Then it checks, and prints: every reading sent is stored once and processed, each fire
raised one alarm, and 119 heard each alarm's first notice exactly once. Figures printed,
never asserted: ingest rate, reading → processed latency, alarm counts.
"""

from __future__ import annotations

import json
import random
import signal
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from bench._alarm_system import Detectors, alarm_system  # noqa: E402
from bench.alarm_latency import line  # noqa: E402


def main(count: int, seconds: int, fires: int) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with alarm_system() as system:
        run(system, count, seconds, fires)


def run(system, count: int, seconds: int, fires: int) -> None:
    from sqlalchemy import func, select

    from services.markets.adapters.orm import alarms, device_readings, stores
    from services.markets.service_layer.devices import provision

    markets_rt, station, mqtt_port = system.runtimes["markets"], system.station, system.mqtt_port
    with markets_rt.db.read() as session:
        store_ids = session.scalars(select(stores.c.id).order_by(stores.c.number)).all()
    tokens = [
        provision(markets_rt, f"SOAK-{i:05d}", store_ids[i % len(store_ids)], "multi", None)[
            "token"
        ]
        for i in range(count)
    ]
    detectors = Detectors(mqtt_port)  # each send: its own CONNECT with its token
    # One heartbeat per device per minute, spread evenly; fires at random moments, on
    # devices of distinct, non-neighbouring stores (every third store).
    rng = random.Random(20221231)
    fire_devices = rng.sample(range(0, min(count, len(store_ids)), 3), fires)
    fire_at = sorted(rng.uniform(10, max(11, seconds - 20)) for _ in fire_devices)
    plan = sorted(
        [(minute * 60 + i * 60 / count, "beat", i) for minute in range(seconds // 60)
         for i in range(count)]
        + [(t, "fire", d) for t, d in zip(fire_at, fire_devices, strict=True)]
    )  # fmt: skip
    sent = 0
    start = time.monotonic()
    for offset, kind, device in plan:
        delay = start + offset - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        now = datetime.now(UTC)
        if kind == "beat":
            readings = [{"ts": now.isoformat(), "battery_pct": 90}]
        else:
            readings = [{"ts": (now - timedelta(seconds=s)).isoformat(), "smoke": True,
                         "temperature_c": 70} for s in (2, 1, 0)]  # fmt: skip
        detectors.send_once(tokens[device], [json.dumps(r) for r in readings])
        sent += len(readings)
    elapsed = time.monotonic() - start
    print(f"published {sent} readings from {count} devices in {elapsed:.0f} s "
          f"({sent / elapsed:.1f}/s), {fires} fires", flush=True)  # fmt: skip

    def counts():
        with markets_rt.db.read() as session:
            stored = session.scalar(select(func.count()).select_from(device_readings))
            pending = session.scalar(select(func.count()).select_from(device_readings)
                                     .where(device_readings.c.processed_at.is_(None)))  # fmt: skip
        return stored, pending

    deadline = time.monotonic() + 120
    while counts() != (sent, 0) and time.monotonic() < deadline:
        time.sleep(1)
    time.sleep(5)
    stored, pending = counts()
    with markets_rt.db.read() as session:
        lat = [
            (p - r).total_seconds()
            for p, r in session.execute(
                select(device_readings.c.processed_at, device_readings.c.received_at)
            )
        ]
        fire_alarms = session.execute(
            select(alarms.c.device_id, func.count()).where(alarms.c.type == "fire")
            .group_by(alarms.c.device_id)
        ).all()  # fmt: skip
    raised = {}
    for post in station.posts:
        if post.get("event_type") == "markets.alarm_raised":
            raised[post["message_id"]] = raised.get(post["message_id"], 0) + 1
    print(f"readings: {sent} sent, {stored} stored, {pending} unprocessed", flush=True)
    line("reading received → processed", lat)
    print(f"fire alarms: {len(fire_alarms)} devices, {sum(n for _, n in fire_alarms)} alarms; "
          f"119 first notices: {len(raised)}, doubled: {sum(1 for n in raised.values() if n > 1)}")  # fmt: skip


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*(args + [1000, 300, 20][len(args) :]))
