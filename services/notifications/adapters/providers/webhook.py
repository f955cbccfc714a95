"""Webhook (e.g. the fire station): JSON signed with HMAC-SHA256 over timestamp + body."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from .base import Message, Permanent, Sent, http_json


def sign(key: str, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256(key, timestamp + body): the X-Signature header."""
    return hmac.new(key.encode(), timestamp.encode() + body, hashlib.sha256).hexdigest()


def verify(key: str, timestamp: str, body: bytes, signature: str, max_skew: int = 300) -> bool:
    try:
        fresh = abs(time.time() - int(timestamp)) <= max_skew
    except ValueError:
        return False
    return fresh and hmac.compare_digest(sign(key, timestamp, body), signature or "")


class WebhookProvider:
    name = "webhook"

    def __init__(self, signing_key: str, timeout: float):
        self.key = signing_key
        self.timeout = timeout

    def send(self, message: Message) -> Sent:
        body = json.dumps(
            {
                "delivery_id": message.delivery_id,
                "message_id": message.message_id,
                "event_type": message.event_type,
                "subject": message.subject,
                "text": message.body,
            },
            ensure_ascii=False,
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Timestamp": timestamp,
            "X-Signature": sign(self.key, timestamp, body),
        }
        status, _ = http_json("POST", message.address or "", body, headers, self.timeout)
        if status >= 400:
            raise Permanent(f"webhook HTTP {status}")
        return Sent(self.name, message.delivery_id, delivered=True, detail=f"HTTP {status}")
