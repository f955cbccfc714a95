"""What the use cases run with: settings, personal-data keys, providers, rate limit."""

from __future__ import annotations

from collections.abc import Iterable

import structlog
from flask import current_app
from itsdangerous import URLSafeTimedSerializer

from services.common.messaging import direct_options, emergency_queue

from .. import config
from ..adapters.pii import Pii
from ..adapters.providers import build_providers
from ..adapters.ratelimit import TokenBucket

SEND_TASK = "notifications.send_delivery"
log = structlog.get_logger(__name__)


class Notifier:
    def __init__(self, runtime, environ: dict[str, str] | None = None):
        self.runtime = runtime
        self.settings = config.load(environ)
        secrets = runtime.settings
        self.pii = Pii.from_settings(secrets)
        self.signing_key = secrets.secret("SIGNING_KEY")
        self.providers = build_providers(self.settings, self.signing_key)
        self.bucket = TokenBucket(secrets.redis_url, self.settings.rate_limits)
        self.acks = URLSafeTimedSerializer(self.signing_key, salt="notifications.ack")

    def queue_for(self, urgent: bool) -> str:
        return emergency_queue("notifications") if urgent else "notifications"

    def dispatch(self, items: Iterable[tuple[str, bool]], countdown: float | None = None) -> None:
        """Send ``send_delivery`` for each (delivery id, urgent) to its queue."""
        celery = self.runtime.celery
        for delivery_id, urgent in items:
            celery.send_task(
                SEND_TASK,
                args=[delivery_id],
                countdown=countdown,
                retry=False,
                **direct_options(self.queue_for(urgent)),
            )

    def ack_url(self, delivery_id: str) -> str:
        token = self.acks.dumps({"d": delivery_id})
        return f"{self.settings.public_base_url}/notifications/ack/{token}"


def notifier_of(runtime) -> Notifier:
    found = getattr(runtime, "_notifier", None)
    if found is None:
        found = Notifier(runtime)
        runtime._notifier = found
    return found


def current_notifier() -> Notifier:
    return notifier_of(current_app.extensions["runtime"])
