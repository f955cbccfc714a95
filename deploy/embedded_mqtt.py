"""Run an MQTT broker from a pip package (amqtt) for ``make run`` and the tests.

python -m deploy.embedded_mqtt --port 1884 --dir var/mqtt
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from deploy.embedded_redis import wait_for_port

CONFIG = """listeners:
  default:
    type: tcp
    bind: 127.0.0.1:{port}
plugins:
  amqtt.plugins.authentication.AnonymousAuthPlugin:
    allow_anonymous: true
  services.markets.mqtt_gateway.DeviceApiPlugin:
    prefix: "{prefix}"
"""


def command(port: int, directory: Path, prefix: str = "") -> list[str]:
    """amqtt with our device-API plugin (v1/devices/me/telemetry, token as username)."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / f"amqtt-{port}.yaml"
    config.write_text(CONFIG.format(port=port, prefix=prefix))
    amqtt = Path(sys.executable).with_name("amqtt")
    return [str(amqtt), "-c", str(config)]


def start(port: int, directory: Path, prefix: str = "") -> subprocess.Popen:
    """Start a broker in the background (tests); the caller terminates it."""
    proc = subprocess.Popen(
        command(port, directory, prefix), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for_port(port)
    return proc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=1884)
    parser.add_argument("--dir", default="var/mqtt")
    parser.add_argument("--prefix", default=os.environ.get("MQTT_TOPIC_PREFIX", ""))
    args = parser.parse_args()
    argv = command(args.port, Path(args.dir), args.prefix)
    os.execv(argv[0], argv)  # noqa: S606 (the supervisor signals the broker directly)


if __name__ == "__main__":
    main()
