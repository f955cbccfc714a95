"""Thin Celery entry points of the alarm path (emergency queue)."""

from __future__ import annotations

from celery import Celery, Task

from services.common.celery_app import backoff
from services.common.messaging import direct_options, emergency_queue

from .service_layer import alarms, sweep
from .service_layer.ingest import Ingest

EMERGENCY = emergency_queue("markets")


def ingest_of(runtime) -> Ingest:
    if "ingest" not in runtime.spec.extras:
        runtime.spec.extras["ingest"] = Ingest(runtime)
    return runtime.spec.extras["ingest"]


def device_verifier(runtime):
    """Devices holding a valid token are not rate-limited as anonymous callers."""
    return ingest_of(runtime).auth.verify


def register_tasks(celery: Celery, runtime) -> None:
    @celery.task(name="markets.process_reading", bind=True, max_retries=5)
    def process_reading(self: Task, reading_id: str) -> bool:
        try:
            return alarms.process_reading(runtime, reading_id)
        except Exception as exc:  # e.g. two workers raising one alarm: try again, it updates
            raise self.retry(
                exc=exc, countdown=min(1.0, backoff(self.request.retries, base=0.1)),
                **direct_options(EMERGENCY),
            ) from exc  # fmt: skip

    @celery.task(name="markets.alarm_sweep")
    def alarm_sweep() -> dict:
        return sweep.sweep(runtime, resend=ingest_of(runtime).enqueue)
