"""Intake over HTTP: applications accepted per second through a real gunicorn, beside a
bare endpoint under the same gunicorn settings, database and client, in the same run.

    .venv/bin/python bench/applicants_intake.py [N] [CONCURRENCY]     (default: 2000 16)

gunicorn (2 workers × 4 threads, as in docker-compose.yml) serves the applicants app on
a free port; CONCURRENCY client threads, each with its own keep-alive connection, POST
N distinct valid applications (RRN parsing, Fernet encryption, HMAC keys, eligibility,
scoring, audit row, outbox rows, publish after commit) to one recruitment.
Baseline (bench/_bare_intake.py): a bare Flask app that validates the same JSON with the
same schema and inserts one row into the same database. Floor (bench/_floor_intake.py): the
same one-row endpoint served by our own app stack (flask-smorest, auth, rate limit,
logging, metrics), to split the gap into the framework's share and the intake's own.
Rounds alternate (bare, floor, ours) three times with fresh applications, and medians are
taken: which gunicorn worker takes the 16 keep-alive connections varies from round to
round (one worker or both). The last line is ours / bare accepted per second.
Database: APPLICANTS_DATABASE_URL if set (e.g. PostgreSQL), else a fresh SQLite file.
Broker: REDIS_URL if set, else an embedded Redis; a fresh key prefix keeps it apart.
Prints measured figures only.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from stdnum.kr import rrn as stdnum_rrn  # noqa: E402

from deploy import embedded_redis  # noqa: E402


def rrn(i: int) -> str:
    birth = date(1950 + i % 50, 1 + i % 12, 1 + i % 28)
    body = f"{birth:%y%m%d}{'1' if birth.year < 2000 else '3'}{i % 97:02d}{i // 97 % 1000:03d}"
    return body + stdnum_rrn.calc_check_digit(body)


def body(i: int) -> bytes:
    return json.dumps(
        {
            "name": "홍길동",
            "rrn": rrn(i),
            "address": f"서울특별시 영등포구 당산로 {i}",
            "phone": f"010-{1000 + i % 9000}-{i % 10000:04d}",
            "household_size": 1,
            "property_krw": 10_000_000 * (i % 30),
            "monthly_income_krw": 1_000_000 + 10_000 * (i % 50),
            "preferences": random.Random(i).sample(["safe", "community", "quarantine", "youth"], 2),
        }
    ).encode()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/applicants/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn not ready")


def main(n: int, concurrency: int) -> None:
    # On SIGTERM (e.g. `timeout`) run the finally blocks, so no process is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    var = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    redis_url, redis_proc = embedded_redis.url_or_start(var / "redis")
    env = {
        **os.environ,
        "APP_ENV": "test",
        "VAR_DIR": str(var),
        "REDIS_URL": redis_url,
        "BROKER_KEY_PREFIX": f"bench-{uuid.uuid4().hex[:8]}:",
        "APPLICANTS_DATABASE_URL": os.environ.get(
            "APPLICANTS_DATABASE_URL", f"sqlite:///{var}/applicants.db"
        ),
        "LOG_LEVEL": "WARNING",
        # A load test from one address: raise the public per-address limit out of the way.
        "PUBLIC_RATE_LIMIT": os.environ.get("PUBLIC_RATE_LIMIT", "1000000/minute"),
    }
    os.environ.update(env)
    from services.applicants import create_app
    from services.applicants.demo_data import demo_command
    from services.applicants.service_layer.recruitments import open_recruitment
    from services.applicants.spec import SPEC
    from services.common.migrate import upgrade

    upgrade(SPEC, env["APPLICANTS_DATABASE_URL"])
    runtime = create_app(env).extensions["runtime"]
    recruitment, _ = open_recruitment(runtime, demo_command())
    from bench import _bare_intake

    _bare_intake.create_schema(env["APPLICANTS_DATABASE_URL"])
    db = env["APPLICANTS_DATABASE_URL"].split(":", 1)[0]
    print(f"database={db} requests={n} a round, concurrency={concurrency}, gunicorn 2×4")
    try:
        rates = {"bare": [], "floor": [], "ours": []}
        offset = 0
        for _round in range(3):
            for name, app, path in (
                ("bare", "bench._bare_intake:create_app()",
                 f"/bare/recruitments/{recruitment.id}/applications"),
                ("floor", "bench._floor_intake:create_app()",
                 f"/floor/recruitments/{recruitment.id}/applications"),
                ("ours", "services.applicants:create_app()",
                 f"/applicants/api/v1/recruitments/{recruitment.id}/applications"),
            ):  # fmt: skip
                rates[name].append(serve_and_post(name, app, path, env, offset, n, concurrency))
                offset += n
        bare, floor, ours = (statistics.median(rates[k]) for k in ("bare", "floor", "ours"))
        print(f"median: bare {bare:.1f}/s, floor {floor:.1f}/s, ours {ours:.1f}/s")
        print(f"floor / bare = {floor / bare:.2f} (the framework's share: ours cannot pass it)")
        print(f"ours / floor = {ours / floor:.2f} (the intake's own work)")
        print(f"ratio = {ours / bare:.2f}")
    finally:
        runtime.db.dispose()
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(10)


def serve_and_post(name, app, path, env, offset, n, concurrency) -> float:
    port = embedded_redis.free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "4", "--log-level", "warning", app],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_ready(port, server)
        bodies = [body(offset + i) for i in range(n)]
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        lock = threading.Lock()
        cursor = iter(range(n))

        def client() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            while True:
                with lock:
                    i = next(cursor, None)
                if i is None:
                    return
                started = time.perf_counter()
                conn.request("POST", path, bodies[i], {"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[response.status] = statuses.get(response.status, 0) + 1

        threads = [threading.Thread(target=client) for _ in range(concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        rate = statuses.get(201, 0) / wall
        print(
            f"{name:<5} statuses={statuses} accepted/s={rate:.1f} "
            f"p50={statistics.median(latencies) * 1000:.1f} ms "
            f"p99={pct(latencies, 0.99) * 1000:.1f} ms wall={wall:.2f}s",
            flush=True,
        )
        return rate
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 2000, args[1] if len(args) > 1 else 16)
