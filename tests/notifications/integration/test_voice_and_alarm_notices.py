"""Alarm notices v2 and the voice (ARS) channel, against a local HTTP voice provider."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from notify_helpers import apply, fernet, rows_for

from services.common.envelope import Envelope
from services.notifications.service_layer import dispatch

pytestmark = pytest.mark.integration


class VoiceVendor:
    def __init__(self):
        self.calls: list[dict] = []
        self.answer = (200, {"callId": "call-1", "status": "ACCEPTED"})
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.calls.append({"path": self.path, "key": self.headers["X-App-Key"], **body})
                status, answer = outer.answer
                raw = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture
def voice():
    vendor = VoiceVendor()
    yield vendor
    vendor.server.shutdown()


def notice(stack, step=1, stage="confirmed", test=False, roles=("market_team", "duty", "station")):
    phone = fernet(stack).encrypt(b"01077778888").decode()
    payload = {
        "alarm_id": str(uuid.uuid4()), "step": step, "repeat": 0, "type": "fire",
        "stage": stage, "severity": "CRITICAL", "test": test,
        "detected_at": "2026-11-25T03:00:00+00:00",
        "market": {"id": "m", "name": "삼구시장", "address": "서울특별시 영등포구 ○○로 1"},
        "store": {"number": 12, "name": "12호 점포", "name_generated": True, "lane": "2열",
                  "floor": "1층", "location": "1층 2열"},
        "recipients": [{"role": "merchant", "name_masked": "점포주", "phone_enc": phone,
                        "email_enc": None, "kakao": False, "channels": ["sms"]}],
        "roles": list(roles), "channels": ["sms", "voice"], "ack_required": True,
    }  # fmt: skip
    kind = "markets.alarm_raised" if step == 0 else "markets.alarm_escalated"
    return Envelope(kind, payload, "markets", version=2)


def test_an_escalated_notice_calls_the_duty_officer_and_names_the_place(
    stack, voice, notifier_factory
):
    notifier = notifier_factory(
        NOTIFY_VOICE_URL=voice.url, NOTIFY_VOICE_APPKEY="k1", NOTIFY_VOICE_SENDER="0226700000",
        NOTIFY_DUTY="voice:01011112222", NOTIFY_MARKET_TEAM="sms:01033334444",
    )  # fmt: skip
    envelope = notice(stack)
    assert apply(stack, envelope) == 1
    rows = {r["channel"]: r for r in rows_for(stack, envelope.id)}
    assert set(rows) == {"voice", "sms", "local"}  # duty, 시장지원팀 + merchant, 119 (local)
    call = rows["voice"]
    assert "삼구시장 12번 점포" in call["body"] and "1층 2열" in call["body"]
    assert dispatch.send(notifier, call["id"]).status in ("sent", "delivered")
    [request] = voice.calls
    assert request["path"] == "/calls" and request["key"] == "k1"
    assert request["callee"] == "01011112222" and request["caller"] == "0226700000"
    assert "화재" in request["tts"] and "12번 점포" in request["tts"]
    sms = [r for r in rows_for(stack, envelope.id) if r["channel"] == "sms"]
    assert all("주소: 서울특별시 영등포구 ○○로 1" in r["body"] for r in sms)
    assert all("(가칭)" in r["body"] and "/notifications/ack/" in r["body"] for r in sms)


def test_a_refused_call_falls_back_to_a_text(stack, voice, notifier_factory):
    notifier = notifier_factory(NOTIFY_VOICE_URL=voice.url, NOTIFY_DUTY="voice:01011110000")
    voice.answer = (400, {"code": "INVALID_NUMBER", "message": "없는 번호"})
    envelope = notice(stack, roles=("duty",))
    apply(stack, envelope)
    [call] = [r for r in rows_for(stack, envelope.id) if r["channel"] == "voice"]
    assert dispatch.send(notifier, call["id"]).status == "failed"
    channels = sorted(r["channel"] for r in rows_for(stack, envelope.id))
    assert channels.count("sms") == 2  # the merchant's, and the duty officer's fallback


@pytest.mark.parametrize(("stage", "test"), [("suspected", False), ("confirmed", True)])
def test_119_hears_only_confirmed_real_fires(stack, notifier_factory, stage, test):
    notifier_factory()
    envelope = notice(stack, step=0, stage=stage, test=test, roles=("station",))
    apply(stack, envelope)
    rows = rows_for(stack, envelope.id)
    assert [r["recipient_masked"] for r in rows if r["channel"] in ("webhook", "local")] == []
    if test:
        assert all(r["body"].startswith("[시험]") for r in rows)


def test_a_redelivered_notice_sends_nothing_twice(stack, notifier_factory):
    notifier_factory()
    envelope = notice(stack, roles=())
    assert apply(stack, envelope) == 1
    assert apply(stack, envelope) == 0
    assert len(rows_for(stack, envelope.id)) == 1
