"""Retention: what has done its job is deleted after a period (RETENTION_DAYS, default 30).

Published outbox rows and inbox ids older than the period go; a service may add its own
step (notifications blanks the bodies of old finished deliveries). The period must stay
well above the longest redelivery window (the visibility timeout, an hour, plus retries),
so a redelivered message still finds its inbox id and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import structlog
from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from .db import Database
from .tables import CommonTables, utcnow

log = structlog.get_logger(__name__)
BATCH = 1000
# A service's own step: (session, cutoff) -> rows changed in one batch (0 when done).
Step = Callable[[Session, datetime], int]


def _delete_batch(session: Session, table: Table, key, stamp, cutoff: datetime, *keep) -> int:
    old = select(key).where(stamp < cutoff, *keep).limit(BATCH)
    return session.execute(delete(table).where(key.in_(old), stamp < cutoff)).rowcount


def purge(db: Database, tables: CommonTables, days: int, extra: Step | None = None) -> dict:
    """Delete in batches, one short transaction each, so no lock is held for long."""
    cutoff = utcnow() - timedelta(days=days)
    outbox, inbox, dead = tables.outbox, tables.inbox, tables.dead_letters
    # A dead-lettered message may be replayed any time: the handlers that did apply it
    # must still find their inbox ids then, or the replay would apply them twice.
    replayable = inbox.c.message_id.not_in(select(dead.c.message_id))
    steps: dict[str, Step] = {
        "outbox": lambda s, c: _delete_batch(s, outbox, outbox.c.id, outbox.c.published_at, c),
        "inbox": lambda s, c: _delete_batch(
            s, inbox, inbox.c.message_id, inbox.c.applied_at, c, replayable
        ),
    }
    if extra is not None:
        steps["service"] = extra
    done = {}
    for name, step in steps.items():
        total = 0
        while True:
            with db.transaction() as session:
                changed = step(session, cutoff)
            total += changed
            if changed < BATCH:
                break
        done[name] = total
    log.info("retention.purged", days=days, **done)
    return done
