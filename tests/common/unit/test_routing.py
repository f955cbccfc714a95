import pytest
from hypothesis import given
from hypothesis import strategies as st
from kombu.transport.virtual.exchange import TopicExchange

from services.common.celery_app import backoff
from services.common.messaging import Subscription, service_queues, topic_regex

word = st.from_regex(r"\A[a-z_]{1,6}\Z")
keys = st.lists(word, min_size=1, max_size=4).map(".".join)
patterns = st.lists(word | st.just("*") | st.just("#"), min_size=1, max_size=4).map(".".join)


@given(patterns, keys)
def test_topic_matching_agrees_with_kombu(pattern, key):
    kombu = TopicExchange(channel=None)
    expected = bool(kombu._match(kombu.key_to_pattern(pattern), key))
    assert bool(topic_regex(pattern).match(key)) == expected


def _noop(session, envelope):
    return None


def test_queues_bind_subscriptions_to_their_lane():
    subs = [
        Subscription("applicants.#", _noop, "n.applicants"),
        Subscription("markets.alarm_raised", _noop, "n.alarm", emergency=True),
    ]
    bulk, urgent = service_queues("notifications", subs)
    assert bulk.name == "notifications" and urgent.name == "notifications.emergency"
    assert {b.routing_key for b in bulk.bindings} == {"notifications", "applicants.#"}
    assert {b.routing_key for b in urgent.bindings} == {
        "notifications.emergency",
        "markets.alarm_raised",
    }


def test_no_emergency_queue_without_urgent_work():
    assert [q.name for q in service_queues("budget", [])] == ["budget"]
    assert [q.name for q in service_queues("markets", [], emergency=True)] == [
        "markets",
        "markets.emergency",
    ]


@pytest.mark.parametrize("retries", range(12))
def test_backoff_is_bounded_exponential_with_jitter(retries):
    values = [backoff(retries) for _ in range(50)]
    assert all(0 <= v <= min(300, 2**retries) for v in values)
    assert len(set(values)) > 1
