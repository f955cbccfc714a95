"""The two consumers of bench/event_path.py, doing the same work: one row written in their
own database per message (its id, when it was sent, when the handler ran).

- ``bench.write_row``: a bare Celery task (no outbox, no inbox, no envelope).
- ``benchsink``: a service built like ours (``create_service_app``), subscribed to
  ``benchsource.thing_happened``: inbox row and the same one row, in one transaction.

Workers: ``celery -A bench._event_sink worker -Q bench_baseline`` and ``-Q benchsink``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import Column, Float, MetaData, String, Table, create_engine

from services.common.db import Database
from services.common.messaging import Subscription
from services.common.runtime import ServiceSpec
from services.common.tables import define_common_tables

metadata = MetaData()
received = Table(
    "received",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("sent_at", Float, nullable=False),
    Column("handled_at", Float, nullable=False),
)
common = define_common_tables(metadata)


def write_row(session, message_id: str, sent_at: float) -> None:
    """The handler work both sides do."""
    session.execute(
        received.insert().values(id=message_id, sent_at=sent_at, handled_at=time.time())
    )


def _on_event(session, envelope) -> None:
    write_row(session, envelope.payload["i"], envelope.payload["sent_at"])


SINK = ServiceSpec(
    name="benchsink",
    title="bench sink",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
    subscriptions=(Subscription("benchsource.thing_happened", _on_event, "benchsink.write"),),
)
SOURCE = ServiceSpec(
    name="benchsource",
    title="bench source",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
)


def create_schema(url: str) -> None:
    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()


def _celery():
    """The worker's Celery app: the sink service, plus the bare task on the same broker."""
    from services.common.app import create_service_app

    app = create_service_app(SINK)
    celery_app = app.extensions["celery"]
    baseline_db = Database(os.environ["BASELINE_DATABASE_URL"])

    @celery_app.task(name="bench.write_row", acks_late=True, ignore_result=True)
    def bare(message_id: str, sent_at: float) -> None:
        with baseline_db.transaction() as session:
            write_row(session, message_id, sent_at)

    return celery_app


if os.environ.get("BENCH_SINK_WORKER") == "1":
    celery = _celery()
