"""The alarm path end to end (issue #9): MQTT → ingest → rules → alarm → notifications →
the merchant's SMS and 119's signed webhook; escalation until acknowledged; test signals.

Real parts: an MQTT broker (amqtt from PyPI, and the Mosquitto at 127.0.0.1:1883 when it
answers), Redis, the ingest process, Celery worker processes, beat, and an HTTP receiver
that checks the webhook's signature.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import func, select, update

from deploy import embedded_mqtt, embedded_redis
from services.markets.adapters.orm import alarms, device_readings, devices, markets, stores
from services.markets.service_layer.devices import rotate
from services.notifications.adapters.orm import deliveries
from services.notifications.adapters.providers.webhook import verify

from infra import ROOT, wait_until

pytestmark = pytest.mark.integration

SHORT_POLICY = {
    "confirmed": {
        "steps": [
            {"after_s": 0, "recipients": ["merchant", "association"], "roles": ["station"],
             "channels": ["alimtalk", "sms"]},
            {"after_s": 3, "recipients": [], "roles": ["market_team", "duty"],
             "channels": ["sms", "voice"]},
        ],
        "repeat_every_s": 3,
        "max_repeats": 50,
    }
}  # fmt: skip


class Station:
    """119's webhook receiver: keeps only requests whose signature checks out."""

    def __init__(self, key: str):
        self.posts: list[dict] = []
        self.forged = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ok = verify(key, self.headers["X-Timestamp"], body, self.headers["X-Signature"])
                if ok:
                    outer.posts.append(json.loads(body))
                else:
                    outer.forged += 1
                self.send_response(200 if ok else 401)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/119"


def _mosquitto_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 1883), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(params=["amqtt", "mosquitto"])
def broker(request, stack, tmp_path, unique):
    """The broker's URL, with the ingest's user and password on amqtt (which checks every
    CONNECT: device tokens against the markets database)."""
    if request.param == "mosquitto":
        if not _mosquitto_up():
            pytest.skip("no Mosquitto at 127.0.0.1:1883")
        yield "mqtt://127.0.0.1:1883"
        return
    port = embedded_redis.free_port()
    url = f"mqtt://ingest:{secrets.token_urlsafe(12)}@127.0.0.1:{port}"
    database = stack.env["MARKETS_DATABASE_URL"]
    proc = embedded_mqtt.start(port, tmp_path / "mqtt", database, url, prefix=f"t{unique}/")
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def alarm_system(stack, worker_factory, broker, unique, tmp_path):
    markets_rt = stack.runtime("markets")
    markets_rt.spec.seed_demo(markets_rt)
    station = Station(stack.runtime("notifications").settings.secret("SIGNING_KEY"))
    prefix = f"t{unique}/"
    env = {"MQTT_URL": broker, "MQTT_TOPIC_PREFIX": prefix, "ALARM_SWEEP_SECONDS": "1",
           "NOTIFY_STATION_WEBHOOK_URL": station.url}  # fmt: skip
    worker_factory("markets", "markets.emergency", extra_env=env)
    worker_factory("notifications", "notifications.emergency", extra_env=env)
    worker_factory("notifications", "notifications", extra_env=env)
    ingest = _process(stack, tmp_path, env, "ingest", "-m", "services.markets.ingest")
    beat = _beat(stack, tmp_path, env)
    wait_until(lambda: "ingest.connected" in (tmp_path / "ingest.log").read_text(), timeout=30)
    yield {"station": station, "prefix": prefix, "broker": broker, "ingest": ingest}
    for proc in (ingest, beat):
        proc.terminate()
        proc.wait(15)
    _quiet(stack)
    station.server.shutdown()


def _process(stack, tmp_path, env: dict, name: str, *args: str) -> subprocess.Popen:
    full = {**os.environ, **stack.env, **env, "PYTHONPATH": str(ROOT)}
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=full, stdout=log,
                            stderr=subprocess.STDOUT)  # fmt: skip


def _beat(stack, tmp_path, env: dict) -> subprocess.Popen:
    """The scheduler, sweeping alarms every second."""
    schedule = str(tmp_path / "beat-schedule")
    return _process(stack, tmp_path, {**env, "ALARM_SWEEP_SECONDS": "1"}, "beat",
                    "-m", "celery", "-A", "deploy.beat", "beat", "-s", schedule)  # fmt: skip


def _quiet(stack) -> None:
    """Leave nothing escalating or in flight for the next test's receivers."""
    with stack.runtime("markets").db.transaction() as session:
        session.execute(
            update(alarms).where(alarms.c.active.is_(True)).values(active=None, next_step_at=None)
        )
    import redis

    client = redis.Redis.from_url(stack.env["REDIS_URL"])
    prefix = stack.env["BROKER_KEY_PREFIX"]
    queues = [f"{prefix}markets.emergency", f"{prefix}notifications.emergency"]
    wait_until(lambda: all(client.llen(q) == 0 for q in queues), timeout=20)
    time.sleep(1)  # what a worker holds is done
    # Beat's sweeps left on the bulk queues would run in a later test's workers.
    for queue in ("markets", "notifications"):
        client.delete(f"{prefix}{queue}")


USED: set[str] = set()


def _device(stack, market: str, near: int) -> tuple[str, str]:
    """A detector of ``market`` no test has used yet, at store ``near`` or the next free."""
    runtime = stack.runtime("markets")
    with runtime.db.read() as session:
        candidates = session.execute(
            select(devices.c.id, stores.c.number)
            .join(stores, stores.c.id == devices.c.store_id)
            .join(markets, markets.c.id == stores.c.market_id)
            .where(markets.c.name == market, stores.c.number >= near)
            .order_by(stores.c.number)
        ).all()
    device_id = next(d for d, _ in candidates if d not in USED)
    USED.add(device_id)
    return device_id, rotate(runtime, device_id)["token"]


def _number(stack, device_id: str) -> int:
    with stack.runtime("markets").db.read() as session:
        return session.scalar(
            select(stores.c.number).join(devices, devices.c.store_id == stores.c.id)
            .where(devices.c.id == device_id)
        )  # fmt: skip


def _connect(url: str, username: str | None) -> mqtt.Client | None:
    """A detector's connection (its token as MQTT username); None when CONNECT is refused."""
    parts = urlsplit(url)
    answered = threading.Event()
    outcome = {}
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    if username:
        client.username_pw_set(username)

    def on_connect(_c, _u, _flags, reason, _props):
        outcome["ok"] = not reason.is_failure
        answered.set()

    client.on_connect = on_connect
    client.connect(parts.hostname, parts.port)
    client.loop_start()
    if not answered.wait(10) or not outcome["ok"]:
        client.loop_stop()
        return None
    return client


def _token_of(topic: str) -> str | None:
    token = topic.split("/")[-2]
    return None if token == "me" else token


def _publish(url: str, topic: str, readings: list[dict], raw: bytes | None = None) -> bool:
    """Publish as the detector the topic names; False if the broker refused the CONNECT."""
    client = _connect(url, _token_of(topic))
    if client is None:
        return False
    for reading in readings:
        client.publish(topic, json.dumps(reading), qos=1).wait_for_publish(10)
    if raw is not None:
        client.publish(topic, raw, qos=1).wait_for_publish(10)
    client.loop_stop()
    client.disconnect()
    return True


def _ts(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


def _alarm(stack, device_id: str):
    with stack.runtime("markets").db.read() as session:
        return session.execute(select(alarms).where(alarms.c.device_id == device_id)).all()


def _sent(stack, alarm_id_fragment: str | None = None, event_type: str | None = None):
    with stack.runtime("notifications").db.read() as session:
        query = select(deliveries)
        if event_type:
            query = query.where(deliveries.c.event_type == event_type)
        return [dict(r._mapping) for r in session.execute(query)]


def test_a_fire_reaches_merchant_and_119_then_escalates_until_acknowledged(stack, alarm_system):
    system = alarm_system
    runtime = stack.runtime("markets")
    with runtime.db.transaction() as session:
        session.execute(
            update(markets)
            .where(markets.c.name == "삼구시장")
            .values(escalation_policy=SHORT_POLICY)
        )
    device_id, token = _device(stack, "삼구시장", 7)
    number = _number(stack, device_id)
    topic = f"{system['prefix']}v1/devices/{token}/telemetry"
    fire = [{"ts": _ts(i), "smoke": True, "temperature_c": 70.0} for i in (-2, -1, 0)]
    started = time.monotonic()
    _publish(system["broker"], topic, [*fire, fire[-1]])  # the last one twice: absorbed

    posts = wait_until(lambda: system["station"].posts, timeout=15)
    reached = time.monotonic() - started
    assert reached < 15
    text = posts[0]["text"]
    assert f"{number}번 점포" in text and "주소" in text and "열" in text and "삼구시장" in text
    assert system["station"].forged == 0
    [alarm] = wait_until(lambda: _alarm(stack, device_id), timeout=10)
    assert (alarm.type, alarm.stage, alarm.severity) == ("fire", "confirmed", "CRITICAL")
    with runtime.db.read() as session:
        stored = session.scalar(
            select(func.count()).select_from(device_readings).where(
                device_readings.c.device_id == device_id)
        )  # fmt: skip
    assert stored == 3  # the repeated reading was stored once

    merchant = wait_until(
        lambda: [d for d in _sent(stack) if d["message_id"] and f"삼구시장 {number}번 점포" in d["body"]
                 and d["channel"] == "sms"],
        timeout=15,
    )  # fmt: skip

    # No acknowledgement: the next step (시장지원팀, 당직) fires after its delay.
    def escalations():
        mine = f"삼구시장 {number}번 점포"
        return [d for d in _sent(stack, event_type="markets.alarm_escalated") if mine in d["body"]]

    escalated = wait_until(escalations, timeout=20)
    assert {d["recipient_masked"] for d in escalated} >= {"staff:시장지원팀", "staff:당직실"}

    # The merchant opens the link in the SMS: escalation stops, and markets records who.
    link = re.search(r"/notifications/ack/\S+", merchant[0]["body"]).group(0)
    assert stack.client("notifications").get(link).status_code == 200
    acked = wait_until(
        lambda: [a for a in _alarm(stack, device_id) if a.status == "ACTIVE_ACK"], timeout=15
    )
    assert acked[0].next_step_at is None and acked[0].acked_at is not None
    count = len(escalations())
    time.sleep(5)  # two more rounds would have fired by now
    assert len(escalations()) == count
    assert len(_alarm(stack, device_id)) == 1  # one alarm, however many readings

    staff = stack.auth("staff")
    detail = stack.client("markets").get(f"/markets/api/v1/alarms/{alarm.id}", headers=staff)
    kinds = [e["kind"] for e in detail.get_json()["timeline"]]
    assert {"raised", "notice", "acknowledged"} <= set(kinds)
    assert kinds.index("acknowledged") > kinds.index("notice")
    cleared = stack.client("markets").post(
        f"/markets/api/v1/alarms/{alarm.id}/clearance", json={"clearance": "false_alarm"},
        headers=staff,
    )  # fmt: skip
    assert cleared.status_code == 200 and cleared.get_json()["status"] == "CLEARED_ACK"


def test_a_test_signal_reaches_the_merchant_marked_and_never_119(stack, alarm_system):
    system = alarm_system
    device_id, token = _device(stack, "동남상가", 3)
    number = _number(stack, device_id)
    topic = f"{system['prefix']}v1/devices/{token}/telemetry"
    before = len(system["station"].posts)
    _publish(system["broker"], topic, [{"ts": _ts(0), "smoke": 1.0, "test": True}])
    told = wait_until(
        lambda: [d for d in _sent(stack) if d["body"].startswith("[시험]")
                 and f"동남상가 {number}번 점포" in d["body"]],
        timeout=15,
    )  # fmt: skip
    assert told[0]["recipient_masked"].startswith("010")
    [alarm] = _alarm(stack, device_id)
    assert alarm.test is True
    time.sleep(2)
    assert len(system["station"].posts) == before


def test_bad_input_is_refused_and_the_ingest_keeps_running(stack, alarm_system):
    system = alarm_system
    runtime = stack.runtime("markets")
    device_id, token = _device(stack, "동남상가", 11)
    other_id, other_token = _device(stack, "동남상가", 12)
    good = f"{system['prefix']}v1/devices/{token}/telemetry"
    revoked_topic = f"{system['prefix']}v1/devices/{other_token}/telemetry"
    stack.client("markets").delete(
        f"/markets/api/v1/devices/{other_id}/token", headers=stack.auth("staff")
    )
    time.sleep(2.5)  # past the token cache
    embedded = "1883" not in system["broker"]  # amqtt checks tokens at CONNECT too
    revoked = _publish(system["broker"], revoked_topic, [{"ts": _ts(0), "smoke": 0.0}])
    forged_topic = good.replace(token, token[:-3] + "xyz")
    forged = _publish(system["broker"], forged_topic, [{"smoke": 0.0}])
    assert (revoked, forged) == ((False, False) if embedded else (True, True))
    third_id, third_token = _device(stack, "동남상가", 14)
    if embedded:  # a device's own connection cannot write another device's topic
        thief = _connect(system["broker"], token)
        third_topic = good.replace(token, third_token)
        thief.publish(third_topic, json.dumps({"ts": _ts(0), "smoke": 1.0}), qos=1)
        time.sleep(0.5)
        thief.loop_stop()
        thief.disconnect()
    _publish(system["broker"], good, [{"smoke": "lots"}])
    _publish(system["broker"], good, [{"smoke": 0.0, "device_id": other_id}])
    _publish(system["broker"], good, [], raw=b"{" + b" " * 1_000_000 + b"}")
    _publish(system["broker"], good, [], raw=b"not json")
    _publish(system["broker"], good, [{"ts": _ts(0), "smoke": 0.0, "battery_pct": 88}])

    def stored(dev):
        with runtime.db.read() as session:
            return session.scalar(
                select(func.count()).select_from(device_readings).where(
                    device_readings.c.device_id == dev)
            )  # fmt: skip

    wait_until(lambda: stored(device_id) == 1, timeout=15)  # only the good one
    assert stored(other_id) == 0 and stored(third_id) == 0
    assert system["ingest"].poll() is None  # still running


def test_a_worker_killed_holding_the_reading_still_lets_the_first_notice_out(
    stack, worker_factory, unique, tmp_path
):
    """SIGKILL of the emergency worker mid-reading, with the broker's visibility timeout at
    an hour: the sweep re-sends the stored reading and a new worker raises the alarm."""
    runtime = stack.runtime("markets")
    runtime.spec.seed_demo(runtime)
    slow = {"CELERY_VISIBILITY_TIMEOUT": "3600", "MESSAGING_FAULT": "before_commit:60"}
    doomed = worker_factory("markets", "markets.emergency", extra_env=slow)
    worker_factory("notifications", "notifications.emergency")
    beat = _beat(stack, tmp_path, {"CELERY_VISIBILITY_TIMEOUT": "3600"})
    try:
        device_id, token = _device(stack, "동남상가", 21)
        started = time.monotonic()
        response = stack.client("markets").post(
            "/markets/api/v1/telemetry",
            json={"ts": _ts(0), "smoke": 1, "temperature_c": 75},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 202 and response.get_json() == {"accepted": 1}
        wait_until(lambda: _held(doomed), timeout=10)
        time.sleep(0.5)  # inside the transaction, paused before its commit
        doomed.kill()  # holding the reading, before its commit
        worker_factory(
            "markets", "markets.emergency", extra_env={"CELERY_VISIBILITY_TIMEOUT": "3600"}
        )
        notices = wait_until(lambda: _notices(stack, device_id), timeout=15)
        assert time.monotonic() - started < 15
        assert len(_alarm(stack, device_id)) == 1 and len(notices) == 1  # once, not twice
    finally:
        beat.terminate()
        beat.wait(15)
        _quiet(stack)


def _held(worker) -> bool:
    return "markets.process_reading" in worker.log.read_text()


def _notices(stack, device_id):
    from services.markets.adapters.orm import alarm_timeline

    with stack.runtime("markets").db.read() as session:
        return session.execute(
            select(alarm_timeline.c.message_id)
            .join(alarms, alarms.c.id == alarm_timeline.c.alarm_id)
            .where(alarms.c.device_id == device_id, alarm_timeline.c.kind == "notice")
        ).all()


def test_thingsboards_device_api_on_the_embedded_broker(stack, alarm_system):
    """v1/devices/me/telemetry with the device token as MQTT username (amqtt plugin)."""
    system = alarm_system
    if "1883" in system["broker"]:
        pytest.skip("Mosquitto has no hook to attribute 'me': detectors use the token topic")
    device_id, token = _device(stack, "동남상가", 30)
    client = _connect(system["broker"], token)
    reading = {"ts": _ts(0), "smoke": 0.0, "battery_pct": 77}
    client.publish("v1/devices/me/telemetry", json.dumps(reading), qos=1).wait_for_publish(5)
    client.loop_stop()
    client.disconnect()
    for nobody in (None, token[:-2] + "zz", "ingest"):  # no token, a forged one, no password
        assert _connect(system["broker"], nobody) is None
    runtime = stack.runtime("markets")

    def stored():
        with runtime.db.read() as session:
            return session.scalar(
                select(func.count()).select_from(device_readings).where(
                    device_readings.c.device_id == device_id)
            )  # fmt: skip

    wait_until(lambda: stored() == 1, timeout=10)
    time.sleep(1)
    assert stored() == 1


def test_a_notifications_worker_killed_holding_the_notice_costs_a_sweep_not_an_hour(
    stack, worker_factory, tmp_path
):
    """The notice is published again (same envelope) when no delivery report comes back."""
    runtime = stack.runtime("markets")
    runtime.spec.seed_demo(runtime)
    hour = {"CELERY_VISIBILITY_TIMEOUT": "3600"}
    worker_factory("markets", "markets.emergency", extra_env=hour)
    doomed = worker_factory(
        "notifications", "notifications.emergency",
        extra_env={**hour, "MESSAGING_FAULT": "before_commit:60"},
    )  # fmt: skip
    beat = _beat(stack, tmp_path, hour)
    try:
        device_id, token = _device(stack, "삼구시장", 31)
        number = _number(stack, device_id)
        started = time.monotonic()
        response = stack.client("markets").post(
            "/markets/api/v1/telemetry", json={"ts": _ts(0), "smoke": 1},
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
        assert response.status_code == 202
        wait_until(lambda: "events.deliver" in doomed.log.read_text(), timeout=10)
        time.sleep(0.5)
        doomed.kill()
        worker_factory("notifications", "notifications.emergency", extra_env=hour)

        def told():
            return [d for d in _sent(stack) if f"삼구시장 {number}번 점포" in d["body"]]

        wait_until(told, timeout=15)
        assert time.monotonic() - started < 15
        time.sleep(3)
        assert len(told()) == 1  # the merchant, once: the re-published notice was absorbed
    finally:
        beat.terminate()
        beat.wait(15)
        _quiet(stack)
