"""Idempotency-Key: the first answer to a key is the answer to every repeat of it.

The key row, with its answer, is written in the use case's own transaction (by the use
case itself, before it locks the balances it posts to, or at the end): a concurrent repeat
fails on the key (PostgreSQL waits for the first to commit; SQLite queues writers), its
transaction is undone and the stored answer is returned instead. Only answers are
stored (success and refusal for lack of funds); an error that rolls back (unknown
program, bad input) leaves the key free. A repeat whose use case refuses because the
first one already happened (nothing left to release) gets the first answer too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.db import insert_of
from services.common.tables import utcnow

from ..adapters.orm import idempotency_keys
from ..domain.commands import Conflict
from ..domain.model import DomainError

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


def remember(session: Session, status: int, answer: dict[str, Any]):
    """The INSERT that stores the key with its answer, for the use case to execute with
    its other writes before it locks what it posts to; None outside ``run_once`` (event
    handlers use the inbox instead)."""
    context = session.info.get("idempotency")
    if context is None:
        return None
    session.info["idempotency_answer"] = (status, answer)
    return _row(*context, status, answer)


_KEY = insert_of(idempotency_keys, "k")


def _row(scope: str, key: str, digest: str, status: int, answer: dict[str, Any]) -> tuple:
    """(INSERT, parameters) of the key with its answer."""
    return _KEY, {"k_scope": scope, "k_key": key, "k_request_hash": digest,
                  "k_status_code": status, "k_response": answer, "k_created_at": utcnow()}  # fmt: skip


def forget(session: Session):
    """The DELETE that takes back the answer ``remember`` stored (the use case refused
    after all); ``run_once`` then stores the final one."""
    session.info.pop("idempotency_answer", None)
    scope, key, _digest = session.info["idempotency"]
    t = idempotency_keys.c
    return delete(idempotency_keys).where(t.scope == scope, t.key == key)


def run_once(
    runtime, scope: str, key: str, body: dict[str, Any], action: Callable[[Session], Answer]
) -> tuple[int, dict[str, Any], bool]:
    """(status, body, replayed): run ``action`` once per (scope, key)."""
    digest = request_hash(body)
    try:  # no read first: a known key fails on its primary key, then its answer is read
        with runtime.db.transaction() as session:
            session.info["idempotency"] = (scope, key, digest)
            status, answer = action(session)
            if session.info.get("idempotency_answer") != (status, answer):
                session.execute(*_row(scope, key, digest, status, answer))
    except IntegrityError:
        row = _stored(runtime, scope, key)
        if row is None:
            raise
        return (*_replay(row, digest), True)
    except DomainError:  # a repeat the first answer made impossible (nothing left to
        row = _stored(runtime, scope, key)  # release, already reversed): that answer
        if row is None:
            raise
        return (*_replay(row, digest), True)
    return status, answer, False
