"""What a published event's message carries beside its body: its type and id, not a copy
of the payload (Celery would otherwise repr the whole envelope into the headers)."""

from __future__ import annotations

import pytest
from kombu import Queue

from services.common.envelope import Envelope

pytestmark = pytest.mark.integration


def _message(runtime, queue: str, message_id: str):
    with runtime.celery.connection_for_read() as conn:
        bound = Queue(queue)(conn.default_channel)
        while (message := bound.get(no_ack=False)) is not None:
            message.ack()
            if message.headers.get("id") == message_id:
                return message
    return None


def test_the_headers_name_the_event_without_its_payload(stack):
    from probe import create_app

    runtime = create_app(stack.env).extensions["runtime"]
    runtime.declare_queues()
    envelope = Envelope("probe.bulk_happened", {"phone": "010-9876-5432"}, "test").to_dict()

    runtime.publish(envelope)

    message = _message(runtime, "probe", envelope["id"])
    assert message is not None
    assert message.headers["argsrepr"] == f"[probe.bulk_happened {envelope['id']}]"
    assert "9876" not in repr(message.headers)
    assert message.decode()[0] == [envelope]  # the body is the envelope, whole
