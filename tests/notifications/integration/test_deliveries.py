"""The delivery model on the real database: one row per (event, recipient, channel),
personal data encrypted and masked, redelivery queues nothing twice."""

import pytest
from notify_helpers import apply, fernet, received, row, rows_for
from sqlalchemy.exc import IntegrityError

from services.common.envelope import InvalidMessage
from services.notifications.adapters import repository as repo
from services.notifications.service_layer import dispatch

pytestmark = pytest.mark.integration


def test_applicant_told_by_alimtalk_with_phone_encrypted_and_masked(stack, notifier_factory):
    notifier = notifier_factory(NOTIFY_QUIET_HOURS="off")
    envelope = received(stack, phone="010-2345-6789", kakao=True)

    assert apply(stack, envelope) == 1

    [delivery] = rows_for(stack, envelope.id)
    assert delivery["channel"] == "kakao"
    assert delivery["status"] == "queued" and delivery["attempts"] == 0
    assert delivery["recipient_masked"] == "010-****-6789"
    assert "2345" not in delivery["recipient"] and "6789" not in delivery["recipient"]
    assert delivery["recipient_hash"] == notifier.pii.hash("01023456789")
    assert fernet(stack).decrypt(delivery["recipient_enc"].encode()) == b"010-2345-6789"
    assert "홍*동님" in delivery["body"] and "2023 안심일자리" in delivery["body"]
    assert delivery["fallback_body"] and delivery["fallback_body"] != delivery["body"]
    assert notifier.dispatched == [(delivery["id"], False)]


def test_redelivered_event_queues_and_sends_nothing_twice(stack, notifier_factory):
    notifier = notifier_factory(NOTIFY_QUIET_HOURS="off")
    envelope = received(stack, email="hong@example.com")
    apply(stack, envelope)
    assert apply(stack, envelope) == 0  # the inbox absorbs it

    [delivery] = rows_for(stack, envelope.id)
    assert delivery["channel"] == "email" and delivery["recipient_masked"] == "h***@example.com"
    assert dispatch.send(notifier, delivery["id"]).status == "delivered"
    assert dispatch.send(notifier, delivery["id"]).status == "skipped"  # a redelivered task
    assert row(stack, delivery["id"])["attempts"] == 1


def test_database_refuses_a_second_row_for_the_same_key(stack, notifier_factory):
    notifier_factory(NOTIFY_QUIET_HOURS="off")
    envelope = received(stack, phone="01011112222")
    apply(stack, envelope)
    [delivery] = rows_for(stack, envelope.id)
    copy = {k: delivery[k] for k in ("message_id", "event_type", "recipient", "channel")}
    db = stack.runtime("notifications").db
    with pytest.raises(IntegrityError), db.transaction() as session:
        repo.insert(
            session, {**copy, "id": "x" * 36, "template": "t", "template_version": 1, "body": "b"}
        )


def test_undecryptable_phone_is_invalid_not_retried(stack, notifier_factory):
    notifier_factory(NOTIFY_QUIET_HOURS="off")
    envelope = received(stack, phone="01011112222")
    envelope.payload["recipient"]["phone_enc"] = "not-a-fernet-token"
    with pytest.raises(InvalidMessage, match="undecryptable"):
        apply(stack, envelope)
    assert rows_for(stack, envelope.id) == []


def test_quiet_hours_hold_bulk_until_window_end(stack, notifier_factory):
    from datetime import datetime, timedelta

    from services.notifications.domain.policy import SEOUL

    now = datetime.now(SEOUL)
    start, end = (now - timedelta(hours=1)).strftime("%H:%M"), (now + timedelta(hours=1))
    notifier = notifier_factory(NOTIFY_QUIET_HOURS=f"{start}-{end.strftime('%H:%M')}")
    envelope = received(stack, phone="01033334444")
    apply(stack, envelope)

    [delivery] = rows_for(stack, envelope.id)
    assert delivery["status"] == "queued"
    held = delivery["not_before"].astimezone(SEOUL)
    assert (held.hour, held.minute) == (end.hour, end.minute)
    assert notifier.dispatched == []
    assert dispatch.send(notifier, delivery["id"]).status == "skipped"  # not due yet


def test_finance_lagging_goes_to_configured_recipients(stack, notifier_factory):
    from services.common.envelope import Envelope

    notifier_factory(
        NOTIFY_QUIET_HOURS="off", NOTIFY_FINANCE_RECIPIENTS="finance:예산팀,email:budget@ydp.go.kr"
    )
    payload = {
        "fiscal_year": 2022,
        "as_of": "2022-09-30",
        "unit_program": "일자리 창출",
        "rate_pct": "63.9",
        "expected_pct": "75.0",
        "recipients_role": "finance",
    }
    envelope = Envelope("budget.execution_lagging", payload, "budget")
    apply(stack, envelope)

    rows = {r["channel"]: r for r in rows_for(stack, envelope.id)}
    assert set(rows) == {"local", "email"}
    assert rows["local"]["recipient"] == "finance:예산팀"
    assert rows["email"]["recipient_masked"] == "b*****@ydp.go.kr"
    assert "집행률 63.9%" in rows["email"]["body"] and "목표 75.0%" in rows["email"]["body"]
    assert "집행 부진" in rows["email"]["subject"]
