"""Idempotent consumer: each handler applies an envelope at most once.

The inbox row (message id, handler) is written first in the handler's own transaction,
so a concurrent second delivery waits on it and then fails on the key; a later
redelivery finds it and does nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .db import Database
from .envelope import Envelope, InvalidMessage
from .messaging import Subscription
from .tables import CommonTables

log = structlog.get_logger(__name__)


class Consumer:
    def __init__(self, db: Database, tables: CommonTables, subscriptions: Sequence[Subscription]):
        self.db = db
        self.inbox = tables.inbox
        self.subscriptions = tuple(subscriptions)

    def handlers_for(self, event_type: str) -> list[Subscription]:
        return [s for s in self.subscriptions if s.matches(event_type)]

    def deliver(self, data: Any) -> int:
        """Apply the envelope with every matching handler; returns how many applied now.

        Raises InvalidMessage for a message no retry can fix; anything else is
        transient and the caller retries.
        """
        envelope = Envelope.from_dict(data)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(correlation_id=envelope.id, type=envelope.type)
        applied = 0
        for sub in self.handlers_for(envelope.type):
            if self._apply(sub, envelope):
                applied += 1
        return applied

    def _applied(self, sub: Subscription, envelope: Envelope) -> bool:
        with self.db.read() as session:
            return (
                session.scalar(
                    select(self.inbox.c.message_id).where(
                        self.inbox.c.message_id == envelope.id, self.inbox.c.handler == sub.name
                    )
                )
                is not None
            )

    def _apply(self, sub: Subscription, envelope: Envelope) -> bool:
        # No read first: a message already applied fails on the inbox's primary key, the
        # first statement of the transaction, before the handler runs (one transaction per
        # message, not a read and then a write).
        try:
            with self.db.transaction() as session:
                session.execute(
                    self.inbox.insert().values(
                        message_id=envelope.id, handler=sub.name, type=envelope.type
                    )
                )
                session.flush()
                sub.handler(session, envelope)
                _fault("before_commit")
        except IntegrityError:
            if not self._applied(sub, envelope):
                raise  # the handler's own conflict, not a duplicate: retry, then dead letter
            log.info("inbox.duplicate", handler=sub.name, type=envelope.type)
            return False
        _fault("after_commit")
        log.info("inbox.applied", handler=sub.name, type=envelope.type)
        return True


class InjectedFault(RuntimeError):
    """Raised by MESSAGING_FAULT=<point>:raise (tests only)."""


def _fault(point: str) -> None:
    """Test-only fault injection, unset in any real deployment.

    MESSAGING_FAULT=<point>:<seconds> pauses there (to kill a worker at a known moment);
    MESSAGING_FAULT=<point>:raise fails there (to exhaust retries).
    """
    spec = os.environ.get("MESSAGING_FAULT", "")
    if not spec.startswith(point + ":"):
        return
    action = spec.split(":", 1)[1]
    if action == "raise":
        raise InjectedFault(point)
    time.sleep(float(action))


__all__ = ["Consumer", "InvalidMessage"]
