"""Test infrastructure: databases, migrated apps, tokens and Celery worker processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa

from services.common.auth import ROLES, TokenStore, split_token
from services.common.config import SERVICES

ROOT = Path(__file__).resolve().parents[2]


def test_redis_url() -> str | None:
    url = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")
    if not url:
        return None
    parts = urlsplit(url)
    # A dedicated logical database keeps test queues apart from a running system.
    return urlunsplit(parts._replace(path="/15")) if not os.environ.get("TEST_REDIS_URL") else url


def _pg_admin_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL")


def create_databases(run_id: str, var: Path, names=(*SERVICES, "probe")) -> dict[str, str]:
    admin = _pg_admin_url()
    if not admin:
        return {s: f"sqlite:///{var / (s + '.db')}" for s in names}
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    urls = {}
    with engine.connect() as conn:
        for service in names:
            name = f"t_{run_id}_{service}"
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            urls[service] = str(
                sa.engine.make_url(admin).set(database=name).render_as_string(False)
            )
    engine.dispose()
    return urls


def drop_databases(urls: dict[str, str]) -> None:
    admin = _pg_admin_url()
    if not admin:
        return
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for url in urls.values():
            name = sa.engine.make_url(url).database
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


class ServiceStack:
    """The four Flask apps on their own databases, migrated, with a token per role."""

    def __init__(self, env: dict[str, str]):
        from deploy.manage import spec_of
        from services.common.migrate import upgrade

        self.env = env
        os.environ.update(env)  # the apps read settings from the environment
        self.apps = {}
        for service in SERVICES:
            upgrade(spec_of(service), env[f"{service.upper()}_DATABASE_URL"])
            module = __import__(f"services.{service}", fromlist=["create_app"])
            self.apps[service] = module.create_app(env)
        # Every queue bound before any test publishes, as make run and the compose init do
        # before any service runs (publishers keep the bindings they read for a second).
        for service in SERVICES:
            self.runtime(service).declare_queues()
        self.tokens = self._issue_tokens()

    def _issue_tokens(self) -> dict[str, str]:
        tokens = {}
        for role in ROLES:
            first = None
            for service in SERVICES:
                store: TokenStore = self.apps[service].extensions["tokens"]
                if first is None:
                    first = store.issue(f"test-{role}", role)
                else:
                    token_id, secret_hash = split_token(first)
                    store.store(token_id, f"test-{role}", role, secret_hash)
            tokens[role] = first
        return tokens

    def runtime(self, service: str):
        return self.apps[service].extensions["runtime"]

    def client(self, service: str):
        return self.apps[service].test_client()

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def close(self) -> None:
        for app in self.apps.values():
            app.extensions["runtime"].db.dispose()


class WorkerProcess:
    """A real Celery worker in its own process group (so SIGKILL takes it all)."""

    def __init__(self, service: str, queue: str, env: dict[str, str], module: str | None = None):
        self.service = service
        self.queue = queue
        self.module = module or f"services.{service}.worker"
        self.env = {**os.environ, **env}
        self.env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests" / "support")])
        self.proc: subprocess.Popen | None = None
        self.log = Path(env["VAR_DIR"]) / f"worker-{queue}-{uuid.uuid4().hex[:6]}.log"

    def start(self) -> None:
        cmd = [
            sys.executable, "-m", "celery",
            "-A", self.module,
            "worker", "-Q", self.queue,
            "-n", f"{self.queue}-{uuid.uuid4().hex[:6]}@%h",
            "--concurrency", "1", "--pool", "prefork",
            "--without-gossip", "--without-mingle", "--loglevel", "INFO",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited: {self.log.read_text()[-3000:]}")
            if " ready." in self.log.read_text():
                return
            time.sleep(0.1)
        raise TimeoutError(f"worker not ready: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
