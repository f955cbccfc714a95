"""`make run`'s launcher on a fresh var/: embedded Redis, SQLite, every process under the
supervisor; demo data flows across services; Ctrl-C stops everything; a restart keeps data;
a killed worker comes back and nothing sent around its death is lost or doubled."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
import urllib.request

import pytest
from launcher import interrupt as _interrupt
from launcher import launch_env as _launch_env
from launcher import start as _start

from services.common.config import SERVICES

from infra import wait_until

pytestmark = pytest.mark.integration


def _get(url: str, token: str | None = None, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read() or b"null")
    except OSError:
        return None, None


def test_run_serves_everything_and_stops_on_ctrl_c(tmp_path):
    env, base = _launch_env(tmp_path)
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
        _sign_in_through_the_gateway(base, tmp_path)
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


def _pids(log, name: str) -> list[int]:
    return [int(p) for p in re.findall(rf"{name} started \(pid (\d+)\)", log.read_text())]


def _opened(base, staff) -> list[dict]:
    _, rows = _get(
        f"{base}/notifications/api/v1/deliveries?event_type=applicants.recruitment_opened"
        "&limit=500",
        staff,
    )
    return rows or []


def test_a_killed_worker_is_restarted_and_nothing_is_lost_or_doubled(tmp_path):
    env, base = _launch_env(tmp_path)
    env["CELERY_VISIBILITY_TIMEOUT"] = "10"  # what the killed worker held comes back soon
    log = tmp_path / "run.log"
    proc = _start(env, log)
    try:
        for service in SERVICES:
            wait_until(lambda s=service: _get(f"{base}/{s}/readyz")[0] == 200, timeout=120)
        staff = json.loads((tmp_path / "demo-tokens.json").read_text())["staff"]
        wait_until(lambda: len(_opened(base, staff)) == 1, timeout=60)  # the demo recruitment
        [first_pid] = _pids(log, "worker-notifications")
        sent: list[int] = []

        def post(n: int) -> None:
            body = {
                "title": f"복구 시험 {n}",
                "year": 2027,
                "half": 1,
                "programs": [
                    {"code": "safe", "quota": 1, "hourly_wage": 10030,
                     "work_starts": "2027-01-04", "work_ends": "2027-06-30"}
                ],
            }  # fmt: skip
            status, _ = _get(f"{base}/applicants/api/v1/recruitments", staff, body)
            sent.append(status)

        def load() -> None:
            for n in range(20):
                post(n)
                time.sleep(0.25)

        loader = threading.Thread(target=load)
        loader.start()
        time.sleep(1.5)  # some sent before the kill, the rest after
        os.kill(first_pid, signal.SIGKILL)  # the worker's main process, as the kernel would
        killed_at = time.monotonic()
        assert _get(f"{base}/applicants/healthz")[0] == 200  # the site keeps answering
        wait_until(lambda: len(_pids(log, "worker-notifications")) == 2, timeout=15)
        assert time.monotonic() - killed_at < 15
        assert "worker-notifications exited with code" in log.read_text()
        loader.join(30)
        assert sent == [201] * 20
        rows = wait_until(lambda: (r := _opened(base, staff)) and len(r) >= 21 and r, timeout=60)
        time.sleep(2)  # a double would have arrived by now
        rows = _opened(base, staff)
        titles = sorted(r["body"] for r in rows)
        assert len(rows) == 21 and len({r["message_id"] for r in rows}) == 21, titles
        assert _get(f"{base}/applicants/healthz")[0] == 200
    finally:
        _interrupt(proc)
    assert "all stopped" in log.read_text()


def _sign_in_through_the_gateway(base: str, var) -> None:
    """A person signs in at /login with a demo account and opens a service's page."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    finance = json.loads((var / "demo-users.json").read_text())["finance"]
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    browser.addheaders = [("Accept", "text/html")]
    form = browser.open(f"{base}/login?next=/budget/", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"username": finance["username"], "csrf_token": token,
                                   "password": finance["password"], "next": "/budget/"})  # fmt: skip
    page = browser.open(f"{base}/login", body.encode(), timeout=10)
    assert page.geturl().endswith("/budget/")  # redirected back, signed in
    text = page.read().decode()
    assert "demo-finance" in text and "API 문서" in text
    css = browser.open(
        f"{base}/budget/static/common/vendor/krds/resources/css/component/output.css"
    )
    assert css.status == 200
