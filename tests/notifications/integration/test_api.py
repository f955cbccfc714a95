"""Staff delivery log (filters, masking), signed acknowledgement links, signed receipts."""

import json
import time

import pytest
from notify_fakes import vendor_env
from notify_helpers import alarm, apply, outbox_events, received, recipient, row, rows_for

from services.notifications.adapters.providers.webhook import sign
from services.notifications.service_layer import dispatch

pytestmark = pytest.mark.integration
PATH = "/notifications/api/v1/deliveries"


def test_log_filters_by_recipient_hash_status_and_event_and_masks(
    stack, vendor, notifier_factory, unique
):
    notifier = notifier_factory(**vendor_env(vendor))
    phone = f"010-77{unique[:2].translate(str.maketrans('abcdef', '123456'))}-4321"
    mine = received(stack, phone=phone)
    other = received(stack, phone="01099998888")
    apply(stack, mine)
    apply(stack, other)
    [delivery] = rows_for(stack, mine.id)
    dispatch.send(notifier, delivery["id"])
    client = stack.client("notifications")

    digits = phone.replace("-", "")
    found = client.get(f"{PATH}?recipient={digits}", headers=stack.auth("staff")).get_json()
    assert [d["id"] for d in found] == [delivery["id"]]
    [shown] = found
    assert shown["recipient"] == f"{digits[:3]}-****-{digits[-4:]}"
    assert digits not in json.dumps(found) and phone not in json.dumps(found)
    assert shown["status"] == "sent" and shown["attempts"] == 1

    by_event = client.get(f"{PATH}?message_id={other.id}", headers=stack.auth("staff"))
    assert [d["message_id"] for d in by_event.get_json()] == [other.id]
    sent = client.get(f"{PATH}?status=sent&recipient={phone}", headers=stack.auth("staff"))
    assert len(sent.get_json()) == 1
    queued = client.get(f"{PATH}?status=queued&recipient={phone}", headers=stack.auth("staff"))
    assert queued.get_json() == []
    assert client.get(f"{PATH}?status=lost", headers=stack.auth("staff")).status_code == 422
    assert client.get(PATH).status_code == 401
    assert client.get(PATH, headers=stack.auth("contractor")).status_code == 403


def test_ack_link_records_once_and_emits_through_outbox(stack, vendor, notifier_factory):
    notifier_factory(**vendor_env(vendor))
    envelope = alarm(stack, [recipient(stack, phone="01012340000")], station=False)
    apply(stack, envelope)
    [delivery] = rows_for(stack, envelope.id)
    link = delivery["body"].split("확인: ")[1]
    path = link[link.index("/notifications/ack/") :]
    client = stack.client("notifications")

    first = client.get(path)
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["first"] is True
    again = client.get(path)
    assert again.get_json()["first"] is False
    assert again.get_json()["acknowledged_at"] == first.get_json()["acknowledged_at"]
    [event] = outbox_events(stack, "notifications.notification_acknowledged", delivery["id"])
    assert event["payload"]["message_id"] == envelope.id
    assert event["payload"]["by"] == "010-****-0000"
    assert row(stack, delivery["id"])["acknowledged_at"] is not None

    tampered = client.get(path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb"))
    assert tampered.status_code == 404
    assert tampered.headers["Content-Type"] == "application/problem+json"


def test_expired_ack_link_is_refused(stack, vendor, notifier_factory):
    notifier = notifier_factory(**vendor_env(vendor, NOTIFY_ACK_MAX_AGE="1"))
    envelope = alarm(stack, [], station=True)
    apply(stack, envelope)
    [delivery] = rows_for(stack, envelope.id)
    token = notifier.acks.dumps({"d": delivery["id"]})
    time.sleep(2.1)
    response = stack.client("notifications").get(f"/notifications/ack/{token}")
    assert response.status_code == 410
    assert row(stack, delivery["id"])["acknowledged_at"] is None


def test_signed_receipt_moves_sent_to_delivered(stack, vendor, notifier_factory):
    notifier = notifier_factory(**vendor_env(vendor))
    envelope = received(stack, phone="01012341111", kakao=True)
    apply(stack, envelope)
    [delivery] = rows_for(stack, envelope.id)
    dispatch.send(notifier, delivery["id"])
    provider_id = row(stack, delivery["id"])["provider_message_id"]
    key = stack.runtime("notifications").settings.secret("SIGNING_KEY")
    body = json.dumps({"provider_message_id": provider_id, "status": "delivered"}).encode()
    client = stack.client("notifications")
    url = "/notifications/api/v1/receipts"

    stamp = str(int(time.time()))
    bad = client.post(url, data=body, headers={"X-Timestamp": stamp, "X-Signature": "0" * 64})
    assert bad.status_code == 401
    assert row(stack, delivery["id"])["status"] == "sent"

    headers = {"X-Timestamp": stamp, "X-Signature": sign(key, stamp, body)}
    ok = client.post(url, data=body, headers=headers, content_type="application/json")
    assert ok.status_code == 200 and ok.get_json() == {"status": "delivered"}
    assert row(stack, delivery["id"])["status"] == "delivered"
    stale = str(int(time.time()) - 3600)
    old = {"X-Timestamp": stale, "X-Signature": sign(key, stale, body)}
    assert client.post(url, data=body, headers=old).status_code == 401
