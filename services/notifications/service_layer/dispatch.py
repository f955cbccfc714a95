"""Send one delivery: claim it, respect the rate limit, call its provider, record the
outcome; retry transient failures with backoff, fall back 알림톡 -> SMS, fail finally."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import structlog

from services.common.tables import utcnow

from ..adapters import repository as repo
from ..adapters.providers import Message, ProviderError, Sent
from ..domain.model import DELIVERED, FAILED, FALLBACK, QUEUED, SENT
from ..domain.policy import backoff
from .events import emit_outcome
from .notifier import Notifier

log = structlog.get_logger(__name__)


URGENT_SLACK = 5.0  # seconds past the provider timeout before a dead sender's claim lapses
STALE = {False: timedelta(seconds=60), True: timedelta(seconds=5)}


def sweep_due(notifier: Notifier, urgent_only: bool = False) -> int:
    """Send again what is due and nobody holds: held deliveries whose time came, and
    queued ones whose dispatch was lost (a crash between commit and send, or a sender that
    died holding its claim). Urgent rows count as lost after 5 s, others after 60 s."""
    now = utcnow()
    with notifier.runtime.db.read() as session:
        rows = repo.due(
            session, now, STALE[False], urgent_only=urgent_only, urgent_stale=STALE[True]
        )
    notifier.dispatch(rows)
    return len(rows)


@dataclass(frozen=True)
class Outcome:
    status: str  # skipped | later | retry | sent | delivered | failed
    countdown: float | None = None
    reason: str | None = None
    fallback_id: str | None = None


def send(notifier: Notifier, delivery_id: str) -> Outcome:
    db = notifier.runtime.db
    now = utcnow()
    timeout = notifier.settings.http_timeout
    with db.transaction() as session:  # an urgent send is one call: a short lease
        claimed = repo.claim(session, delivery_id, now, timeout * 3 + 30, timeout + URGENT_SLACK)
        row = repo.get(session, delivery_id)
    if row is None or not claimed:
        return Outcome("skipped", reason=row["status"] if row else "missing")
    provider = notifier.providers[row["channel"]]
    if not row["urgent"]:  # emergencies are never held back by the bucket
        wait = notifier.bucket.take(provider.name)
        if wait > 0:
            with db.transaction() as session:
                until = now + timedelta(seconds=wait)
                repo.release(session, delivery_id, None, not_before=until, refund=True)
            return Outcome("later", countdown=wait)
    address = notifier.pii.decrypt(row["recipient_enc"]) if row["recipient_enc"] else None
    message = Message(
        delivery_id=row["id"],
        message_id=row["message_id"],
        event_type=row["event_type"],
        channel=row["channel"],
        address=address,
        body=row["body"],
        subject=row["subject"],
        template=row["template"],
    )
    try:
        sent = provider.send(message)
    except ProviderError as exc:
        return _failed_attempt(notifier, row, exc)
    except Exception as exc:  # a bug or an unknown failure: retry like a transient one
        log.exception("delivery.provider_crashed", delivery_id=delivery_id)
        return _failed_attempt(notifier, row, _Unknown(f"{type(exc).__name__}: {exc}"))
    return _succeeded(notifier, row, sent)


class _Unknown(ProviderError):
    transient = True


def _succeeded(notifier: Notifier, row: dict, sent: Sent) -> Outcome:
    status = DELIVERED if sent.delivered else SENT
    with notifier.runtime.db.transaction() as session:
        moved = repo.move(
            session,
            row["id"],
            QUEUED,
            status,
            provider=sent.provider,
            provider_message_id=sent.provider_message_id,
            reason=sent.detail,
        )
        if moved and status == DELIVERED:
            emit_outcome(notifier.runtime, session, row, DELIVERED, None)
    log.info("delivery.sent", delivery_id=row["id"], channel=row["channel"], status=status)
    return Outcome(status)


def _failed_attempt(notifier: Notifier, row: dict, exc: ProviderError) -> Outcome:
    settings = notifier.settings
    attempts = row["attempts"]
    log.warning(
        "delivery.attempt_failed",
        delivery_id=row["id"],
        channel=row["channel"],
        attempt=attempts,
        transient=exc.transient,
        reason=exc.reason,
    )
    if exc.transient and attempts < settings.max_attempts:
        wait = backoff(attempts - 1, settings.backoff_base, settings.backoff_cap)
        with notifier.runtime.db.transaction() as session:
            until = utcnow() + timedelta(seconds=wait)
            repo.release(session, row["id"], exc.reason, not_before=until)
        return Outcome("retry", countdown=wait, reason=exc.reason)
    return fail(notifier, row, exc.reason)


def fail(notifier: Notifier, row: dict, reason: str, current: str = QUEUED) -> Outcome:
    """Final failure; a 알림톡 delivery hands over to SMS for the same person."""
    fallback_id = None
    channel = FALLBACK.get(row["channel"])
    with notifier.runtime.db.transaction() as session:
        if not repo.move(session, row["id"], current, FAILED, reason=reason[:2000]):
            return Outcome("skipped", reason="already final")
        if channel and row["fallback_body"] and row["recipient_enc"]:
            fallback_id = _fallback(session, row, channel)
        else:
            emit_outcome(notifier.runtime, session, row, FAILED, reason)
    if fallback_id:
        notifier.dispatch([(fallback_id, row["urgent"])])
    log.warning("delivery.failed", delivery_id=row["id"], reason=reason, fallback=fallback_id)
    return Outcome(FAILED, reason=reason, fallback_id=fallback_id)


def _fallback(session, row: dict, channel: str) -> str | None:
    if repo.exists(session, row["message_id"], row["recipient"], channel):
        return None
    fallback_id = str(uuid.uuid4())
    copied = (
        "message_id",
        "event_type",
        "recipient",
        "template",
        "template_version",
        "subject",
        "recipient_masked",
        "recipient_enc",
        "recipient_hash",
        "urgent",
    )
    repo.insert(
        session,
        {
            **{k: row[k] for k in copied},
            "id": fallback_id,
            "channel": channel,
            "body": row["fallback_body"],
            "fallback_of": row["id"],
            "created_at": utcnow(),
        },
    )
    return fallback_id
