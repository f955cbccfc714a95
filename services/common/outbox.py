"""Transactional outbox: the event row commits with the state change; a relay publishes it."""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from typing import Any

import structlog
from sqlalchemy import Table, bindparam, func, select, update
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
    its other writes (``db.execute_all``); published after commit like any emitted one.
    The n-th row of a transaction has parameters of its own (``o_*``, then ``o1_*``, …),
    so several go in one ``execute_all``."""
    envelope = Envelope(type=event_type, payload=payload, producer=producer, version=version)
    data = envelope.to_dict()
    emitted = session.info.setdefault("outbox", [])
    prefix = f"o{len(emitted) or ''}"
    values = {"id": envelope.id, "type": envelope.type, "version": envelope.version,
              "envelope": data, "created_at": envelope.occurred_at, "attempts": 0}  # fmt: skip
    emitted.append(data)
    return envelope, (
        _insert(tables.outbox, prefix),
        {f"{prefix}_{k}": v for k, v in values.items()},
    )


@lru_cache(maxsize=64)
def _insert(outbox: Table, prefix: str):
    """The outbox INSERT of one service's table, built once per parameter prefix."""
    return insert_of(
        outbox, prefix, ("id", "type", "version", "envelope", "created_at", "attempts")
    )


class Relay:
    """Publishes outbox rows: right after commit, and by a periodic sweep.

    A row is marked published only after the broker took it, so a crash or a broker
    outage between commit and publish loses nothing: the sweep sends it later. The
    price is a possible second publish, which the consumers' inbox absorbs.

    What the after-commit path published is marked by one background thread per process,
    in batches (``Marks``): the request that committed does not wait for a second write
    transaction (on SQLite, a second turn of the write lock and a second WAL sync), and
    many marks share one. A process that dies before its marks are written leaves rows
    the sweep sends again after the grace period: a re-send, never a loss, as before.
    """

    def __init__(self, db: Database, tables: CommonTables, publish: Publish, grace: float):
        self.db = db
        self.outbox = tables.outbox
        self.publish = publish
        self.grace = timedelta(seconds=grace)
        self.marks = Marks(self._mark)

    def after_commit(self, _session: Session, envelopes: list[dict[str, Any]]) -> None:
        """Publish what a transaction just committed, in the order it was written."""
        sent: list[str] = []
        try:
            self._publish_all(envelopes, sent)
        except Exception as exc:  # the sweep will retry; the request must not fail
            log.warning("outbox.publish_deferred", count=len(envelopes), error=type(exc).__name__)
        finally:
            self.marks.add(sent)

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
        sent: list[str] = []
        try:
            try:
                self._publish_all(envelopes, sent)
            finally:
                self._mark(sent)  # a crash before this means a re-send, not a loss
            return len(sent)
        except Exception as exc:  # what the broker did not take: counted, with the error
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

    def flush(self) -> None:
        """Write the marks this process still holds (tests, and a clean shutdown)."""
        self.marks.flush()

    def _publish_all(self, envelopes: list[dict[str, Any]], sent: list[str]) -> None:
        for envelope in envelopes:
            self.publish(envelope)
            sent.append(envelope["id"])
            log.info("outbox.published", message_id=envelope["id"], type=envelope["type"])

    def _mark(self, ids: list[str]) -> None:
        if not ids:
            return
        with self.db.transaction() as session:
            session.execute(_marked(self.outbox), {"ids": ids, "now": utcnow()})


@lru_cache(maxsize=16)
def _marked(outbox: Table):
    """The "published" UPDATE of one service's outbox, built once."""
    o = outbox.c
    return (
        update(outbox)
        .where(o.id.in_(bindparam("ids", expanding=True)))
        .values(published_at=bindparam("now"), attempts=o.attempts + 1)
    )


class Marks:
    """Ids to mark published, written in batches by one daemon thread of this process.

    ``add`` returns at once; the thread waits ``window`` seconds after the first id of a
    batch, so that the ids of concurrent requests share one write. On exit (and on
    ``flush``) what is left is written. After a fork the child starts its own thread.
    """

    def __init__(self, write: Callable[[list[str]], None], window: float = 0.1):
        self.write = write
        self.window = window
        self._pid = -1
        self._starting = threading.Lock()
        atexit.register(self.flush)

    def add(self, ids: list[str]) -> None:
        if not ids:
            return
        if self._pid != os.getpid():
            with self._starting:
                if self._pid != os.getpid():
                    self._start()
        with self._lock:
            self._ids.extend(ids)
        self._wake.set()

    def flush(self) -> None:
        if self._pid != os.getpid():
            return  # nothing added in this process
        with self._writing:
            with self._lock:
                ids, self._ids = self._ids, []
            for start in range(0, len(ids), 500):
                batch = ids[start : start + 500]
                try:
                    self.write(batch)
                except Exception as exc:  # the sweep will send these again
                    log.warning("outbox.mark_failed", count=len(batch), error=type(exc).__name__)

    def _start(self) -> None:
        self._pid = os.getpid()
        self._ids: list[str] = []
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._wake = threading.Event()
        threading.Thread(target=self._run, name="outbox-marks", daemon=True).start()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            time.sleep(self.window)  # let the batch gather
            self.flush()
