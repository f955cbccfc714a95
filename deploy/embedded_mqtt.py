"""Run an MQTT broker from a pip package (amqtt) for ``make run`` and the tests.

python -m deploy.embedded_mqtt --port 1884 --dir var/mqtt

The broker refuses a CONNECT whose username is not a current device token (checked in the
markets database) or the ingest's (user and password from ``MQTT_URL``), and lets a device
publish only its own readings (services/markets/mqtt_gateway.py).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from deploy.embedded_redis import wait_for_port

CONFIG = """listeners:
  default:
    type: tcp
    bind: 127.0.0.1:{port}
plugins:
  services.markets.mqtt_gateway.DeviceAuthPlugin:
    database_url: "{database_url}"
    ingest_username: "{user}"
    ingest_password_sha256: "{password_sha256}"
  services.markets.mqtt_gateway.DeviceTopicPlugin:
    prefix: "{prefix}"
    ingest_username: "{user}"
  services.markets.mqtt_gateway.DeviceApiPlugin:
    prefix: "{prefix}"
"""


def ingest_credentials(mqtt_url: str) -> tuple[str, str]:
    parts = urlsplit(mqtt_url)
    return unquote(parts.username or "ingest"), unquote(parts.password or "")


def command(
    port: int, directory: Path, database_url: str, mqtt_url: str, prefix: str = ""
) -> list[str]:
    """amqtt with our device plugins; ``mqtt_url`` carries the ingest's user and password."""
    directory.mkdir(parents=True, exist_ok=True)
    user, password = ingest_credentials(mqtt_url)
    config = directory / f"amqtt-{port}.yaml"
    config.write_text(CONFIG.format(
        port=port, prefix=prefix, database_url=database_url, user=user,
        password_sha256=hashlib.sha256(password.encode()).hexdigest() if password else "",
    ))  # fmt: skip
    os.chmod(config, 0o600)
    amqtt = Path(sys.executable).with_name("amqtt")
    return [str(amqtt), "-c", str(config)]


def start(
    port: int, directory: Path, database_url: str, mqtt_url: str, prefix: str = ""
) -> subprocess.Popen:
    """Start a broker in the background (tests); the caller terminates it."""
    proc = subprocess.Popen(
        command(port, directory, database_url, mqtt_url, prefix),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return proc


def main() -> None:
    from services.common.config import load_settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=1884)
    parser.add_argument("--dir", default="var/mqtt")
    parser.add_argument("--prefix", default=os.environ.get("MQTT_TOPIC_PREFIX", ""))
    args = parser.parse_args()
    database_url = load_settings("markets").database_url
    argv = command(args.port, Path(args.dir), database_url, os.environ["MQTT_URL"], args.prefix)
    os.execv(argv[0], argv)  # noqa: S606 (the supervisor signals the broker directly)


if __name__ == "__main__":
    main()
