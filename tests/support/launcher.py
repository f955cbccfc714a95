"""`make run`'s launcher (deploy.run) started the way a person starts it, on a var/ of its
own and free ports, for tests that use the whole system as its users do."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from deploy import embedded_redis

from infra import ROOT


def launch_env(var_dir) -> tuple[dict, str]:
    """Environment for a fresh `make run` (embedded Redis, SQLite under var_dir) and its URL."""
    port, redis_port, mqtt_port = (embedded_redis.free_port() for _ in range(3))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "APP_ENV") and not k.endswith("_DATABASE_URL")
    }
    env |= {
        "VAR_DIR": str(var_dir),
        "PORT": str(port),
        "EMBEDDED_REDIS_PORT": str(redis_port),
        "EMBEDDED_MQTT_PORT": str(mqtt_port),
    }  # never a person's `make run` on this machine
    return env, f"http://127.0.0.1:{port}"


def start(env, log):
    return subprocess.Popen(
        [sys.executable, "-m", "deploy.run"],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def interrupt(proc) -> None:
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    proc.wait(60)
