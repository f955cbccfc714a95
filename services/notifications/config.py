"""Notifications settings from environment variables (secrets come from common Settings)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .domain.policy import parse_window


@dataclass(frozen=True)
class NotifySettings:
    staff_recipients: tuple[str, ...] = ("staff:일자리창출팀",)
    finance_recipients: tuple[str, ...] = ("finance:예산팀",)
    station_webhook_url: str | None = None
    # Alarm roles markets names and this service resolves: role -> configured entries.
    role_recipients: dict[str, tuple[str, ...]] = field(default_factory=dict)
    public_base_url: str = "http://127.0.0.1:8000"
    quiet_hours: tuple | None = parse_window("21:00-08:00")
    max_attempts: int = 5
    backoff_base: float = 2.0
    backoff_cap: float = 600.0
    http_timeout: float = 5.0
    inline_urgent: bool = True  # urgent deliveries sent by the worker that queued them
    ack_max_age: int = 7 * 24 * 3600
    rate_limits: dict[str, tuple[float, float]] = field(default_factory=dict)
    smtp: dict[str, str] = field(default_factory=dict)
    nhn_sms: dict[str, str] = field(default_factory=dict)
    nhn_alimtalk: dict[str, str] = field(default_factory=dict)
    voice: dict[str, str] = field(default_factory=dict)  # NOTIFY_VOICE_URL, _APPKEY, …


def _list(raw: str) -> tuple[str, ...]:
    return tuple(r.strip() for r in raw.split(",") if r.strip())


def _rate(raw: str) -> tuple[float, float]:
    """``"10/s"`` or ``"10/s:20"`` -> (tokens per second, bucket capacity)."""
    rate, _, burst = raw.partition(":")
    count, _, unit = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600}[unit or "s"]
    per_second = float(count) / seconds
    return per_second, float(burst or max(1.0, per_second))


def _prefixed(env: dict[str, str], prefix: str) -> dict[str, str]:
    return {k[len(prefix) :].lower(): v for k, v in env.items() if k.startswith(prefix) and v}


def load(environ: dict[str, str] | None = None) -> NotifySettings:
    env = dict(os.environ if environ is None else environ)
    return NotifySettings(
        staff_recipients=_list(env.get("NOTIFY_STAFF_RECIPIENTS", "staff:일자리창출팀")),
        finance_recipients=_list(env.get("NOTIFY_FINANCE_RECIPIENTS", "finance:예산팀")),
        station_webhook_url=env.get("NOTIFY_STATION_WEBHOOK_URL") or None,
        role_recipients={
            "market_team": _list(env.get("NOTIFY_MARKET_TEAM", "staff:시장지원팀")),
            "duty": _list(env.get("NOTIFY_DUTY", "staff:당직실")),
            "contractor": _list(env.get("NOTIFY_CONTRACTOR", "staff:유지보수업체")),
        },
        public_base_url=env.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
        quiet_hours=parse_window(env.get("NOTIFY_QUIET_HOURS", "21:00-08:00")),
        max_attempts=int(env.get("NOTIFY_MAX_ATTEMPTS", "5")),
        backoff_base=float(env.get("NOTIFY_BACKOFF_BASE", "2")),
        backoff_cap=float(env.get("NOTIFY_BACKOFF_CAP", "600")),
        http_timeout=float(env.get("NOTIFY_HTTP_TIMEOUT", "5")),
        inline_urgent=env.get("NOTIFY_INLINE_URGENT", "1").lower() not in ("0", "false", "no"),
        ack_max_age=int(env.get("NOTIFY_ACK_MAX_AGE", str(7 * 24 * 3600))),
        rate_limits={name: _rate(value) for name, value in _prefixed(env, "NOTIFY_RATE_").items()},
        smtp=_prefixed(env, "NOTIFY_SMTP_"),
        nhn_sms=_prefixed(env, "NHN_SMS_"),
        nhn_alimtalk=_prefixed(env, "NHN_ALIMTALK_"),
        voice=_prefixed(env, "NOTIFY_VOICE_"),
    )
