"""Fixtures of the notifications tests: the fake vendor and webhook receiver, a real SMTP
server (aiosmtpd), and a Notifier wired to them with the Celery hop recorded."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from notify_fakes import FakeVendor, SmtpInbox

from deploy.embedded_redis import free_port


@pytest.fixture
def vendor():
    server = FakeVendor()
    yield server
    server.close()


@pytest.fixture
def smtp_server():
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def notifier_factory(stack):
    """A Notifier on the stack's real database with its own settings; the send_task hop
    is recorded (``notifier.dispatched``) so the test drives ``dispatch.send`` itself."""
    from services.notifications.service_layer.notifier import Notifier

    runtime = stack.runtime("notifications")
    before = getattr(runtime, "_notifier", None)

    def make(**env):
        notifier = Notifier(runtime, {**stack.env, **env})
        notifier.dispatched = []
        notifier.dispatch = lambda items, countdown=None: notifier.dispatched.extend(items)
        runtime._notifier = notifier
        return notifier

    yield make
    runtime._notifier = before
