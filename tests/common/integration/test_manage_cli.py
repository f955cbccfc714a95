"""The operations CLI issues tokens valid in every service, and revokes them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from services.common.config import SERVICES

from infra import ROOT

pytestmark = pytest.mark.integration


def _manage(stack, *args):
    return subprocess.run(
        [sys.executable, "-m", "deploy.manage", *args],
        cwd=ROOT,
        env={**__import__("os").environ, **stack.env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_token_works_everywhere_until_revoked(stack):
    issued = _manage(stack, "tokens", "issue", "--role", "finance", "--name", "재무 담당")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    for service in SERVICES:
        response = stack.client(service).get(f"/{service}/api/v1/dead-letters", headers=headers)
        assert response.status_code == 403  # finance may not read dead letters: known, not 401
    listed = _manage(stack, "tokens", "list")
    assert "재무 담당" in listed.stdout and token not in listed.stdout
    revoked = _manage(stack, "tokens", "revoke", token.split("_")[1])
    assert revoked.returncode == 0
    for service in SERVICES:
        response = stack.client(service).get(f"/{service}/api/v1/dead-letters", headers=headers)
        assert response.status_code == 401


def test_cli_refuses_unknown_role(stack):
    result = _manage(stack, "tokens", "issue", "--role", "mayor", "--name", "x")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_cli_creates_a_person_who_can_sign_in(stack, tmp_path):
    from services.common.signin import create_signin_app

    env = {"ACCOUNTS_DATABASE_URL": f"sqlite:///{tmp_path}/accounts.db"}
    made = subprocess.run(
        [sys.executable, "-m", "deploy.manage", "accounts", "add", "--name", "김재무",
         "--role", "finance"],
        cwd=ROOT, env={**__import__("os").environ, **stack.env, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    password = made.stdout.split("비밀번호: ")[1].split()[0]
    accounts = create_signin_app({**stack.env, **env}).extensions["accounts"]
    assert accounts.sign_in("김재무", password).role == "finance"


def test_declare_queues_binds_every_consumer_before_any_worker_runs(stack):
    import uuid

    import redis

    prefix = f"declare-{uuid.uuid4().hex[:8]}:"  # a broker namespace no worker has seen
    done = subprocess.run(
        [sys.executable, "-m", "deploy.manage", "declare-queues"],
        cwd=ROOT, env={**__import__("os").environ, **stack.env, "BROKER_KEY_PREFIX": prefix},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    client = redis.Redis.from_url(stack.env["REDIS_URL"])
    bound = {
        m.decode().split("\x06\x16")[-1] for m in client.smembers(f"{prefix}_kombu.binding.events")
    }
    assert {"notifications", "budget", "markets.emergency", "notifications.emergency"} <= bound
