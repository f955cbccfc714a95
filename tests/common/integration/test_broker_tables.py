"""Publishers keep a topic exchange's bindings for a second: read once for many sends,
dropped at once when the same connection binds a queue, re-read after the second."""

from __future__ import annotations

import time
import uuid

import pytest
from kombu import Connection, Exchange, Queue
from kombu.transport import redis as kombu_redis

from services.common import broker

pytestmark = pytest.mark.integration


def _received(conn, queue: Queue) -> int:
    bound = queue(conn.default_channel)
    count = 0
    while bound.get(no_ack=True) is not None:
        count += 1
    return count


def test_routing_table_kept_for_a_second_and_dropped_on_a_bind(redis_url, monkeypatch):
    reads = []
    read = kombu_redis.Channel.get_table
    monkeypatch.setattr(
        kombu_redis.Channel, "get_table", lambda self, ex: reads.append(ex) or read(self, ex)
    )
    options = {"global_keyprefix": f"tables-{uuid.uuid4().hex[:8]}:"}
    exchange = Exchange("events", type="topic")
    first, second, third = (Queue(f"q{i}", exchange, routing_key="x.#") for i in (1, 2, 3))
    with (
        Connection(redis_url, transport=broker.PATH, transport_options=options) as ours,
        Connection(redis_url, transport=broker.PATH, transport_options=options) as other,
    ):
        first(ours.default_channel).declare()
        producer = ours.Producer()
        for _ in range(20):
            producer.publish({"n": 1}, exchange=exchange, routing_key="x.sent")
        assert _received(ours, first) == 20
        assert len(reads) == 1  # one read of the bindings for twenty sends

        third(ours.default_channel).declare()  # this connection binds: seen at once
        producer.publish({"n": 2}, exchange=exchange, routing_key="x.sent")
        assert [_received(ours, q) for q in (first, third)] == [1, 1]

        second(other.default_channel).declare()  # another connection binds
        time.sleep(broker.TABLE_SECONDS + 0.1)
        producer.publish({"n": 3}, exchange=exchange, routing_key="x.sent")
        assert _received(ours, second) == 1  # seen within the second
        assert [_received(ours, q) for q in (first, third)] == [1, 1]


def test_only_plain_redis_urls_get_this_transport():
    assert broker.transport_for("redis://127.0.0.1:6379/0") == broker.PATH
    assert broker.transport_for("rediss://cache.internal:6380/0") == broker.PATH
    assert broker.transport_for("sentinel://127.0.0.1:26379") is None
