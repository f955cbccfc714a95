"""Each channel adapter against a real counterpart: NHN Cloud's SMS and 알림톡 formats on a
local HTTP server (errors, timeouts, receipts), aiosmtpd for e-mail, a webhook receiver."""

import email
import email.policy
import time

import pytest
from notify_fakes import vendor_env
from notify_helpers import alarm, apply, outbox_events, received, recipient, row, rows_for

from services.notifications.adapters.providers.webhook import sign
from services.notifications.service_layer import dispatch, receipts

pytestmark = pytest.mark.integration


def _one(stack, envelope):
    apply(stack, envelope)
    [delivery] = rows_for(stack, envelope.id)
    return delivery


def test_short_text_goes_as_sms_in_nhn_format_then_receipt_delivers(
    stack, vendor, notifier_factory
):
    notifier = notifier_factory(**vendor_env(vendor))
    delivery = _one(stack, received(stack, title="짧은", phone="010-5555-0001"))
    assert dispatch.send(notifier, delivery["id"]).status == "sent"

    [post] = vendor.posts("/sms/v3.0/appKeys/app-sms/sender/sms")
    assert post["headers"]["X-Secret-Key"] == "secret-sms"
    assert post["json"]["sendNo"] == "0226700000"
    assert post["json"]["recipientList"] == [{"recipientNo": "010-5555-0001"}]
    assert post["json"]["body"] == delivery["body"]
    sent = row(stack, delivery["id"])
    assert sent["status"] == "sent" and sent["provider"] == "nhn-sms-sms"
    request_id = sent["provider_message_id"].split("#")[0]

    assert receipts.poll(notifier) == 0  # msgStatus 2: still being processed
    vendor.results[request_id] = "3"
    assert receipts.poll(notifier) >= 1
    done = row(stack, delivery["id"])
    assert done["status"] == "delivered" and done["delivered_at"] is not None
    assert len(outbox_events(stack, "notifications.message_delivered", delivery["id"])) == 1


def test_long_text_goes_as_lms_and_carrier_failure_receipt_fails_it(
    stack, vendor, notifier_factory
):
    notifier = notifier_factory(**vendor_env(vendor))
    delivery = _one(
        stack, received(stack, title="아주 긴 제목의 모집공고 " * 4, phone="01055550002")
    )
    dispatch.send(notifier, delivery["id"])
    [post] = vendor.posts("/sender/mms")
    assert post["json"]["title"] and post["json"]["body"] == delivery["body"]
    sent = row(stack, delivery["id"])
    assert sent["provider"] == "nhn-sms-lms"

    vendor.results[sent["provider_message_id"].split("#")[0]] = "0"
    receipts.poll(notifier)
    failed = row(stack, delivery["id"])
    assert failed["status"] == "failed" and "착신 거절" in failed["reason"]
    [event] = outbox_events(stack, "notifications.message_failed", delivery["id"])
    assert event["payload"]["message_id"] == delivery["message_id"]


def test_vendor_rejection_is_final_with_its_code(stack, vendor, notifier_factory):
    notifier = notifier_factory(**vendor_env(vendor))
    vendor.script["01055550003"] = __import__("collections").deque(["reject"])
    delivery = _one(stack, received(stack, phone="01055550003"))
    outcome = dispatch.send(notifier, delivery["id"])
    assert outcome.status == "failed"
    failed = row(stack, delivery["id"])
    assert failed["status"] == "failed" and "-2019" in failed["reason"]
    assert failed["attempts"] == 1


def test_server_error_and_timeout_retry_with_backoff_then_succeed(stack, vendor, notifier_factory):
    from collections import deque

    notifier = notifier_factory(**vendor_env(vendor))
    vendor.script["01055550004"] = deque(["500", "sleep2", "ok"])
    delivery = _one(stack, received(stack, phone="01055550004"))

    first = dispatch.send(notifier, delivery["id"])
    assert first.status == "retry" and first.reason == "HTTP 500"
    waiting = row(stack, delivery["id"])
    assert waiting["status"] == "queued" and waiting["not_before"] is not None
    assert dispatch.send(notifier, delivery["id"]).status == "skipped"  # not yet due
    time.sleep(first.countdown)
    second = dispatch.send(notifier, delivery["id"])
    assert second.status == "retry" and "timeout" in second.reason
    assert second.countdown > first.countdown / 2
    time.sleep(second.countdown)
    assert dispatch.send(notifier, delivery["id"]).status == "sent"
    assert row(stack, delivery["id"])["attempts"] == 3


def test_retries_exhausted_fail_with_the_last_reason(stack, vendor, notifier_factory):
    from collections import deque

    notifier = notifier_factory(**vendor_env(vendor, NOTIFY_MAX_ATTEMPTS="2"))
    vendor.script["01055550005"] = deque(["500", "500", "ok"])
    delivery = _one(stack, received(stack, phone="01055550005"))
    first = dispatch.send(notifier, delivery["id"])
    time.sleep(first.countdown)
    assert dispatch.send(notifier, delivery["id"]).status == "failed"
    failed = row(stack, delivery["id"])
    assert failed["reason"] == "HTTP 500" and failed["attempts"] == 2


def test_alimtalk_in_nhn_format(stack, vendor, notifier_factory):
    notifier = notifier_factory(**vendor_env(vendor))
    delivery = _one(stack, received(stack, phone="01055550006", kakao=True))
    assert dispatch.send(notifier, delivery["id"]).status == "sent"
    [post] = vendor.posts("/alimtalk/v2.3/appkeys/app-kakao/raw-messages")
    assert post["headers"]["X-Secret-Key"] == "secret-kakao"
    assert post["json"]["senderKey"] == "sender-key"
    assert post["json"]["templateCode"] == "application_received"
    assert post["json"]["recipientList"] == [
        {"recipientNo": "01055550006", "content": delivery["body"]}
    ]
    assert row(stack, delivery["id"])["provider"] == "nhn-alimtalk"


def test_alimtalk_failure_falls_back_to_sms_for_the_same_person(stack, vendor, notifier_factory):
    from collections import deque

    notifier = notifier_factory(**vendor_env(vendor))
    vendor.script["01055550007"] = deque(["nokakao"])
    delivery = _one(stack, received(stack, phone="01055550007", kakao=True))

    outcome = dispatch.send(notifier, delivery["id"])
    assert outcome.status == "failed" and outcome.fallback_id
    kakao = row(stack, delivery["id"])
    assert kakao["status"] == "failed" and "-3009" in kakao["reason"]
    sms = row(stack, outcome.fallback_id)
    assert (sms["channel"], sms["fallback_of"], sms["body"]) == (
        "sms",
        delivery["id"],
        delivery["fallback_body"],
    )
    assert notifier.dispatched[-1] == (outcome.fallback_id, False)
    assert dispatch.send(notifier, outcome.fallback_id).status == "sent"
    assert vendor.posts("/sender/sms")[0]["json"]["recipientList"][0]["recipientNo"] == (
        "01055550007"
    )
    assert outbox_events(stack, "notifications.message_failed", delivery["id"]) == []


def test_email_arrives_at_a_real_smtp_server(stack, smtp_server, notifier_factory):
    controller, inbox = smtp_server
    notifier = notifier_factory(
        NOTIFY_QUIET_HOURS="off",
        NOTIFY_SMTP_HOST="127.0.0.1",
        NOTIFY_SMTP_PORT=str(controller.port),
        NOTIFY_SMTP_FROM="noreply@ydp.go.kr",
    )
    delivery = _one(stack, received(stack, title="메일 모집", email="hong@example.com"))
    assert dispatch.send(notifier, delivery["id"]).status == "delivered"

    [envelope] = inbox.messages
    assert envelope.rcpt_tos == ["hong@example.com"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "[영등포구 일자리경제과] 신청이 접수되었습니다"
    assert "'메일 모집' 참여 신청이 정상적으로" in message.get_content()
    assert row(stack, delivery["id"])["provider_message_id"] == message["Message-ID"]


def test_smtp_permanent_and_temporary_refusals(stack, smtp_server, notifier_factory):
    controller, _ = smtp_server
    notifier = notifier_factory(
        NOTIFY_QUIET_HOURS="off",
        NOTIFY_SMTP_HOST="127.0.0.1",
        NOTIFY_SMTP_PORT=str(controller.port),
    )
    bounced = _one(stack, received(stack, email="bounce@example.com"))
    busy = _one(stack, received(stack, email="busy@example.com"))
    assert dispatch.send(notifier, bounced["id"]).status == "failed"
    reason = row(stack, bounced["id"])["reason"]
    assert "SMTP 550" in reason and "no such user" in reason
    assert "bounce@example.com" not in reason and "b*****@example.com" in reason
    retry = dispatch.send(notifier, busy["id"])
    assert retry.status == "retry" and "SMTP 451" in retry.reason


def test_alarm_webhook_is_signed_over_timestamp_and_body(stack, vendor, notifier_factory):
    notifier = notifier_factory(**vendor_env(vendor, NOTIFY_QUIET_HOURS="00:00-23:59"))
    envelope = alarm(stack, [recipient(stack, phone="01055550008", kakao=True)])
    apply(stack, envelope)
    rows = {r["channel"]: r for r in rows_for(stack, envelope.id)}
    assert set(rows) == {"webhook", "sms"}  # urgent: SMS, not 알림톡, and not held
    assert all(r["urgent"] and r["not_before"] is None for r in rows.values())
    assert sorted(notifier.dispatched) == sorted((r["id"], True) for r in rows.values())
    assert "/notifications/ack/" in rows["sms"]["body"]

    assert dispatch.send(notifier, rows["webhook"]["id"]).status == "delivered"
    [hook] = vendor.posts("/hook/119")
    key = stack.runtime("notifications").settings.secret("SIGNING_KEY")
    headers = hook["headers"]
    assert headers["X-Signature"] == sign(key, headers["X-Timestamp"], hook["raw"])
    assert abs(int(headers["X-Timestamp"]) - time.time()) < 30
    assert hook["json"]["message_id"] == envelope.id
    assert "영등포시장 12호 떡집" in hook["json"]["text"]


def test_webhook_refused_is_final_server_error_is_retried(stack, vendor, notifier_factory):
    notifier = notifier_factory(**vendor_env(vendor))
    first = alarm(stack, [])
    apply(stack, first)
    [hook] = rows_for(stack, first.id)
    vendor.webhook_status = 503
    assert dispatch.send(notifier, hook["id"]).status == "retry"
    vendor.webhook_status = 400
    time.sleep(1.0)
    assert dispatch.send(notifier, hook["id"]).status == "failed"
    assert row(stack, hook["id"])["reason"] == "webhook HTTP 400"


def test_urgent_deliveries_are_sent_by_the_handler_side_by_side(stack, vendor, notifier_factory):
    """The fire path's last hop: the worker that queued an alarm's deliveries sends them
    right after commit, all at once, with no send_delivery hop between."""
    notifier = notifier_factory(inline=True, **vendor_env(vendor, NOTIFY_QUIET_HOURS="off"))
    envelope = alarm(stack, [recipient(stack, phone="01055550011")])
    apply(stack, envelope)
    rows = {r["channel"]: r for r in rows_for(stack, envelope.id)}
    assert rows["webhook"]["status"] == "delivered" and rows["sms"]["status"] == "sent"
    assert len(vendor.posts("/hook/119")) == 1
    assert len(vendor.posts("/sender/sms") + vendor.posts("/sender/mms")) == 1  # LMS: long
    assert notifier.dispatched == []  # nothing left for send_delivery

    apply(stack, envelope)  # redelivered: the inbox absorbs it, nobody is told twice
    assert len(vendor.posts("/hook/119")) == 1


def test_an_urgent_send_that_fails_now_goes_to_send_delivery_with_its_backoff(
    stack, vendor, notifier_factory
):
    notifier = notifier_factory(inline=True, **vendor_env(vendor, NOTIFY_QUIET_HOURS="off"))
    vendor.webhook_status = 503
    envelope = alarm(stack, [])
    apply(stack, envelope)
    [hook] = rows_for(stack, envelope.id)
    assert hook["status"] == "queued" and hook["attempts"] == 1
    assert notifier.dispatched == [(hook["id"], True)]
    assert notifier.countdowns[0] is not None and notifier.countdowns[0] > 0


def test_an_urgent_delivery_whose_sender_died_is_swept_on_the_emergency_lane(
    stack, vendor, notifier_factory
):
    """The sender claimed the 119 webhook and died: its claim lapses after the provider
    timeout + 5 s, and the urgent sweep (never behind bulk work) sends it again."""
    from datetime import timedelta

    from sqlalchemy import update

    from services.common.tables import utcnow
    from services.notifications.adapters import repository as repo
    from services.notifications.adapters.orm import deliveries

    notifier = notifier_factory(**vendor_env(vendor, NOTIFY_QUIET_HOURS="off"))
    envelope = alarm(stack, [])
    apply(stack, envelope)
    [hook] = rows_for(stack, envelope.id)
    bulk = _one(stack, received(stack, phone="01055550012"))
    db = stack.runtime("notifications").db
    taken = utcnow()
    with db.transaction() as session:
        assert repo.claim(session, hook["id"], taken, 45, notifier.settings.http_timeout + 5)
    lease = row(stack, hook["id"])["lease_until"]
    assert abs((lease - taken).total_seconds() - (notifier.settings.http_timeout + 5)) < 0.01
    notifier.dispatched.clear()
    dispatch.sweep_due(notifier, urgent_only=True)
    assert (hook["id"], True) not in notifier.dispatched  # its sender may be alive

    with db.transaction() as session:  # time passes: the claim lapses, nobody sent it
        past = taken - timedelta(seconds=60)
        session.execute(
            update(deliveries)
            .where(deliveries.c.id.in_([hook["id"], bulk["id"]]))
            .values(lease_until=past, updated_at=past)
        )
    ours = {(hook["id"], True), (bulk["id"], False)}
    dispatch.sweep_due(notifier, urgent_only=True)
    assert ours & set(notifier.dispatched) == {(hook["id"], True)}  # bulk waits its sweep
    assert all(urgent for _, urgent in notifier.dispatched)
    notifier.dispatched.clear()
    dispatch.sweep_due(notifier)
    assert ours <= set(notifier.dispatched)
    with db.transaction() as session:  # leave nothing due for a later test's sweep
        session.execute(
            update(deliveries)
            .where(deliveries.c.id.in_([hook["id"], bulk["id"]]))
            .values(status="failed", reason="test")
        )
