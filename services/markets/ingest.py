"""The ingest process: MQTT readings into the alarm path.

python -m services.markets.ingest   (MQTT_URL, default mqtt://127.0.0.1:1884)

A paho client subscribed (QoS 1, persistent session, so the broker keeps what arrives while
this process restarts) to ``{MQTT_TOPIC_PREFIX}v1/devices/+/telemetry``, where the topic
level is the device token (docs/markets-alarms.md, "MQTT transports"). Every message goes
through the same ``Ingest.accept`` as the HTTP endpoint; a bad message is logged (never its
token) and dropped, and the process carries on. paho reconnects when the broker restarts.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
import structlog

log = structlog.get_logger("markets.ingest")
TOPIC = "v1/devices/+/telemetry"


def device_token(topic: str, prefix: str) -> str | None:
    if not topic.startswith(prefix):
        return None
    parts = topic[len(prefix) :].split("/")
    if len(parts) != 4 or parts[:2] != ["v1", "devices"] or parts[3] != "telemetry":
        return None
    return None if parts[2] == "me" else parts[2]  # "me" names nobody on a shared broker


def handle(ingest, prefix: str, topic: str, payload: bytes) -> int:
    from .service_layer.ingest import IngestError

    token = device_token(topic, prefix)
    try:
        if token is None:
            raise IngestError(401, "토픽에 기기 토큰이 없습니다 (v1/devices/<토큰>/telemetry).")
        return len(ingest.accept(token, payload, "mqtt"))
    except IngestError as exc:
        log.warning("ingest.refused", status=exc.status, reason=exc.detail, size=len(payload))
    except Exception as exc:  # the process must outlive any message
        log.exception("ingest.failed", error=type(exc).__name__)
    return 0


def client_id(password: str | None, prefix: str = "") -> str:
    """The ingest's MQTT client id: stable for its persistent session, but not guessable
    without its password. amqtt (the embedded broker) closes a connected client when
    another CONNECT arrives with the same id, before it checks that CONNECT's password:
    with a fixed id, anyone who can reach the broker could keep the ingest off it."""
    secret = hashlib.sha256((password or "").encode()).hexdigest()[:16] if password else "open"
    return f"ydp-markets-ingest-{prefix or 'main'}-{secret}"


def client_for(url: str, prefix: str, ingest) -> mqtt.Client:
    parts = urlsplit(url)
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, client_id=client_id(parts.password, prefix),
        clean_session=False,
    )  # fmt: skip
    if parts.username:
        client.username_pw_set(parts.username, parts.password)
    client.reconnect_delay_set(min_delay=1, max_delay=10)

    def on_connect(cl, _userdata, _flags, reason, _props):
        log.info("ingest.connected", broker=f"{parts.hostname}:{parts.port}", reason=str(reason))
        cl.subscribe(prefix + TOPIC, qos=1)

    client.on_connect = on_connect
    client.on_message = lambda _c, _u, msg: handle(ingest, prefix, msg.topic, msg.payload)
    client.connect_async(parts.hostname or "127.0.0.1", parts.port or 1883, keepalive=30)
    return client


def main() -> int:
    from . import create_app
    from .tasks import ingest_of

    app = create_app()
    ingest = ingest_of(app.extensions["runtime"])
    url = os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1884")
    client = client_for(url, os.environ.get("MQTT_TOPIC_PREFIX", ""), ingest)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    print(f"ingest: {urlsplit(url).hostname}:{urlsplit(url).port} {TOPIC}", flush=True)
    alive = Path(os.environ.get("INGEST_ALIVE_FILE", "/tmp/ingest-alive"))  # noqa: S108
    client.loop_start()  # paho's thread handles messages and reconnects
    while not stopping:
        if client.is_connected():
            alive.touch()  # the container's health check reads its age
        time.sleep(1)
    client.disconnect()
    client.loop_stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
