"""Transactional outbox: the event row commits with the state change; a relay publishes it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from typing import Any

import structlog
from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from .db import Database, insert_of
from .envelope import Envelope
from .tables import CommonTables, utcnow

log = structlog.get_logger(__name__)
Publish = Callable[[dict[str, Any]], None]


def emit(
    session: Session,
    tables: CommonTables,
    producer: str,
    event_type: str,
    payload: dict[str, Any],
    version: int = 1,
) -> Envelope:
    """Write the event in the caller's transaction; it is published after commit."""
    envelope, (statement, params) = prepare(session, tables, producer, event_type, payload, version)
    session.execute(statement, params)
    return envelope


def prepare(
    session: Session,
    tables: CommonTables,
    producer: str,
    event_type: str,
    payload: dict[str, Any],
    version: int = 1,
):
    """(envelope, (INSERT, parameters)) of an outbox row, for the caller to execute with
    its other writes (``db.execute_all``); published after commit like any emitted one."""
    envelope = Envelope(type=event_type, payload=payload, producer=producer, version=version)
    data = envelope.to_dict()
    params = {"o_id": envelope.id, "o_type": envelope.type, "o_version": envelope.version,
              "o_envelope": data, "o_created_at": envelope.occurred_at, "o_attempts": 0}  # fmt: skip
    session.info.setdefault("outbox", []).append(data)
    return envelope, (_insert(tables.outbox), params)


@lru_cache(maxsize=16)
def _insert(outbox: Table):
    """The outbox INSERT of one service's table, built once (bind parameters ``o_*``)."""
    return insert_of(outbox, "o", ("id", "type", "version", "envelope", "created_at", "attempts"))


class Relay:
    """Publishes outbox rows: right after commit, and by a periodic sweep.

    A row is marked published only after the broker took it, so a crash or a broker
    outage between commit and publish loses nothing: the sweep sends it later. The
    price is a possible second publish, which the consumers' inbox absorbs.
    """

    def __init__(self, db: Database, tables: CommonTables, publish: Publish, grace: float):
        self.db = db
        self.outbox = tables.outbox
        self.publish = publish
        self.grace = timedelta(seconds=grace)

    def after_commit(self, _session: Session, envelopes: list[dict[str, Any]]) -> None:
        """Publish what a transaction just committed, in the order it was written."""
        try:
            self._send(envelopes)
        except Exception as exc:  # the sweep will retry; the request must not fail
            log.warning("outbox.publish_deferred", count=len(envelopes), error=type(exc).__name__)

    def sweep(self, limit: int = 500) -> int:
        """Publish rows older than the grace period that are still unpublished."""
        cutoff = utcnow() - self.grace
        with self.db.read() as session:
            envelopes = session.scalars(
                select(self.outbox.c.envelope)
                .where(self.outbox.c.published_at.is_(None), self.outbox.c.created_at <= cutoff)
                .order_by(self.outbox.c.created_at)
                .limit(limit)
            ).all()
        try:
            return self._send(envelopes)
        except Exception as exc:
            with self.db.transaction() as session:
                session.execute(
                    update(self.outbox)
                    .where(self.outbox.c.id.in_([e["id"] for e in envelopes]))
                    .where(self.outbox.c.published_at.is_(None))
                    .values(attempts=self.outbox.c.attempts + 1, last_error=repr(exc)[:500])
                )
            raise

    def pending(self) -> int:
        with self.db.read() as session:
            return session.scalar(
                select(func.count())
                .select_from(self.outbox)
                .where(self.outbox.c.published_at.is_(None))
            )

    def _send(self, envelopes: list[dict[str, Any]]) -> int:
        sent = []
        try:
            for envelope in envelopes:
                self.publish(envelope)
                sent.append(envelope["id"])
                log.info("outbox.published", message_id=envelope["id"], type=envelope["type"])
        finally:
            if sent:  # one write for the batch; a crash before it means a re-send, not a loss
                with self.db.transaction() as session:
                    session.execute(
                        update(self.outbox)
                        .where(self.outbox.c.id.in_(sent))
                        .values(published_at=utcnow(), attempts=self.outbox.c.attempts + 1)
                    )
        return len(sent)
