"""Celery bound once to a service's Flask app, with reliable-delivery settings."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from celery import Celery, Task
from celery.exceptions import Reject
from flask import Flask

from .broker import transport_for
from .config import broker_transport_options
from .envelope import InvalidMessage
from .messaging import DELIVER_TASK, direct_options, emergency_queue, named, service_queues

if TYPE_CHECKING:
    from .runtime import Runtime


def backoff(retries: int, base: float = 1.0, cap: float = 300.0) -> float:
    """Exponential backoff with full jitter."""
    return random.uniform(0, min(cap, base * 2**retries))


def celery_init_app(app: Flask, runtime: Runtime) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    settings = runtime.settings
    service = runtime.spec.name
    celery = Celery(service, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=settings.redis_url,
        broker_transport=transport_for(settings.redis_url),
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        broker_transport_options=broker_transport_options(
            settings.visibility_timeout, settings.broker_key_prefix
        ),
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        result_backend=None,
        task_serializer="json",
        accept_content=["json"],
        task_queues=service_queues(service, runtime.spec.subscriptions, runtime.spec.emergency),
        task_default_queue=service,
        task_default_exchange=service,
        task_default_routing_key=service,
        worker_hijack_root_logger=False,
        worker_send_task_events=True,
        task_send_sent_event=False,
        enable_utc=True,
        timezone="Asia/Seoul",
    )
    _register_common_tasks(celery, runtime)
    app.extensions["celery"] = celery
    return celery


def _register_common_tasks(celery: Celery, runtime: Runtime) -> None:
    service = runtime.spec.name
    max_retries = runtime.settings.max_retries

    @celery.task(name=DELIVER_TASK, bind=True)
    def deliver(self: Task, data: Any) -> int:
        attempts = self.request.retries + 1
        try:
            return runtime.consumer.deliver(data)
        except InvalidMessage as exc:
            _dead_letter(runtime, data, "invalid", str(exc), attempts)
            return 0
        except Exception as exc:
            if self.request.retries >= max_retries:
                _dead_letter(runtime, data, "exhausted", repr(exc), attempts)
                return 0
            urgent = isinstance(data, dict) and any(
                s.emergency for s in runtime.consumer.handlers_for(str(data.get("type")))
            )
            queue = emergency_queue(service) if urgent else service
            names = named(data) if isinstance(data, dict) else {}
            raise self.retry(
                exc=exc,
                countdown=backoff(self.request.retries),
                max_retries=max_retries,
                **direct_options(queue),
                **names,
            ) from exc

    @celery.task(name=f"{service}.relay_outbox")
    def relay_outbox() -> int:
        return runtime.relay.sweep()

    @celery.task(name=f"{service}.purge_retention")
    def purge_retention() -> dict:
        return runtime.purge_retention()


def _dead_letter(runtime: Runtime, data: Any, reason: str, error: str, attempts: int) -> None:
    try:
        runtime.dead_letters.record(data, reason, error, attempts)
    except Exception as exc:  # cannot store it: keep the message on the queue instead
        raise Reject(reason=repr(exc), requeue=True) from exc
