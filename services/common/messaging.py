"""Routing of events: a topic exchange, consumer-declared subscriptions, per-service queues.

A producer publishes an envelope to the ``events`` topic exchange with the event type as
routing key. A consumer declares which types it reads by binding its own queue (or its
emergency queue) to that exchange, so adding a subscriber changes no producer code. Every
consumer registers one task under the same name, ``events.deliver``, on its own worker.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kombu import Exchange, Queue, binding
from sqlalchemy.orm import Session

from .envelope import Envelope

EVENTS = Exchange("events", type="topic", durable=True)
DELIVER_TASK = "events.deliver"

Handler = Callable[[Session, Envelope], None]


@dataclass(frozen=True)
class Subscription:
    """``pattern`` is an AMQP topic pattern (``*`` one word, ``#`` any words)."""

    pattern: str
    handler: Handler
    name: str
    emergency: bool = False

    def matches(self, event_type: str) -> bool:
        return topic_regex(self.pattern).match(event_type) is not None


@lru_cache(maxsize=256)
def topic_regex(pattern: str) -> re.Pattern[str]:
    words = {"*": r"[^.]+", "#": r".*?"}
    return re.compile(
        "^" + r"\.".join(words.get(w, re.escape(w)) for w in pattern.split(".")) + "$"
    )


def emergency_queue(service: str) -> str:
    return f"{service}.emergency"


def service_queues(
    service: str, subscriptions: Sequence[Subscription], emergency: bool = False
) -> list[Queue]:
    """The service's bulk queue and, if it has urgent work, its emergency queue."""
    lanes = [(service, False)]
    if emergency or any(s.emergency for s in subscriptions):
        lanes.append((emergency_queue(service), True))
    queues = []
    for name, urgent in lanes:
        own = Exchange(name, type="direct", durable=True)
        bindings = [binding(own, routing_key=name)]
        bindings += [
            binding(EVENTS, routing_key=s.pattern) for s in subscriptions if s.emergency is urgent
        ]
        queues.append(Queue(name, bindings=bindings, durable=True))
    return queues


def publish_options(envelope: dict) -> dict:
    return {
        "exchange": EVENTS,
        "routing_key": envelope["type"],
        "declare": [EVENTS],
        "task_id": envelope["id"],
        **named(envelope),
    }


def named(envelope: dict) -> dict:
    """The task's argsrepr: the envelope's type and id, not its payload. Celery would put a
    repr of the whole envelope (recipients' addresses included) in every message's headers,
    where monitoring (Flower) shows it, and spend more time on that repr than on the send."""
    return {"argsrepr": f"[{envelope.get('type')} {envelope.get('id')}]", "kwargsrepr": "{}"}


def direct_options(queue: str) -> dict:
    own = Exchange(queue, type="direct", durable=True)
    return {"exchange": own, "routing_key": queue, "declare": [own]}
