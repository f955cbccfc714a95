"""A real budget worker commits wages on participant_selected, once per envelope."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from services.budget.adapters.orm import commitments, documents, program_mappings
from services.common.envelope import Envelope

from infra import wait_until

pytestmark = pytest.mark.integration


def selected(application_id: str, wage: int, event_type="applicants.participant_selected"):
    return Envelope(
        type=event_type,
        producer="applicants",
        payload={
            "application_id": application_id, "recruitment_id": "r-1", "selection_id": "s-1",
            "program_code": "safe", "program_name": "안심일자리",
            "recipient": {"name_masked": "홍*동", "phone_enc": None, "email_enc": None,
                          "kakao": False},
            "fiscal_year": 2022, "work_starts": "2022-09-01", "work_ends": "2022-12-30",
            "daily_hours": 5, "hourly_wage_krw": 9160, "working_days": 83,
            "wage_commitment_krw": wage, "unknown_field": "ignored",
        },
    )  # fmt: skip


def commitments_for(runtime, application_id: str) -> list:
    with runtime.db.read() as session:
        return session.execute(
            select(commitments, documents.c.idempotency_key)
            .join(documents, documents.c.id == commitments.c.id)
            .where(documents.c.application_id == application_id)
        ).all()


def outbox_payloads(runtime, event_type: str) -> list[dict]:
    outbox = runtime.spec.tables.outbox
    with runtime.db.read() as session:
        rows = session.execute(select(outbox.c.envelope).where(outbox.c.type == event_type))
        return [r.envelope["payload"] for r in rows]


def test_selected_twice_commits_once_then_withdrawal_releases(stack, budget_2022, worker_factory):
    worker = worker_factory("budget")
    runtime, applicants = stack.runtime("budget"), stack.runtime("applicants")
    app_id = f"app-{uuid.uuid4().hex[:10]}"
    envelope = selected(app_id, 1_000_001).to_dict()
    applicants.publish(envelope)
    applicants.publish(envelope)  # redelivered / published twice
    wait_until(lambda: commitments_for(runtime, app_id), timeout=30)
    wait_until(lambda: worker.log.read_text().count("succeeded") >= 2, timeout=30)
    rows = commitments_for(runtime, app_id)
    assert len(rows) == 1
    assert rows[0].amount_krw == 1_000_001
    assert rows[0].idempotency_key == f"commitment:{envelope['id']}"
    with runtime.db.read() as session:
        mapping = session.execute(
            select(program_mappings).where(
                program_mappings.c.fiscal_year == 2022, program_mappings.c.program_code == "safe"
            )
        ).one()
    assert rows[0].program_id == mapping.sub_program_id  # Ⅱ.2 공공일자리
    committed = [p for p in outbox_payloads(runtime, "budget.funds_committed")
                 if p["idempotency_key"] == envelope["id"]]  # fmt: skip
    assert len(committed) == 1
    assert committed[0]["split"] == {"city": 700_001, "district": 300_000}  # 시70:구30
    assert committed[0]["sub_program_title"] == "취업취약계층 생계지원을 위한 공공일자리 창출"

    withdrawn = Envelope(
        type="applicants.participant_withdrawn", producer="applicants",
        payload={"application_id": app_id, "recruitment_id": "r-1", "program_code": "safe",
                 "reason": "취업", "fiscal_year": 2022, "recipient": {}},
    )  # fmt: skip
    applicants.publish(withdrawn.to_dict())
    wait_until(lambda: commitments_for(runtime, app_id)[0].released_krw == 1_000_001, timeout=30)


def test_promoted_beyond_the_appropriation_is_refused_with_the_shortfall(
    stack, budget_2022, worker_factory
):
    worker_factory("budget")
    runtime = stack.runtime("budget")
    app_id = f"app-{uuid.uuid4().hex[:10]}"
    envelope = selected(app_id, 10**13, "applicants.participant_promoted").to_dict()
    envelope["payload"]["replaces_application_id"] = "app-old"
    stack.runtime("applicants").publish(envelope)

    def refused():
        return [p for p in outbox_payloads(runtime, "budget.commitment_refused")
                if p["idempotency_key"] == envelope["id"]]  # fmt: skip

    [payload] = wait_until(refused, timeout=30)
    assert payload["requested_krw"] == 10**13
    assert payload["shortfall_krw"] > 0
    assert payload["available_krw"] + payload["shortfall_krw"] == 10**13
    assert commitments_for(runtime, app_id) == []
