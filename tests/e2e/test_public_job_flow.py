"""A public-job recruitment end to end across three services, with real workers:

applicants (intake, draw, withdrawal) -> notifications (each person told) and
budget (wages committed, then released on withdrawal).
The producers' payloads must satisfy the consumers' own contracts for any of this to apply.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from infra import wait_until

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "applicants"))
from builders_applicants import application  # noqa: E402

from services.budget.adapters.orm import commitments, documents  # noqa: E402
from services.notifications.adapters.orm import deliveries  # noqa: E402

pytestmark = pytest.mark.integration


def _events(stack, event_type: str, recruitment_id: str) -> list[dict]:
    runtime = stack.runtime("applicants")
    outbox = runtime.spec.tables.outbox
    with runtime.db.read() as session:
        rows = session.execute(select(outbox.c.envelope).where(outbox.c.type == event_type))
        return [
            r.envelope for r in rows if r.envelope["payload"]["recruitment_id"] == recruitment_id
        ]


def _told(stack, message_id: str) -> list[dict]:
    with stack.runtime("notifications").db.read() as session:
        rows = session.execute(select(deliveries).where(deliveries.c.message_id == message_id))
        return [dict(r._mapping) for r in rows]


def _commitment(stack, key: str) -> dict | None:
    with stack.runtime("budget").db.read() as session:
        row = session.execute(
            select(documents.c.amount_krw, commitments.c.released_krw)
            .join(commitments, commitments.c.id == documents.c.id)
            .where(documents.c.idempotency_key == f"commitment:{key}")  # scoped per kind
        ).first()
    return dict(row._mapping) if row else None


def test_apply_draw_withdraw_reaches_people_and_budget(stack, worker_factory, unique):
    budget = stack.runtime("budget")
    budget.spec.seed_demo(budget)  # the 2022 appropriations and program mappings
    worker_factory("notifications")
    worker_factory("budget")
    client = stack.client("applicants")
    seed = f"seed-{unique}"
    opened = client.post(
        "/applicants/api/v1/recruitments",
        json={
            "title": f"2022 하반기 안심일자리 {unique}",
            "year": 2022,
            "half": 2,
            "seed_hash": hashlib.sha256(seed.encode()).hexdigest(),
            "programs": [
                {
                    "code": "safe",
                    "quota": 1,
                    "hourly_wage": 9160,
                    "daily_hours": 5,
                    "work_starts": "2022-09-01",
                    "work_ends": "2022-09-30",
                }
            ],
        },  # fmt: skip
        headers=stack.auth("staff"),
    )
    assert opened.status_code == 201, opened.get_json()
    rid = opened.get_json()["id"]
    ids = []
    for who in ("a", "b"):
        response = client.post(
            f"/applicants/api/v1/recruitments/{rid}/applications",
            json=application(unique + who),
        )
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["status"] == "eligible"
        ids.append(response.get_json()["id"])
    draw = client.post(
        f"/applicants/api/v1/recruitments/{rid}/selection",
        json={"seed": seed},
        headers=stack.auth("staff"),
    )
    assert draw.status_code == 201, draw.get_json()

    # Each person is told: received (2), selected (1), waitlisted (1).
    for kind, count in (("application_received", 2), ("participant_selected", 1),
                        ("participant_waitlisted", 1)):  # fmt: skip
        envelopes = _events(stack, f"applicants.{kind}", rid)
        assert len(envelopes) == count
        for envelope in envelopes:
            told = wait_until(lambda e=envelope: _told(stack, e["id"]), timeout=60)
            assert len(told) == 1
            assert "010-" in (told[0]["recipient_masked"] or "")
            assert "****" in told[0]["recipient_masked"]

    # Budget commits the selected person's wages, exactly the amount applicants computed.
    [selected] = _events(stack, "applicants.participant_selected", rid)
    wage = selected["payload"]["wage_commitment_krw"]
    assert wage == 5 * 9160 * 20  # September 2022: 22 weekdays less 추석 (9/9, 9/12)
    first = wait_until(lambda: _commitment(stack, selected["id"]), timeout=60)
    assert first == {"amount_krw": wage, "released_krw": 0}

    # Withdrawal: budget releases the unpaid wages. The work period (September 2022) is
    # over, so nobody is promoted into it (a promotion is covered in tests/applicants and
    # its wage commitment in tests/budget).
    withdrawn = client.post(
        f"/applicants/api/v1/applications/{selected['payload']['application_id']}/withdrawal",
        json={"reason": "개인 사정"},
        headers=stack.auth("staff"),
    )
    assert withdrawn.status_code in (200, 201), withdrawn.get_json()
    [gone] = _events(stack, "applicants.participant_withdrawn", rid)
    assert gone["payload"]["application_id"] == selected["payload"]["application_id"]
    assert _events(stack, "applicants.participant_promoted", rid) == []
    wait_until(lambda: _commitment(stack, selected["id"])["released_krw"] == wage, timeout=60)
