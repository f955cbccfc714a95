"""Redis transport for kombu with the topic exchange's routing table kept for a second.

kombu's Redis transport routes a message sent to a topic exchange by reading the
exchange's bindings from Redis first (SMEMBERS, with a new client object): on every
publish, over half the cost of the send. Bindings change only when a consumer declares
its queues (``make run`` and deployment declare them all before any service starts), so
each connection keeps the table for ``TABLE_SECONDS`` and drops it at once when it binds
a queue itself. A binding made by another process is seen within that second.
"""

from __future__ import annotations

import time

from kombu.transport import redis as kombu_redis

TABLE_SECONDS = 1.0
PATH = f"{__name__}:Transport"  # Celery's broker_transport


class Channel(kombu_redis.Channel):
    def get_table(self, exchange):
        tables = self.connection.routing_tables
        kept = tables.get(exchange)
        now = time.monotonic()
        if kept is not None and kept[0] > now:
            return kept[1]
        table = super().get_table(exchange)
        tables[exchange] = (now + TABLE_SECONDS, table)
        return table

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        self.connection.routing_tables.pop(exchange, None)
        return super()._queue_bind(exchange, routing_key, pattern, queue)


class Transport(kombu_redis.Transport):
    Channel = Channel

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.routing_tables: dict[str, tuple[float, list]] = {}


def transport_for(url: str) -> str | None:
    """This transport for a plain redis:// or rediss:// URL; kombu's choice otherwise."""
    return PATH if url.split("://", 1)[0] in ("redis", "rediss") else None
