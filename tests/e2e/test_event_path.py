"""Proof of the event path: applicants -> outbox -> Redis -> notifications, exactly once.

Real Redis, real Celery worker processes, real databases; no eager mode.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from deploy import embedded_redis

from flows import deliveries_for, event_for, inbox_count, open_recruitment
from infra import ROOT, WorkerProcess, wait_until

pytestmark = pytest.mark.integration


def test_state_change_in_applicants_is_applied_once_by_notifications(stack, worker_factory, unique):
    worker = worker_factory("notifications")
    recruitment_id = open_recruitment(stack, f"교차 서비스 {unique}")
    event = event_for(stack, recruitment_id)

    delivered = wait_until(lambda: deliveries_for(stack, event["id"]))

    # marked published by the relay's background batch, shortly after the send
    assert wait_until(lambda: event_for(stack, recruitment_id)["published_at"], timeout=5)
    assert len(delivered) == 1
    assert delivered[0]["event_type"] == "applicants.recruitment_opened"
    assert f"교차 서비스 {unique}" in delivered[0]["body"]
    assert "선발인원 3명" in delivered[0]["body"]
    assert inbox_count(stack, event["id"]) == 1
    assert worker.proc.poll() is None


def test_message_delivered_twice_has_no_second_effect(stack, worker_factory, unique):
    worker = worker_factory("notifications")
    recruitment_id = open_recruitment(stack, f"중복 전달 {unique}")
    event = event_for(stack, recruitment_id)
    wait_until(lambda: deliveries_for(stack, event["id"]))

    runtime = stack.runtime("applicants")
    runtime.publish(event["envelope"])
    runtime.publish(event["envelope"])

    wait_until(lambda: worker.log.read_text().count('"inbox.duplicate"') >= 2)
    assert len(deliveries_for(stack, event["id"])) == 1
    assert inbox_count(stack, event["id"]) == 1


@pytest.mark.parametrize("point", ["before_commit", "after_commit"])
def test_worker_killed_mid_task_then_message_applied_once(stack, worker_factory, unique, point):
    """SIGKILL the whole worker while it holds the message (before or after its commit);
    the unacked message returns after the visibility timeout and a new worker applies
    it exactly once."""
    doomed = worker_factory("notifications", extra_env={"MESSAGING_FAULT": f"{point}:60"})
    recruitment_id = open_recruitment(stack, f"강제 종료 {point} {unique}")
    event = event_for(stack, recruitment_id)
    if point == "after_commit":
        wait_until(lambda: deliveries_for(stack, event["id"]))
    else:
        wait_until(
            lambda: (
                "events.deliver" in doomed.log.read_text() and "received" in doomed.log.read_text()
            )
        )
        assert deliveries_for(stack, event["id"]) == []

    doomed.kill()
    survivor = worker_factory("notifications")

    wait_until(lambda: event["id"] in survivor.log.read_text(), timeout=60)
    wait_until(lambda: deliveries_for(stack, event["id"]), timeout=60)
    if point == "after_commit":  # redelivered, and absorbed by the inbox
        wait_until(lambda: '"inbox.duplicate"' in survivor.log.read_text(), timeout=60)
    assert len(deliveries_for(stack, event["id"])) == 1
    assert inbox_count(stack, event["id"]) == 1


def test_broker_down_at_commit_then_outbox_delivers_when_back(stack, tmp_path, unique):
    """Redis is stopped when the state change commits: the request still succeeds, the
    event waits in the outbox, and the scheduled sweep delivers it once Redis is back."""
    from services.applicants import create_app

    port = embedded_redis.free_port()
    redis_dir = tmp_path / "redis"
    server = embedded_redis.start(port, redis_dir, persistent=True)
    env = {**stack.env, "REDIS_URL": f"redis://127.0.0.1:{port}/0", "OUTBOX_SWEEP_SECONDS": "1"}
    consumer = WorkerProcess("notifications", "notifications", env)
    relay_worker = WorkerProcess("applicants", "applicants", env)
    beat = None
    try:
        consumer.start()
        relay_worker.start()
        applicants = create_app(env)
        server.terminate()
        server.wait(10)

        recruitment_id = open_recruitment(stack, f"브로커 중단 {unique}", applicants.test_client())
        event = event_for(stack, recruitment_id)
        assert event["published_at"] is None

        server = embedded_redis.start(port, redis_dir, persistent=True)
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "deploy.beat", "beat", "--loglevel", "INFO"],
            cwd=ROOT,
            env={**consumer.env, "VAR_DIR": str(tmp_path)},
            stdout=(tmp_path / "beat.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        delivered = wait_until(lambda: deliveries_for(stack, event["id"]), timeout=90)
        assert len(delivered) == 1
        assert event_for(stack, recruitment_id)["published_at"] is not None
        assert inbox_count(stack, event["id"]) == 1
    finally:
        if beat:
            beat.terminate()
            beat.wait(10)
        consumer.stop()
        relay_worker.stop()
        server.terminate()
        server.wait(10)
