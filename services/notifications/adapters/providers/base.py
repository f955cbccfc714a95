"""The one interface every channel adapter implements."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Message:
    delivery_id: str
    message_id: str
    event_type: str
    channel: str
    address: str | None
    body: str
    subject: str | None = None
    template: str = ""


@dataclass(frozen=True)
class Sent:
    provider: str
    provider_message_id: str | None
    delivered: bool  # the provider's answer is already the receipt (local, SMTP, webhook)
    detail: str | None = None


@dataclass(frozen=True)
class Receipt:
    provider_message_id: str
    status: str  # "delivered" | "failed" | "pending"
    reason: str | None = None


class ProviderError(Exception):
    transient = False

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Transient(ProviderError):
    """Worth retrying: timeout, connection refused, 5xx, rate limited."""

    transient = True


class Permanent(ProviderError):
    """No retry helps: rejected number, no KakaoTalk, bad request."""


class Provider(Protocol):
    name: str

    def send(self, message: Message) -> Sent: ...


def http_json(
    method: str, url: str, body: Any | None, headers: dict[str, str], timeout: float
) -> tuple[int, Any]:
    """One HTTP exchange with JSON; transport failures and 5xx/429 raise Transient."""
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    if not url.startswith(("http://", "https://")):
        raise Permanent(f"not an http(s) URL: {url[:40]!r}")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except TimeoutError as exc:
        raise Transient(f"timeout after {timeout}s") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise Transient(f"timeout after {timeout}s") from exc
        raise Transient(f"connection: {exc.reason}") from exc
    except OSError as exc:
        raise Transient(f"connection: {exc}") from exc
    if status == 429 or status >= 500:
        raise Transient(f"HTTP {status}")
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    return status, parsed
