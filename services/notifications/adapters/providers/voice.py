"""Voice calls (ARS): a text-to-speech call to a phone, for the later steps of a fire alarm.

A generic voice-call HTTP API, configured by NOTIFY_VOICE_URL / _APPKEY / _SECRET / _SENDER
(without them the channel records locally, like the others):

    POST {url}/calls   X-App-Key, X-Secret-Key
    {"callee": "01012345678", "caller": "0226700000", "tts": "...", "repeat": 2,
     "reference": "<delivery id>"}
    → 200 {"callId": "...", "status": "ACCEPTED"}  | 4xx {"code": ..., "message": ...}

Whether the person answered comes later, as a receipt (the provider's callback). The
request and answer fields are ours: map them onto the chosen vendor's before going live.
"""

from __future__ import annotations

from .base import Message, Permanent, Sent, http_json


class VoiceCall:
    name = "voice"

    def __init__(self, conf: dict[str, str], timeout: float):
        self.url = conf["url"].rstrip("/")
        self.headers = {
            "Content-Type": "application/json;charset=UTF-8",
            "X-App-Key": conf.get("appkey", ""),
            "X-Secret-Key": conf.get("secret", ""),
        }
        self.caller = conf.get("sender", "")
        self.timeout = timeout

    def send(self, message: Message) -> Sent:
        if not message.address:
            raise Permanent("voice: no phone number")
        body = {
            "callee": message.address,
            "caller": self.caller,
            "tts": message.body,
            "repeat": 2,
            "reference": message.delivery_id,
        }
        status, answer = http_json("POST", f"{self.url}/calls", body, self.headers, self.timeout)
        if status >= 400 or not isinstance(answer, dict) or not answer.get("callId"):
            detail = (answer or {}).get("message") if isinstance(answer, dict) else None
            raise Permanent(f"voice HTTP {status}: {detail or 'no callId'}")
        return Sent(self.name, str(answer["callId"]), delivered=False, detail=answer.get("status"))
