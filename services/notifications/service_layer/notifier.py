"""What the use cases run with: settings, personal-data keys, providers, rate limit."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, wait

import structlog
from flask import current_app
from itsdangerous import URLSafeTimedSerializer

from services.common.messaging import direct_options, emergency_queue

from .. import config
from ..adapters.pii import Pii
from ..adapters.providers import build_providers
from ..adapters.ratelimit import TokenBucket

SEND_TASK = "notifications.send_delivery"
URGENT_THREADS = 16
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
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid: int | None = None
        self._pool_lock = threading.Lock()

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

    def send_now(self, delivery_ids: list[str]) -> None:
        """Send urgent deliveries in this process, side by side, and wait for them.

        The fire path's last hop: no queue between the committed delivery rows and the
        providers, and no recipient waits behind another's slow provider. What is not
        sent now (a transient failure, a crash here) goes the usual way: ``send_delivery``
        with its countdown, or the sweeps, since each row is claimed before it is sent.
        """
        from . import dispatch

        def one(delivery_id: str) -> None:
            try:
                outcome = dispatch.send(self, delivery_id)
            except Exception as exc:
                log.warning("delivery.inline_failed", delivery_id=delivery_id, error=repr(exc))
                self.dispatch([(delivery_id, True)])
                return
            if outcome.status in ("retry", "later"):
                self.dispatch([(delivery_id, True)], countdown=outcome.countdown)

        if len(delivery_ids) == 1:
            one(delivery_ids[0])
            return
        wait([self._executor().submit(one, d) for d in delivery_ids])

    def _executor(self) -> ThreadPoolExecutor:
        with self._pool_lock:  # one pool per process: a forked worker child makes its own
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = ThreadPoolExecutor(URGENT_THREADS, thread_name_prefix="urgent")
                self._pool_pid = os.getpid()
            return self._pool

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
