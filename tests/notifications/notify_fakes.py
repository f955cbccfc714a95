"""Counterparts of the channel adapters for tests: a local HTTP server answering as NHN
Cloud (SMS v3.0, 알림톡 v2.3) and as a webhook receiver, and an aiosmtpd handler."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from deploy.embedded_redis import free_port


class FakeVendor:
    """Answers as NHN Cloud would; ``script`` holds per-number behaviours, in order."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: dict[str, deque] = {}
        self.results: dict[str, str] = {}  # requestId -> msgStatus of the result query
        self.webhook_status = 200
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        vendor = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                vendor._record(self, None)
                request_id = self.path.split("?")[0].rsplit("/", 1)[-1]
                status = vendor.results.get(request_id, "2")
                self._json(200, vendor._result(request_id, status))

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = json.loads(raw) if raw else None
                vendor._record(self, body, raw)
                code, answer = vendor._answer(self.path, body)
                if code == "sleep":
                    time.sleep(answer)
                    code, answer = 200, vendor._ok(self.path, body)
                self._json(code, answer)

            def _json(self, code, answer):
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _record(self, handler, body, raw=b""):
        self.requests.append(
            {"path": handler.path, "headers": dict(handler.headers), "json": body, "raw": raw}
        )

    def posts(self, fragment: str) -> list[dict]:
        return [r for r in self.requests if fragment in r["path"] and r["json"] is not None]

    def _number(self, body) -> str:
        if not isinstance(body, dict) or not body.get("recipientList"):
            return ""
        return body["recipientList"][0]["recipientNo"]

    def _answer(self, path, body):
        if path.startswith("/hook"):
            return self.webhook_status, {"ok": self.webhook_status < 400}
        steps = self.script.get(self._number(body))
        step = steps.popleft() if steps else "ok"
        if step == "ok":
            return 200, self._ok(path, body)
        if step == "500":
            return 500, {"message": "internal error"}
        if step.startswith("sleep"):
            return "sleep", float(step[5:])
        if step == "reject":  # a whole-request error: header.isSuccessful false
            return 200, self._header(False, -2019, "수신번호가 올바르지 않습니다.")
        if step == "nokakao":  # accepted request, that recipient failed
            answer = self._ok(path, body)
            first = answer["message"]["sendResults"][0]
            first.update(resultCode=-3009, resultMessage="카카오톡 미사용자")
            return 200, answer
        raise AssertionError(step)

    @staticmethod
    def _header(ok: bool, code: int = 0, message: str = "SUCCESS") -> dict:
        return {"header": {"isSuccessful": ok, "resultCode": code, "resultMessage": message}}

    def _ok(self, path, body):
        number = self._number(body)
        request_id = uuid.uuid4().hex[:20]
        if "/alimtalk/" in path:
            return {
                **self._header(True),
                "message": {
                    "requestId": request_id,
                    "senderGroupingKey": None,
                    "sendResults": [
                        {
                            "recipientSeq": 1,
                            "recipientNo": number,
                            "resultCode": 0,
                            "resultMessage": "SUCCESS",
                            "recipientGroupingKey": None,
                        }
                    ],
                },
            }
        return {
            **self._header(True),
            "body": {
                "data": {
                    "requestId": request_id,
                    "statusCode": "2",
                    "senderGroupingKey": None,
                    "sendResultList": [
                        {
                            "recipientNo": number,
                            "resultCode": 0,
                            "resultMessage": "SUCCESS",
                            "recipientSeq": 1,
                            "recipientGroupingKey": None,
                        }
                    ],
                }
            },
        }

    def _result(self, request_id, status):
        names = {"0": "실패", "1": "요청", "2": "처리중", "3": "성공", "5": "중복실패"}
        return {
            **self._header(True),
            "body": {
                "data": {
                    "requestId": request_id,
                    "recipientSeq": 1,
                    "msgStatus": status,
                    "msgStatusName": names.get(status, status),
                    "resultCode": "1000" if status == "3" else "3015",
                    "resultCodeName": "성공" if status == "3" else "착신 거절",
                }
            },
        }

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SmtpInbox:
    def __init__(self):
        self.messages: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return f"550 5.1.1 <{address}>: no such user"
        if address.startswith("busy"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted"


def vendor_env(vendor: FakeVendor, **extra) -> dict[str, str]:
    return {
        "NOTIFY_QUIET_HOURS": "off",
        "NHN_SMS_URL": vendor.url,
        "NHN_SMS_APP_KEY": "app-sms",
        "NHN_SMS_SECRET_KEY": "secret-sms",
        "NHN_SMS_SEND_NO": "0226700000",
        "NHN_ALIMTALK_URL": vendor.url,
        "NHN_ALIMTALK_APP_KEY": "app-kakao",
        "NHN_ALIMTALK_SECRET_KEY": "secret-kakao",
        "NHN_ALIMTALK_SENDER_KEY": "sender-key",
        "NOTIFY_STATION_WEBHOOK_URL": f"{vendor.url}/hook/119",
        "NOTIFY_HTTP_TIMEOUT": "1",
        "NOTIFY_BACKOFF_BASE": "0.2",
        **extra,
    }
