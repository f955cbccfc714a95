"""NHN Cloud Notification: SMS/LMS (API v3.0) and KakaoTalk Bizmessage 알림톡 (v2.3).

Request and response shapes follow NHN Cloud's documented format as we know it (see
docs/notifications.md for the fields used and their source).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ...domain.sms import MessageTooLong, message_kind
from .base import Message, Permanent, Receipt, Sent, http_json

SMS_BASE = "https://api-sms.cloud.toast.com"
ALIMTALK_BASE = "https://api-alimtalk.cloud.toast.com"
# msgStatus of the SMS result query: 3 = 결과 수신 완료(성공); 0 실패, 4 예약 취소, 5 중복 실패.
DELIVERED_STATUS = {"3"}
FAILED_STATUS = {"0", "4", "5"}


def _headers(secret: str) -> dict[str, str]:
    return {"Content-Type": "application/json;charset=UTF-8", "X-Secret-Key": secret}


def _check_header(answer: Any, status: int, what: str) -> None:
    header = (answer or {}).get("header") if isinstance(answer, dict) else None
    if not header:
        raise Permanent(f"{what}: HTTP {status}, no NHN header")
    if not header.get("isSuccessful"):
        raise Permanent(f"{what} {header.get('resultCode')} {header.get('resultMessage')}")


class NhnSms:
    """POST /sms/v3.0/appKeys/{appKey}/sender/sms (≤ 90 bytes) or /sender/mms (LMS)."""

    name = "nhn-sms"

    def __init__(self, conf: dict[str, str], timeout: float):
        self.base = conf.get("url", SMS_BASE).rstrip("/")
        self.app_key = conf["app_key"]
        self.secret = conf.get("secret_key", "")
        self.send_no = conf.get("send_no", "")
        self.timeout = timeout

    def _url(self, path: str) -> str:
        return f"{self.base}/sms/v3.0/appKeys/{quote(self.app_key)}/{path}"

    def send(self, message: Message) -> Sent:
        try:
            kind = message_kind(message.body)
        except MessageTooLong as exc:
            raise Permanent(f"message too long: {exc}") from exc
        body: dict[str, Any] = {
            "body": message.body,
            "sendNo": self.send_no,
            "recipientList": [{"recipientNo": message.address}],
        }
        if kind == "LMS":
            body["title"] = (message.subject or "[영등포구]")[:20]
        path = "sender/sms" if kind == "SMS" else "sender/mms"
        status, answer = http_json(
            "POST", self._url(path), body, _headers(self.secret), self.timeout
        )
        _check_header(answer, status, f"NHN {kind}")
        data = (answer.get("body") or {}).get("data") or {}
        results = data.get("sendResultList") or [{}]
        first = results[0]
        if first.get("resultCode", 0) != 0:
            raise Permanent(f"NHN {kind} {first.get('resultCode')} {first.get('resultMessage')}")
        request_id = data.get("requestId")
        seq = first.get("recipientSeq", 1)
        return Sent(f"{self.name}-{kind.lower()}", f"{request_id}#{seq}", delivered=False)

    def receipt(self, provider_message_id: str, kind: str = "sms") -> Receipt:
        """GET .../sender/{sms|mms}/{requestId}?recipientSeq=n: the carrier's result."""
        request_id, _, seq = provider_message_id.partition("#")
        path = f"sender/{'mms' if kind == 'lms' else 'sms'}/{quote(request_id)}"
        status, answer = http_json(
            "GET",
            self._url(path) + f"?recipientSeq={quote(seq or '1')}",
            None,
            _headers(self.secret),
            self.timeout,
        )
        _check_header(answer, status, "NHN result")
        data = (answer.get("body") or {}).get("data") or {}
        if isinstance(data, list):
            data = data[0] if data else {}
        msg_status = str(data.get("msgStatus", ""))
        if msg_status in DELIVERED_STATUS:
            return Receipt(provider_message_id, "delivered")
        if msg_status in FAILED_STATUS:
            reason = data.get("resultCodeName") or data.get("msgStatusName") or msg_status
            return Receipt(provider_message_id, "failed", f"NHN msgStatus {msg_status} {reason}")
        return Receipt(provider_message_id, "pending")


class NhnAlimTalk:
    """POST /alimtalk/v2.3/appkeys/{appkey}/raw-messages with the rendered content."""

    name = "nhn-alimtalk"

    def __init__(self, conf: dict[str, str], timeout: float):
        self.base = conf.get("url", ALIMTALK_BASE).rstrip("/")
        self.app_key = conf["app_key"]
        self.secret = conf.get("secret_key", "")
        self.sender_key = conf.get("sender_key", "")
        self.timeout = timeout

    def send(self, message: Message) -> Sent:
        url = f"{self.base}/alimtalk/v2.3/appkeys/{quote(self.app_key)}/raw-messages"
        body = {
            "senderKey": self.sender_key,
            "templateCode": message.template,
            "recipientList": [{"recipientNo": message.address, "content": message.body}],
        }
        status, answer = http_json("POST", url, body, _headers(self.secret), self.timeout)
        _check_header(answer, status, "NHN 알림톡")
        result = answer.get("message") or {}
        sends = result.get("sendResults") or [{}]
        first = sends[0]
        if first.get("resultCode", 0) != 0:
            raise Permanent(f"NHN 알림톡 {first.get('resultCode')} {first.get('resultMessage')}")
        request_id = result.get("requestId")
        return Sent(self.name, f"{request_id}#{first.get('recipientSeq', 1)}", delivered=False)
