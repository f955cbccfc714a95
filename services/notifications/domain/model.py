"""Delivery statuses and the moves between them (plain Python)."""

from __future__ import annotations

from dataclasses import dataclass, field

QUEUED, SENT, DELIVERED, FAILED = "queued", "sent", "delivered", "failed"
STATUSES = (QUEUED, SENT, DELIVERED, FAILED)
FINAL = frozenset({DELIVERED, FAILED})

# queued -> queued is a retry or a hold (quiet hours, rate limit); a provider that answers
# with its own receipt (local, SMTP accepted, webhook 2xx) moves queued -> delivered.
MOVES = {
    QUEUED: frozenset({QUEUED, SENT, DELIVERED, FAILED}),
    SENT: frozenset({DELIVERED, FAILED}),
    DELIVERED: frozenset(),
    FAILED: frozenset(),
}

CHANNELS = ("local", "email", "sms", "kakao", "webhook", "voice")


class IllegalMove(ValueError):
    pass


def check_move(current: str, new: str) -> None:
    if new not in MOVES.get(current, frozenset()):
        raise IllegalMove(f"{current} -> {new}")


@dataclass(frozen=True)
class Recipient:
    """Who hears a message, on which channel, at which address (plaintext only in memory)."""

    key: str  # stable, not personal: a configured name or the keyed hash of the address
    channel: str
    address: str | None  # phone, e-mail, URL; None for the local channel
    masked: str
    fallback: str | None = None  # channel to try when this one fails (kakao -> sms)


@dataclass(frozen=True)
class Plan:
    """One message to queue: recipient, template and the values it is rendered with."""

    recipient: Recipient
    template: str
    values: dict = field(default_factory=dict)
    urgent: bool = False


# When a delivery on the key channel finally fails, the same person is tried on the value.
FALLBACK = {"kakao": "sms", "voice": "sms"}  # a failed call leaves a text behind
