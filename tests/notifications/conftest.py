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
    and the inline urgent send are recorded (``notifier.dispatched``) so the test drives
    ``dispatch.send`` itself."""
    from services.notifications.service_layer.notifier import Notifier

    runtime = stack.runtime("notifications")
    before = getattr(runtime, "_notifier", None)

    def make(inline=False, **env):
        """``inline=True`` keeps ``send_now``: urgent deliveries are really sent in the
        handler's after-commit, as a worker does; otherwise they are recorded too."""
        notifier = Notifier(runtime, {**stack.env, **env})
        notifier.dispatched = []
        notifier.countdowns = []

        def record(items, countdown=None):
            items = list(items)
            notifier.dispatched.extend(items)
            notifier.countdowns.extend(countdown for _ in items)

        notifier.dispatch = record
        if not inline:
            notifier.send_now = lambda ids: notifier.dispatched.extend((i, True) for i in ids)
        runtime._notifier = notifier
        return notifier

    yield make
    runtime._notifier = before
