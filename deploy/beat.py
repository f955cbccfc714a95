"""One scheduler for all services: it only sends tasks by name, importing no service.

celery -A deploy.beat beat
"""

from __future__ import annotations

import os

from celery import Celery

from services.common.config import (
    DEFAULT_EMBEDDED_REDIS,
    SERVICES,
    broker_transport_options,
    var_dir,
)
from services.common.messaging import direct_options

SWEEP_SECONDS = float(os.environ.get("OUTBOX_SWEEP_SECONDS", "10"))
ALARM_SWEEP_SECONDS = float(os.environ.get("ALARM_SWEEP_SECONDS", "2"))

celery = Celery("beat", broker=os.environ.get("REDIS_URL", DEFAULT_EMBEDDED_REDIS))
celery.conf.update(
    beat_schedule={
        f"{service}-relay-outbox": {
            "task": f"{service}.relay_outbox",
            "schedule": SWEEP_SECONDS,
            "options": {**direct_options(service), "expires": SWEEP_SECONDS * 3},
        }
        for service in SERVICES
    }
    | {
        f"{service}-purge-retention": {
            "task": f"{service}.purge_retention",
            "schedule": 3600.0,
            "options": {**direct_options(service), "expires": 1800},
        }
        for service in SERVICES
    }
    | {
        # Held (quiet hours) and lost dispatches, and provider receipts.
        "notifications-dispatch-due": {
            "task": "notifications.dispatch_due",
            "schedule": SWEEP_SECONDS,
            "options": {**direct_options("notifications"), "expires": SWEEP_SECONDS * 3},
        },
        # Alarms: due escalation steps, silent devices, readings whose message was lost.
        "markets-alarm-sweep": {
            "task": "markets.alarm_sweep",
            "schedule": ALARM_SWEEP_SECONDS,
            "options": {**direct_options("markets.emergency"), "expires": ALARM_SWEEP_SECONDS * 2},
        },
        # Urgent deliveries whose dispatch or sender was lost, on the emergency lane.
        "notifications-dispatch-urgent": {
            "task": "notifications.dispatch_urgent",
            "schedule": ALARM_SWEEP_SECONDS,
            "options": {
                **direct_options("notifications.emergency"),
                "expires": ALARM_SWEEP_SECONDS * 2,
            },
        },
        "notifications-poll-receipts": {
            "task": "notifications.poll_receipts",
            "schedule": 60.0,
            "options": {**direct_options("notifications"), "expires": 180},
        },
    },
    beat_schedule_filename=str(var_dir() / "celerybeat-schedule"),
    broker_connection_retry_on_startup=True,
    broker_transport_options=broker_transport_options(
        int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
        os.environ.get("BROKER_KEY_PREFIX", ""),
    ),
    timezone="Asia/Seoul",
    enable_utc=True,
)
