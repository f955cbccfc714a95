"""Idempotency-Key: the first answer to a key is the answer to every repeat of it.

The key row is inserted first in the use case's own transaction, so a concurrent
repeat waits on it (PostgreSQL) or queues behind it (SQLite) and then finds the stored
answer. Only answers are stored (success and refusal for lack of funds); an error that
rolls back (unknown program, bad input) leaves the key free.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..adapters.orm import idempotency_keys
from ..domain.commands import Conflict

Answer = tuple[int, dict[str, Any]]


class KeyReused(Conflict):
    def __init__(self):
        super().__init__(
            "같은 Idempotency-Key로 내용이 다른 요청이 이미 처리되었습니다. 새 키를 사용해 주세요."
        )


def request_hash(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _stored(runtime, scope: str, key: str):
    with runtime.db.read() as session:
        return session.execute(
            select(idempotency_keys).where(
                idempotency_keys.c.scope == scope, idempotency_keys.c.key == key
            )
        ).first()


def _replay(row, digest: str) -> Answer:
    if row.request_hash != digest:
        raise KeyReused()
    return row.status_code, row.response


def run_once(
    runtime, scope: str, key: str, body: dict[str, Any], action: Callable[[Session], Answer]
) -> tuple[int, dict[str, Any], bool]:
    """(status, body, replayed): run ``action`` once per (scope, key)."""
    digest = request_hash(body)
    try:  # no read first: a known key fails on its primary key and is then read
        with runtime.db.transaction() as session:
            t = idempotency_keys.c
            session.execute(
                idempotency_keys.insert().values(
                    scope=scope, key=key, request_hash=digest, status_code=0
                )
            )
            status, answer = action(session)
            session.execute(
                update(idempotency_keys)
                .where(t.scope == scope, t.key == key)
                .values(status_code=status, response=answer)
            )
    except IntegrityError:
        row = _stored(runtime, scope, key)
        if row is None:
            raise
        return (*_replay(row, digest), True)
    return status, answer, False
