"""One scheduler for all services: it only sends tasks by name, importing no service.

celery -A deploy.beat beat
"""

from __future__ import annotations

import os

from celery import Celery

from services.common.config import DEFAULT_EMBEDDED_REDIS, SERVICES, var_dir
from services.common.messaging import direct_options

SWEEP_SECONDS = float(os.environ.get("OUTBOX_SWEEP_SECONDS", "10"))

celery = Celery("beat", broker=os.environ.get("REDIS_URL", DEFAULT_EMBEDDED_REDIS))
celery.conf.update(
    beat_schedule={
        f"{service}-relay-outbox": {
            "task": f"{service}.relay_outbox",
            "schedule": SWEEP_SECONDS,
            "options": {**direct_options(service), "expires": SWEEP_SECONDS * 3},
        }
        for service in SERVICES
    },
    beat_schedule_filename=str(var_dir() / "celerybeat-schedule"),
    broker_connection_retry_on_startup=True,
    timezone="Asia/Seoul",
    enable_utc=True,
)
