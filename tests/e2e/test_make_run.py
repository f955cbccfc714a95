"""`make run`'s launcher on a fresh var/: embedded Redis, SQLite, every process under
honcho; demo data flows across services; Ctrl-C stops everything; a restart keeps data."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request

import pytest

from deploy import embedded_redis
from services.common.config import SERVICES

from infra import ROOT, wait_until

pytestmark = pytest.mark.integration


def _get(url: str, token: str | None = None):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read() or b"null")
    except OSError:
        return None, None


def _start(env, log):
    return subprocess.Popen(
        [sys.executable, "-m", "deploy.run"],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _interrupt(proc) -> None:
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    proc.wait(60)


def test_run_serves_everything_and_stops_on_ctrl_c(tmp_path):
    port, redis_port = embedded_redis.free_port(), embedded_redis.free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "APP_ENV") and not k.endswith("_DATABASE_URL")
    }
    env |= {"VAR_DIR": str(tmp_path), "PORT": str(port), "EMBEDDED_REDIS_PORT": str(redis_port)}
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "run.log"

    proc = _start(env, log)
    try:
        for service in SERVICES:
            wait_until(lambda s=service: _get(f"{base}/{s}/readyz")[0] == 200, timeout=120)
        tokens = json.loads((tmp_path / "demo-tokens.json").read_text())
        status, recruitments = _get(f"{base}/applicants/api/v1/recruitments")
        assert status == 200 and [r["total_quota"] for r in recruitments] == [560]
        deliveries = wait_until(
            lambda: _get(f"{base}/notifications/api/v1/deliveries", tokens["staff"])[1],
            timeout=60,
        )
        assert "선발인원 560명" in deliveries[0]["body"]
    finally:
        _interrupt(proc)
    assert "종료: Ctrl-C" in log.read_text()
    assert _get(f"{base}/applicants/healthz")[0] is None  # nothing left listening

    again = _start(env, log)
    try:
        wait_until(lambda: _get(f"{base}/notifications/readyz")[0] == 200, timeout=120)
        assert len(_get(f"{base}/applicants/api/v1/recruitments")[1]) == 1
        staff = json.loads((tmp_path / "demo-tokens.json").read_text())["staff"]
        assert staff == tokens["staff"]
        assert len(_get(f"{base}/notifications/api/v1/deliveries", staff)[1]) == 1
    finally:
        _interrupt(again)
    assert "already present" in log.read_text()
