"""Messages that fail validation or exhaust retries land in the dead-letter store,
which staff list and replay through the API."""

from __future__ import annotations

import pytest

from services.common.envelope import Envelope

from flows import deliveries_for, event_for, open_recruitment
from infra import wait_until

pytestmark = pytest.mark.integration


def _dead_letters(stack, message_id: str) -> list[dict]:
    response = stack.client("notifications").get(
        "/notifications/api/v1/dead-letters?include_replayed=true", headers=stack.auth("staff")
    )
    assert response.status_code == 200
    return [row for row in response.get_json() if row["message_id"] == message_id]


def test_invalid_payload_goes_to_dead_letters_without_effect(stack, worker_factory):
    worker_factory("notifications")
    bad = Envelope("applicants.recruitment_opened", {"title": "필드 누락"}, "test").to_dict()
    stack.runtime("applicants").publish(bad)

    rows = wait_until(lambda: _dead_letters(stack, bad["id"]))
    assert rows[0]["reason"] == "invalid"
    assert "recruitment_id" in rows[0]["error"]
    assert deliveries_for(stack, bad["id"]) == []


def test_malformed_envelope_is_dead_lettered(stack, worker_factory):
    worker_factory("notifications")
    bad = {"id": "not-a-uuid", "type": "applicants.recruitment_opened", "payload": {}}
    stack.runtime("applicants").celery.send_task(
        "events.deliver", args=[bad], queue="notifications", routing_key="notifications"
    )
    rows = wait_until(lambda: _dead_letters(stack, "not-a-uuid"))
    assert rows[0]["reason"] == "invalid"
    assert "envelope" in rows[0]["error"]


def test_exhausted_retries_then_staff_replay_applies_once(stack, worker_factory, unique):
    failing = worker_factory("notifications", extra_env={"MESSAGING_FAULT": "before_commit:raise"})
    recruitment_id = open_recruitment(stack, f"재시도 소진 {unique}")
    event = event_for(stack, recruitment_id)

    rows = wait_until(lambda: _dead_letters(stack, event["id"]), timeout=60)
    assert rows[0]["reason"] == "exhausted"
    assert rows[0]["attempts"] == 4  # first try + MESSAGE_MAX_RETRIES=3
    assert "InjectedFault" in rows[0]["error"]
    assert deliveries_for(stack, event["id"]) == []
    failing.stop()

    worker_factory("notifications")
    client = stack.client("notifications")
    path = f"/notifications/api/v1/dead-letters/{rows[0]['id']}/replay"
    assert client.post(path, headers=stack.auth("contractor")).status_code == 403
    response = client.post(path, headers=stack.auth("staff"))
    assert response.status_code == 202, response.get_json()

    delivered = wait_until(lambda: deliveries_for(stack, event["id"]), timeout=30)
    assert len(delivered) == 1
    again = client.post(path, headers=stack.auth("staff"))
    assert again.status_code == 409
    assert again.content_type == "application/problem+json"
    replayed = _dead_letters(stack, event["id"])[0]
    assert replayed["replayed_by"] == "test-staff"
