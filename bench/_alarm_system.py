"""The alarm path's processes for the benchmarks: Redis, an amqtt broker, SQLite files, the
ingest, beat, workers, and an HTTP receiver standing for 119's webhook."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from deploy import embedded_mqtt, embedded_redis  # noqa: E402


class Station:
    """119's webhook: every post, and the first arrival time per "market:store number"."""

    def __init__(self):
        self.arrivals: dict[str, float] = {}
        self.posts: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.posts.append(body)
                key = body["text"].split("번 점포")[0].rsplit(" ", 1)[-1]
                market = "삼구시장" if "삼구시장" in body["text"] else "동남상가"
                outer.arrivals.setdefault(f"{market}:{key}", time.time())
                self.send_response(200)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/119"


class Detectors:
    """One MQTT connection per detector, its token as username (as the broker demands),
    opened on first use; ``publish(token, payload)`` goes to ThingsBoard's ``me`` topic."""

    def __init__(self, port: int):
        self.port = port
        self.clients: dict = {}

    def client(self, token: str):
        import paho.mqtt.client as mqtt

        if token not in self.clients:
            ready, answer = threading.Event(), []
            client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
            client.username_pw_set(token)

            def on_connect(_c, _u, _f, reason, _p):
                answer.append(str(reason))
                ready.set()

            client.on_connect = on_connect
            client.connect("127.0.0.1", self.port)
            client.loop_start()
            if not ready.wait(30) or answer[0] != "Success":
                raise SystemExit(f"the broker did not accept a detector: {answer or 'no answer'}")
            self.clients[token] = client
        return self.clients[token]

    def publish(self, token: str, payload: str, qos: int = 1):
        return self.client(token).publish("v1/devices/me/telemetry", payload, qos=qos)

    def send_once(self, token: str, payloads: list[str]) -> None:
        """As a battery detector does: connect, publish, disconnect (a thousand held
        connections would pass select()'s 1,024 descriptors in one process)."""
        client = self.client(token)
        for payload in payloads:
            client.publish("v1/devices/me/telemetry", payload, qos=1).wait_for_publish(10)
        client.disconnect()  # first: it wakes the loop thread, which then ends at once
        client.loop_stop()
        del self.clients[token]

    def close(self) -> None:
        for client in self.clients.values():
            client.loop_stop()
            client.disconnect()


@dataclass
class System:
    env: dict[str, str]
    redis_url: str
    mqtt_port: int
    station: Station
    runtimes: dict = field(default_factory=dict)
    workers: list = field(default_factory=list)


@contextmanager
def alarm_system(services=("markets", "notifications"), extra_workers=()):
    """Everything up, the demo's 110 stores and detectors seeded; torn down on exit."""
    var = Path(tempfile.mkdtemp(prefix="bench-alarm-"))
    redis_url, redis_server = embedded_redis.url_or_start(var / "redis")
    mqtt_port = embedded_redis.free_port()
    mqtt_url = f"mqtt://ingest:{secrets.token_urlsafe(12)}@127.0.0.1:{mqtt_port}"
    broker = embedded_mqtt.start(mqtt_port, var / "mqtt", f"sqlite:///{var}/markets.db", mqtt_url)
    station = Station()
    env = {
        "APP_ENV": "test", "VAR_DIR": str(var), "REDIS_URL": redis_url, "LOG_LEVEL": "WARNING",
        "BROKER_KEY_PREFIX": f"bench-{os.getpid()}:", "MQTT_URL": mqtt_url,
        "NOTIFY_STATION_WEBHOOK_URL": station.url, "ALARM_SWEEP_SECONDS": "1",
        "CELERY_VISIBILITY_TIMEOUT": "3600", "PUBLIC_RATE_LIMIT": "",
        **{f"{s.upper()}_DATABASE_URL": f"sqlite:///{var}/{s}.db" for s in services},
    }  # fmt: skip
    os.environ.update(env)
    from deploy.manage import spec_of
    from services.common.migrate import upgrade

    from infra import WorkerProcess

    system = System(env, redis_url, mqtt_port, station)
    for service in services:
        upgrade(spec_of(service), env[f"{service.upper()}_DATABASE_URL"])
        app = __import__(f"services.{service}", fromlist=["create_app"]).create_app(env)
        system.runtimes[service] = app.extensions["runtime"]
    system.runtimes["markets"].spec.seed_demo(system.runtimes["markets"])
    for service in ("markets", "notifications"):
        system.runtimes[service].declare_queues()
    full = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests/support")])}
    quiet = {"cwd": ROOT, "env": full, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    system.workers = [
        WorkerProcess("markets", "markets.emergency", env),
        WorkerProcess("notifications", "notifications.emergency", env),
        WorkerProcess("notifications", "notifications", env),
        *(WorkerProcess(name, queue, env, module=module) for name, queue, module in extra_workers),
    ]
    procs = []
    try:
        for worker in system.workers:
            worker.start()
            if worker.queue in ("notifications", "markets"):  # bulk, as deploy/run.py runs it
                os.setpriority(os.PRIO_PGRP, worker.proc.pid, 10)
        procs.append(subprocess.Popen([sys.executable, "-m", "services.markets.ingest"], **quiet))
        procs.append(subprocess.Popen([sys.executable, "-m", "celery", "-A", "deploy.beat",
                                       "beat", "-s", str(var / "beat")], **quiet))  # fmt: skip
        time.sleep(3)  # the ingest subscribes
        yield system
    finally:
        for proc in procs:
            proc.terminate()
        for worker in system.workers:
            worker.stop()
        broker.terminate()
        if redis_server:
            redis_server.terminate()
        station.server.shutdown()
