"""Retention (issue #8.6): old outbox rows, inbox ids and message bodies go; a message
redelivered inside the window is still absorbed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from notify_helpers import apply, received, rows_for
from sqlalchemy import select, update

from services.common.tables import utcnow
from services.notifications.adapters.orm import deliveries

pytestmark = pytest.mark.integration


def _age(stack, table, column, where, days):
    with stack.runtime("notifications").db.transaction() as session:
        session.execute(update(table).where(where).values({column: utcnow() - timedelta(days)}))


def _inbox_ids(stack, message_id):
    inbox = stack.runtime("notifications").spec.tables.inbox
    with stack.runtime("notifications").db.read() as session:
        return session.scalars(
            select(inbox.c.handler).where(inbox.c.message_id == message_id)
        ).all()


def test_redelivery_inside_the_window_is_absorbed_and_old_rows_are_purged(stack, notifier_factory):
    notifier_factory()  # dispatches recorded, not sent: no message left for later workers
    runtime = stack.runtime("notifications")
    inbox = runtime.spec.tables.inbox
    envelope = received(stack, phone="01055550000")
    assert apply(stack, envelope) == 1
    [delivery] = rows_for(stack, envelope.id)

    # 29 days later: inside the 30-day window, the inbox id is kept and absorbs a redelivery.
    _age(stack, inbox, "applied_at", inbox.c.message_id == envelope.id, 29)
    runtime.purge_retention()
    assert _inbox_ids(stack, envelope.id)
    assert apply(stack, envelope) == 0
    assert len(rows_for(stack, envelope.id)) == 1

    # 31 days: the inbox id goes; a finished delivery keeps its status but not its text.
    _age(stack, inbox, "applied_at", inbox.c.message_id == envelope.id, 31)
    with runtime.db.transaction() as session:
        session.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery["id"])
            .values(status="delivered", created_at=utcnow() - timedelta(31))
        )
    done = runtime.purge_retention()
    assert done["inbox"] >= 1 and done["service"] >= 1
    assert _inbox_ids(stack, envelope.id) == []
    [kept] = rows_for(stack, envelope.id)
    assert kept["status"] == "delivered" and kept["body"] == "" and kept["recipient_enc"] is None
    assert kept["recipient_masked"] == delivery["recipient_masked"]


def test_only_published_outbox_rows_past_the_window_are_deleted(stack):
    runtime = stack.runtime("applicants")
    outbox = runtime.spec.tables.outbox
    with runtime.db.transaction() as session:
        old_sent = runtime.emit(session, "applicants.test_retention", {"n": 1})
        old_unsent = runtime.emit(session, "applicants.test_retention", {"n": 2})
        fresh = runtime.emit(session, "applicants.test_retention", {"n": 3})
        session.info.pop("outbox")  # keep the relay out of it: this test sets the columns
        long_ago = utcnow() - timedelta(40)
        session.flush()
        session.execute(
            update(outbox)
            .where(outbox.c.id.in_([old_sent.id, fresh.id]))
            .values(published_at=utcnow())
        )
        session.execute(
            update(outbox).where(outbox.c.id == old_sent.id).values(published_at=long_ago)
        )
    runtime.purge_retention()
    with runtime.db.read() as session:
        left = set(session.scalars(select(outbox.c.id)))
    assert old_sent.id not in left
    assert {old_unsent.id, fresh.id} <= left  # never published: kept whatever its age


def test_inbox_ids_of_a_dead_lettered_message_outlive_the_window(stack, notifier_factory):
    """A replay after the window must not apply again what some handler already did."""
    notifier_factory()
    runtime = stack.runtime("notifications")
    inbox = runtime.spec.tables.inbox
    envelope = received(stack, phone="01055550001")
    assert apply(stack, envelope) == 1
    runtime.dead_letters.record(envelope.to_dict(), "exhausted", "another handler failed", 4)
    _age(stack, inbox, "applied_at", inbox.c.message_id == envelope.id, 40)
    runtime.purge_retention()
    assert _inbox_ids(stack, envelope.id)
    assert apply(stack, envelope) == 0
