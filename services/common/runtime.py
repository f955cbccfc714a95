"""What one service is (its spec) and what it runs on (its runtime)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from celery import Celery
from flask_smorest import Blueprint
from sqlalchemy import MetaData
from sqlalchemy.orm import Session

from .config import Settings
from .db import Database
from .deadletters import DeadLetters
from .envelope import Envelope
from .inbox import Consumer
from .messaging import (
    DELIVER_TASK,
    EVENTS,
    Subscription,
    direct_options,
    named,
    publish_options,
)
from .outbox import Relay, emit, prepare
from .retention import Step, purge
from .tables import CommonTables


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    metadata: MetaData
    tables: CommonTables
    package_dir: Path
    blueprints: Sequence[Blueprint] = ()
    subscriptions: Sequence[Subscription] = ()
    register_tasks: Callable[[Celery, Runtime], None] | None = None
    seed_demo: Callable[[Runtime], Any] | None = None
    emergency: bool = False  # has an emergency queue and worker (alarms)
    # Extra bearer-token verifiers (e.g. markets' devices): factories of (token) -> principal.
    bearer_verifiers: Sequence[Callable[[Runtime], Callable[[str], Any]]] = ()
    retention: Step | None = None  # the service's own retention step (see common.retention)
    extras: dict[str, Any] = field(default_factory=dict)
    # People's pages (plain Flask blueprints under /<name>/), and the start page's links.
    pages: Sequence[Blueprint] = ()
    page_links: Sequence[tuple[str, str]] = ()


class Runtime:
    """The service's settings, database, broker and messaging, built once per app."""

    def __init__(self, spec: ServiceSpec, settings: Settings):
        self.spec = spec
        self.settings = settings
        self.db = Database(settings.database_url)
        self.celery: Celery | None = None
        self.consumer = Consumer(self.db, spec.tables, spec.subscriptions)
        self.dead_letters = DeadLetters(self.db, spec.tables)
        self.relay = Relay(self.db, spec.tables, self.publish, settings.outbox_grace_seconds)
        self.db.after_commit.append(self.relay.after_commit)

    def emit(
        self, session: Session, event_type: str, payload: dict[str, Any], version: int = 1
    ) -> Envelope:
        return emit(session, self.spec.tables, self.spec.name, event_type, payload, version)

    def prepare(self, session: Session, event_type: str, payload: dict[str, Any], version: int = 1):
        """(envelope, (INSERT, parameters)) of an outbox row the caller executes with its
        other writes (``db.execute_all``)."""
        return prepare(session, self.spec.tables, self.spec.name, event_type, payload, version)

    def publish(self, envelope: dict[str, Any]) -> None:
        assert self.celery is not None
        self.celery.send_task(
            DELIVER_TASK, args=[envelope], retry=False, **publish_options(envelope)
        )

    def purge_retention(self) -> dict:
        days = self.settings.retention_days
        return purge(self.db, self.spec.tables, days, self.spec.retention)

    def replay(self, dead_letter_id: str, user: str) -> bool:
        """Send a dead letter back to this service's own queue (not to other subscribers)."""
        row = self.dead_letters.get(dead_letter_id)
        if row is None or not self.dead_letters.mark_replayed(dead_letter_id, user):
            return False
        assert self.celery is not None
        queue = self.spec.name
        if any(s.emergency for s in self.consumer.handlers_for(row["type"])):
            queue = f"{queue}.emergency"
        try:
            self.celery.send_task(
                DELIVER_TASK, args=[row["envelope"]], retry=False,
                **direct_options(queue), **named(row["envelope"]),
            )  # fmt: skip
        except Exception:
            self.dead_letters.unmark_replayed(dead_letter_id)
            raise
        return True

    def declare_queues(self) -> None:
        """Declare this service's queues and bindings, so events published before its
        first worker starts are kept for it."""
        assert self.celery is not None
        with self.celery.connection_for_write() as conn:
            channel = conn.default_channel
            EVENTS(channel).declare()
            for queue in self.celery.conf.task_queues:
                queue(channel).declare()
