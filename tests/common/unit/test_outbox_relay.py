"""The relay marks a row published only after the broker took it (SQLite, fake broker)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import MetaData, select

from services.common.db import Database
from services.common.outbox import Relay, emit
from services.common.tables import define_common_tables


class FlakyBroker:
    def __init__(self, fail_on: set[int]):
        self.fail_on = fail_on
        self.calls = 0
        self.received: list[str] = []

    def __call__(self, envelope: dict) -> None:
        self.calls += 1
        if self.calls in self.fail_on:
            raise ConnectionError("broker unreachable")
        self.received.append(envelope["id"])


@pytest.fixture
def setup(tmp_path):
    metadata = MetaData()
    tables = define_common_tables(metadata)
    db = Database(f"sqlite:///{tmp_path / 'relay.db'}")
    metadata.create_all(db.engine)
    return db, tables


def _emit(db, tables, n: int) -> list[str]:
    ids = []
    with db.transaction() as session:
        for i in range(n):
            ids.append(emit(session, tables, "test", "test.happened", {"i": i}).id)
    return ids


def _unpublished(db, tables) -> set[str]:
    with db.read() as session:
        rows = session.execute(
            select(tables.outbox.c.id).where(tables.outbox.c.published_at.is_(None))
        )
        return {r.id for r in rows}


def test_after_commit_publishes_and_marks(setup):
    db, tables = setup
    broker = FlakyBroker(set())
    relay = Relay(db, tables, broker, grace=0)
    db.after_commit.append(relay.after_commit)
    ids = _emit(db, tables, 3)
    assert broker.received == ids
    relay.flush()
    assert _unpublished(db, tables) == set()


def test_marks_of_many_commits_are_written_together_in_the_background(setup):
    db, tables = setup
    relay = Relay(db, tables, FlakyBroker(set()), grace=0)
    db.after_commit.append(relay.after_commit)
    writes = []
    write = relay.marks.write
    relay.marks.write = lambda ids: (writes.append(len(ids)), write(ids))
    ids = [i for _ in range(5) for i in _emit(db, tables, 2)]  # five commits

    deadline = time.monotonic() + 5
    while _unpublished(db, tables) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _unpublished(db, tables) == set()  # no flush: the thread wrote them
    assert sum(writes) == len(ids) and len(writes) < 5


def test_broker_failure_loses_nothing_and_sweep_sends_the_rest(setup):
    db, tables = setup
    broker = FlakyBroker(fail_on={2})
    relay = Relay(db, tables, broker, grace=0)
    db.after_commit.append(relay.after_commit)
    ids = _emit(db, tables, 3)  # the after-commit publish stops at the 2nd row
    relay.flush()

    assert broker.received == ids[:1]
    assert _unpublished(db, tables) == set(ids[1:])
    assert relay.sweep() == 2
    assert broker.received == ids
    assert _unpublished(db, tables) == set()
    assert relay.pending() == 0


def test_sweep_records_the_error_and_raises(setup):
    db, tables = setup
    ids = _emit(db, tables, 2)  # no after-commit hook: nothing published yet
    relay = Relay(db, tables, FlakyBroker(fail_on={1, 2, 3}), grace=0)
    with pytest.raises(ConnectionError):
        relay.sweep()
    with db.read() as session:
        rows = session.execute(select(tables.outbox)).all()
    assert {r.id for r in rows} == set(ids)
    assert all(r.attempts == 1 and "broker unreachable" in r.last_error for r in rows)


def test_rolled_back_transaction_publishes_nothing(setup):
    db, tables = setup
    broker = FlakyBroker(set())
    db.after_commit.append(Relay(db, tables, broker, grace=0).after_commit)
    with pytest.raises(RuntimeError), db.transaction() as session:
        emit(session, tables, "test", "test.happened", {})
        raise RuntimeError("state change failed")
    assert broker.received == []
    assert _unpublished(db, tables) == set()


def test_a_sweep_cut_short_marks_what_was_sent_and_records_the_rest(setup):
    db, tables = setup
    ids = _emit(db, tables, 3)  # no after-commit hook
    relay = Relay(db, tables, FlakyBroker(fail_on={2}), grace=0)
    with pytest.raises(ConnectionError):
        relay.sweep()
    with db.read() as session:
        rows = {r.id: r for r in session.execute(select(tables.outbox)).all()}
    first = rows[ids[0]]
    assert first.published_at is not None and first.attempts == 1 and first.last_error is None
    assert all(rows[i].published_at is None and rows[i].attempts == 1 for i in ids[1:])
    assert all("broker unreachable" in rows[i].last_error for i in ids[1:])
