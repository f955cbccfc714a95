"""Thin Celery entry points (registered through ``ServiceSpec.register_tasks``)."""

from __future__ import annotations

from celery import Celery, Task

from services.common.messaging import direct_options

from .adapters import repository as repo
from .service_layer import dispatch, receipts
from .service_layer.notifier import SEND_TASK, notifier_of


def register_tasks(celery: Celery, runtime) -> None:
    @celery.task(name=SEND_TASK, bind=True, max_retries=None)
    def send_delivery(self: Task, delivery_id: str) -> str:
        """Send one delivery; the row, not Celery, counts attempts (redelivery-safe)."""
        notifier = notifier_of(runtime)
        outcome = dispatch.send(notifier, delivery_id)
        if outcome.status in ("retry", "later"):
            with runtime.db.read() as session:
                row = repo.get(session, delivery_id)
            raise self.retry(
                countdown=outcome.countdown,
                max_retries=None,
                **direct_options(notifier.queue_for(bool(row and row["urgent"]))),
            )
        return outcome.status

    @celery.task(name="notifications.dispatch_due")
    def dispatch_due() -> int:
        """Sweep (bulk queue): held deliveries whose time came, and lost dispatches."""
        return dispatch.sweep_due(notifier_of(runtime))

    @celery.task(name="notifications.dispatch_urgent")
    def dispatch_urgent() -> int:
        """Sweep (emergency queue, every ALARM_SWEEP_SECONDS): lost urgent dispatches,
        never stuck behind a bulk backlog."""
        return dispatch.sweep_due(notifier_of(runtime), urgent_only=True)

    @celery.task(name="notifications.poll_receipts")
    def poll_receipts() -> int:
        return receipts.poll(notifier_of(runtime))
