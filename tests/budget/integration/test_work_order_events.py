"""Budget's handlers of markets' work-order events, delivered to its inbox: refusals are
answered (never lost), payments check the commitment is the order's, a cancellation
releases what is held or drops a waiting request."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from services.budget.adapters.orm import commitments, pending_commitments
from services.common.envelope import Envelope

pytestmark = pytest.mark.integration
CODE = "2022-iot_fire_detection"
RATIO = {"national": 70, "city": 15, "district": 15}


def _deliver(stack, event_type: str, **payload) -> Envelope:
    envelope = Envelope(type=event_type, producer="markets", payload=payload)
    assert stack.runtime("budget").consumer.deliver(envelope.to_dict()) == 1
    return envelope


def _answers(stack, order_id: str) -> list[tuple[str, dict]]:
    outbox = stack.runtime("budget").spec.tables.outbox
    with stack.runtime("budget").db.read() as session:
        rows = session.execute(
            select(outbox.c.type, outbox.c.envelope)
            .where(outbox.c.type.like("budget.work_order_%"))
            .order_by(outbox.c.created_at)  # in the order they were answered
        )
        return [(t, e["payload"]) for t, e in rows if e["payload"]["work_order_id"] == order_id]


def _issued(stack, year: int, amount: int) -> str:
    order_id = str(uuid.uuid4())
    _deliver(stack, "markets.work_order_issued", work_order_id=order_id, job_code=CODE,
             fiscal_year=year, amount_krw=amount, quantity=2)  # fmt: skip
    return order_id


@pytest.fixture
def linked_year(stack, fresh_year):
    year = fresh_year({"national": 700_000, "city": 150_000, "district": 150_000})
    answer = stack.client("budget").put(
        f"/budget/api/v1/program-links/{year.year}/{CODE}",
        json={"sub_program_id": year.sub_id, "ratio_pct": RATIO}, headers=stack.auth("finance"),
    )  # fmt: skip
    assert answer.status_code == 200, answer.get_json()
    return year


def test_a_commitment_beyond_the_appropriation_is_answered_as_refused(stack, linked_year):
    order_id = _issued(stack, linked_year.year, 1_000_001)
    [(kind, answer)] = _answers(stack, order_id)
    assert kind == "budget.work_order_commitment_refused"
    assert (answer["code"], answer["waiting"], answer["shortfall_krw"]) == (
        "insufficient_funds", False, 1)  # fmt: skip
    assert "부족" in answer["reason"]


def test_payments_check_the_commitment_and_its_balance(stack, linked_year):
    order_id = _issued(stack, linked_year.year, 600_000)
    [(kind, committed)] = _answers(stack, order_id)
    assert kind == "budget.work_order_committed"
    assert committed["split"] == {"national": 420_000, "city": 90_000, "district": 90_000}
    units = [{"code": "1", "store_number": 1}]
    stranger = _issued(stack, linked_year.year, 1_000)  # someone else's commitment
    other_commitment = _answers(stack, stranger)[0][1]["commitment_id"]
    _deliver(stack, "markets.installation_completed", work_order_id=order_id, units=units,
             commitment_id=other_commitment, amount_krw=300_000)  # fmt: skip
    _deliver(stack, "markets.installation_completed", work_order_id=order_id, units=units,
             commitment_id=committed["commitment_id"], amount_krw=300_001)  # fmt: skip
    _deliver(stack, "markets.installation_completed", work_order_id=order_id,
             units=[{"code": "2"}], commitment_id=committed["commitment_id"],
             amount_krw=300_000)  # fmt: skip
    answers = _answers(stack, order_id)[1:]
    assert [(k.split(".")[1], a.get("code")) for k, a in answers] == [
        ("work_order_payment_refused", "no_commitment"),
        ("work_order_paid", None),
        ("work_order_payment_refused", "insufficient_commitment"),
    ]
    assert answers[1][1]["split"] == {"national": 210_001, "city": 45_000, "district": 45_000}
    assert "잔액" in answers[2][1]["reason"] and answers[2][1]["units"] == ["2"]


def test_a_cancellation_releases_the_commitment_or_drops_the_waiting_request(
    stack, linked_year, fresh_year
):
    order_id = _issued(stack, linked_year.year, 200_000)
    commitment_id = _answers(stack, order_id)[0][1]["commitment_id"]
    _deliver(stack, "markets.work_order_cancelled", work_order_id=order_id,
             commitment_id=commitment_id, reason="업체 부도")  # fmt: skip
    with stack.runtime("budget").db.read() as session:
        released = session.scalar(
            select(commitments.c.released_krw).where(commitments.c.id == commitment_id)
        )
    assert released == 200_000

    unlinked = fresh_year({"city": 1_000_000})
    waiting = _issued(stack, unlinked.year, 50_000)
    [(kind, answer)] = _answers(stack, waiting)
    assert (kind, answer["waiting"], answer["code"]) == (
        "budget.work_order_commitment_refused", True, "link_missing")  # fmt: skip
    _deliver(stack, "markets.work_order_cancelled", work_order_id=waiting, commitment_id=None,
             reason="취소")  # fmt: skip
    p = pending_commitments.c
    with stack.runtime("budget").db.read() as session:
        status = session.scalar(select(p.status).where(p.application_id == f"work_order:{waiting}"))
    assert status == "cancelled"
