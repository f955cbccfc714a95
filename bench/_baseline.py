"""A bare Celery worker for the baseline of bench/event_path.py: no database at all."""

import os
import time

import redis
from celery import Celery

ARRIVALS = "bench:arrivals"
celery = Celery("bench", broker=os.environ["REDIS_URL"])
celery.conf.update(task_acks_late=True, worker_prefetch_multiplier=1, task_ignore_result=True)
_redis = redis.Redis.from_url(os.environ["REDIS_URL"])


@celery.task(name="bench.noop")
def noop(i: str) -> None:
    _redis.rpush(ARRIVALS, f"{i} {time.time()}")
