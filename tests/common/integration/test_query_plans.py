"""Queries that run for every application, every few seconds, or every hour never read
the whole of a table that grows with the years (placements, ledger lines, the alarm
timeline, deliveries, the inbox). SQLite only: PostgreSQL plans by its statistics."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.common.tables import utcnow
from tests.support.plans import full_scans, plans_of

pytestmark = pytest.mark.integration


@pytest.fixture
def engine_of(stack):
    def engine(service: str):
        runtime = stack.runtime(service)
        if runtime.db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's plans; PostgreSQL plans by its statistics")
        return runtime, runtime.db.engine

    return engine


def _uses(plans, index: str) -> bool:
    return any(index in line for _, lines in plans for line in lines)


def test_the_intake_gate_finds_past_places_through_an_index(engine_of):
    from services.applicants.adapters.applications import intake_gate

    runtime, engine = engine_of("applicants")

    def gate():
        with runtime.db.transaction() as session:
            intake_gate(session, "no-such-recruitment", "some-person")

    plans = plans_of(engine, gate)
    assert full_scans(plans, ("placements", "applications", "selections")) == []
    assert _uses(plans, "ix_placements_application")


def test_the_alarm_sweep_reads_only_recent_notices(engine_of):
    from services.markets.service_layer.sweep import republish_unreported

    runtime, engine = engine_of("markets")
    plans = plans_of(engine, lambda: republish_unreported(runtime, utcnow()))
    assert full_scans(plans, ("alarm_timeline", "report", "outbox")) == []
    assert _uses(plans, "ix_alarm_timeline_kind_at")


def test_the_execution_report_sums_one_years_ledger(engine_of):
    from services.budget.adapters.ledger_repo import sums_as_of

    runtime, engine = engine_of("budget")

    def sums():
        with runtime.db.read() as session:
            sums_as_of(session, 2022, date(2022, 12, 31))
            sums_as_of(session, 2022, date(2022, 12, 31), leave_out=("carry_in",))

    plans = plans_of(engine, sums)
    assert full_scans(plans, ("ledger_entries", "accounts")) == []
    assert _uses(plans, "ix_accounts_fiscal_year")


def test_retention_and_the_receipt_poll_read_only_the_rows_they_change(engine_of):
    from services.notifications.adapters.repository import sent_with
    from services.notifications.service_layer.retention import blank_old_bodies

    runtime, engine = engine_of("notifications")

    def hourly():
        with runtime.db.transaction() as session:
            blank_old_bodies(session, utcnow() - timedelta(days=30))
        with runtime.db.read() as session:
            sent_with(session, ("nhn-sms-sms", "nhn-sms-lms"))

    plans = plans_of(engine, hourly)
    assert full_scans(plans, ("deliveries",)) == []
    assert _uses(plans, "ix_deliveries_unblanked")
    assert _uses(plans, "ix_deliveries_provider_sent")


def test_the_retention_purge_finds_old_inbox_ids_through_an_index(engine_of):
    runtime, engine = engine_of("markets")
    plans = plans_of(engine, runtime.purge_retention)
    assert full_scans(plans, ("inbox", "outbox")) == []
    assert _uses(plans, "ix_inbox_applied_at")
