"""Devices as principals: each has its own token, shown once, stored hashed, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update

from services.common.problems import Problem
from services.common.runtime import Runtime
from services.common.tables import utcnow

from ..adapters.orm import devices, stores

KINDS = ("smoke", "heat", "flame", "multi")
CACHE_SECONDS = 2.0  # a revoked token is refused within this long everywhere


@dataclass(frozen=True)
class DeviceIdentity:
    id: str
    serial: str
    store_id: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_token() -> tuple[str, str, str]:
    token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24)
    return token_id, _hash(secret), f"dev_{token_id}_{secret}"


def provision(runtime: Runtime, serial: str, store_id: str, kind: str, installed_at) -> dict:
    token_id, token_hash, token = _new_token()
    device_id = str(uuid.uuid4())
    with runtime.db.transaction() as session:
        if session.scalar(select(stores.c.id).where(stores.c.id == store_id)) is None:
            raise Problem(422, "없는 점포입니다. store_id를 확인해 주세요.")
        if session.scalar(select(devices.c.id).where(devices.c.serial == serial)):
            raise Problem(409, f"이미 등록된 일련번호입니다: {serial}")
        session.execute(
            devices.insert().values(
                id=device_id, serial=serial, store_id=store_id, kind=kind,
                installed_at=installed_at, token_id=token_id, token_hash=token_hash,
                status="online",
            )
        )  # fmt: skip
    return {"id": device_id, "serial": serial, "store_id": store_id, "token": token}


def rotate(runtime: Runtime, device_id: str) -> dict:
    token_id, token_hash, token = _new_token()
    with runtime.db.transaction() as session:
        row = session.execute(select(devices).where(devices.c.id == device_id)).first()
        if row is None:
            raise Problem(404, "없는 기기입니다.")
        session.execute(
            update(devices)
            .where(devices.c.id == device_id)
            .values(token_id=token_id, token_hash=token_hash, token_revoked_at=None)
        )
    return {"id": device_id, "serial": row.serial, "store_id": row.store_id, "token": token}


def revoke(runtime: Runtime, device_id: str) -> None:
    with runtime.db.transaction() as session:
        done = session.execute(
            update(devices)
            .where(devices.c.id == device_id, devices.c.token_revoked_at.is_(None))
            .values(token_revoked_at=utcnow())
        ).rowcount
    if not done:
        raise Problem(404, "없는 기기이거나 이미 폐기된 토큰입니다.")


class DeviceAuth:
    """Token → device, with a short cache (ingest sees many readings per device)."""

    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self._cache: dict[str, tuple[float, DeviceIdentity | None]] = {}
        self._lock = threading.Lock()

    def verify(self, token: str) -> DeviceIdentity | None:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(token)
        if hit and now - hit[0] < CACHE_SECONDS:
            return hit[1]
        found = self._lookup(token)
        with self._lock:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[token] = (now, found)
        return found

    def _lookup(self, token: str) -> DeviceIdentity | None:
        return lookup(self.runtime.db, token)


def lookup(db, token: str) -> DeviceIdentity | None:
    """The device a token names, if the token is well formed, current and not revoked."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "dev" or len(token) > 200:
        return None
    with db.read() as session:
        row = session.execute(
            select(devices.c.id, devices.c.serial, devices.c.store_id, devices.c.token_hash,
                   devices.c.token_revoked_at).where(devices.c.token_id == parts[1])
        ).first()  # fmt: skip
    if row is None or row.token_revoked_at is not None:
        return None
    if not hmac.compare_digest(row.token_hash or "", _hash(parts[2])):
        return None
    return DeviceIdentity(row.id, row.serial, row.store_id)
