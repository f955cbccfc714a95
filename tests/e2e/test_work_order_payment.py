"""A work order from issue to payment, with real budget and markets workers (issue #12.5).

Staff issue an order before finance linked the job's code: budget keeps the request
waiting, and the order says so. Finance links the code (국70:시15:구15): the commitment is
made and recorded on the order. The contractor reports the 3 units with photos; staff
verify 2 (each detector's test signal reached the merchant) and send 1 back: budget pays
exactly those two, each split 70:15:15 in whole won, and the 예산현황 moves. The same
events delivered again pay nothing twice. The contractor reports the third again; it is
verified and paid once more.
"""

from __future__ import annotations

import random

import pytest
from orders_flow import (
    IOT,
    URL,
    catalogue,
    contractor,
    issue,
    order_body,
    report_unit,
    send_test_signal,
)
from sqlalchemy import select

from services.budget.adapters import repository
from services.budget.adapters.orm import accounts, documents, ledger_entries
from services.markets.domain.model import split_by_ratio

from infra import wait_until

pytestmark = pytest.mark.integration
RATIO = {"national": 70, "city": 15, "district": 15}  # Ⅲ.1 IoT 화재감지: 국70 시15 구15
BUDGET = "/budget/api/v1"


def _open_year(stack) -> int:
    """A year nobody opened (2040–2059: apart from the other tests' ranges), opened now."""
    finance, budget = stack.auth("finance"), stack.client("budget")
    years = list(range(2040, 2060))
    random.shuffle(years)
    for year in years:
        with stack.runtime("budget").db.read() as session:
            if repository.fiscal_year_exists(session, year):
                continue
        if (
            budget.post(f"{BUDGET}/fiscal-years", json={"year": year}, headers=finance).status_code
            == 201
        ):
            return year
    raise AssertionError("no free fiscal year in 2040–2059")


def _sub_program(stack, year: int) -> str:
    finance, budget = stack.auth("finance"), stack.client("budget")
    sub = budget.post(f"{BUDGET}/sub-programs", json={
        "fiscal_year": year, "section": "Ⅲ.1", "title": "전통시장 화재알림시설 설치",
        "team": "시장지원팀", "sources": {"national": 58_800_000, "city": 12_600_000,
                                          "district": 12_600_000}},
        headers=finance)  # fmt: skip
    assert sub.status_code == 201, sub.get_json()
    return sub.get_json()["id"]


def _order(stack, oid: str, headers=None) -> dict:
    answer = stack.client("markets").get(f"{URL}/{oid}", headers=headers or stack.auth("staff"))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def _expenditures(stack, commitment_id: str) -> list[dict]:
    """Each expenditure of the commitment with its split by source, from budget's ledger."""
    with stack.runtime("budget").db.read() as session:
        docs = session.execute(
            select(documents.c.id, documents.c.amount_krw).where(
                documents.c.commitment_id == commitment_id, documents.c.kind == "expenditure"
            )
        ).all()
        found = []
        for doc in docs:
            lines = session.execute(
                select(accounts.c.source, ledger_entries.c.d_spent)
                .join(accounts, accounts.c.id == ledger_entries.c.account_id)
                .where(ledger_entries.c.document_id == doc.id)
            ).all()
            found.append({"id": doc.id, "amount_krw": doc.amount_krw,
                          "split": {s: int(a) for s, a in lines}})  # fmt: skip
    return sorted(found, key=lambda e: e["amount_krw"])


def _installation_events(stack, oid: str) -> list[dict]:
    outbox = stack.runtime("markets").spec.tables.outbox
    with stack.runtime("markets").db.read() as session:
        rows = session.scalars(
            select(outbox.c.envelope).where(outbox.c.type == "markets.installation_completed")
        )
        return [e for e in rows if e["payload"]["work_order_id"] == oid]


def test_issued_committed_two_units_verified_then_paid_once(stack, worker_factory):
    budget_worker = worker_factory("budget")
    worker_factory("markets")
    finance, staff = stack.auth("finance"), stack.auth("staff")
    budget, markets = stack.client("budget"), stack.client("markets")
    year = _open_year(stack)
    sub_id = _sub_program(stack, year)
    cat, firm = catalogue(stack), contractor(stack)

    # Issued before finance linked the job's code: the request waits, and the order says so.
    order = issue(stack, order_body(cat, firm.name, year, quantity=3, amount_krw=3_000_000))
    oid = order["id"]
    waiting = wait_until(lambda: _order(stack, oid)["commitment"]["status"] == "waiting" and
                         _order(stack, oid), timeout=60)  # fmt: skip
    assert f"{IOT}에 연결된 세부사업이 없습니다" in waiting["commitment"]["reason"]

    link = budget.put(f"{BUDGET}/program-links/{year}/{IOT}", json={
        "sub_program_id": sub_id, "ratio_pct": RATIO, "program_name": "IoT 화재감지"},
        headers=finance)  # fmt: skip
    assert link.status_code == 200 and link.get_json()["applied_waiting"] == 1, link.get_json()
    committed = wait_until(
        lambda: (o := _order(stack, oid))["commitment"]["status"] == "committed" and o, timeout=60
    )
    commitment_id = committed["commitment"]["commitment_id"]
    assert committed["commitment"]["split"] == split_by_ratio(3_000_000, RATIO)
    held = budget.get(f"{BUDGET}/commitments/{commitment_id}", headers=finance).get_json()
    assert (held["program_id"], held["amount_krw"], held["spent_krw"]) == (sub_id, 3_000_000, 0)

    # The contractor reports the three units with photos; staff approve two (each
    # detector's test signal reached the merchant) and send the third back.
    for code in ("1", "2", "3"):
        assert report_unit(stack, firm.auth, oid, code).status_code == 200
    for code in ("1", "2"):
        send_test_signal(stack, oid, code)
        answer = markets.post(f"{URL}/{oid}/units/{code}/verification", headers=staff)
        assert answer.status_code == 200, answer.get_json()
    back = markets.post(f"{URL}/{oid}/units/3/return", json={"reason": "사진이 흐립니다"},
                        headers=staff)  # fmt: skip
    assert back.status_code == 200, back.get_json()
    paid = wait_until(lambda: (o := _order(stack, oid, firm.auth))["paid_krw"] == 2_000_000 and o,
                      timeout=60)  # fmt: skip
    units = {u["code"]: u for u in paid["units"]}
    assert [units[c]["payment_status"] for c in ("1", "2", "3")] == ["paid", "paid", None]
    assert units["1"]["payment_split"] == split_by_ratio(1_000_000, RATIO)
    spent = _expenditures(stack, commitment_id)
    assert [e["amount_krw"] for e in spent] == [1_000_000, 1_000_000]
    assert all(e["split"] == {"national": 700_000, "city": 150_000, "district": 150_000}
               for e in spent)  # fmt: skip
    assert {e["id"] for e in spent} == {units["1"]["expenditure_id"], units["2"]["expenditure_id"]}
    report = budget.get(f"{BUDGET}/reports/execution", headers=finance,
                        query_string={"fiscal_year": year, "by": "sub_program"}).get_json()  # fmt: skip
    row = {r["key"]: r for r in report["rows"]}[sub_id]
    assert (row["executed_krw"], row["committed_krw"]) == (2_000_000, 3_000_000)

    # The same installation_completed delivered again: nothing is paid twice.
    events = _installation_events(stack, oid)
    assert len(events) == 2
    for envelope in events:
        stack.runtime("markets").publish(envelope)
    wait_until(lambda: budget_worker.log.read_text().count('"inbox.duplicate"') >= 2, timeout=60)
    assert markets.post(f"{URL}/{oid}/units/1/verification", headers=staff).status_code == 409
    assert len(_expenditures(stack, commitment_id)) == 2
    after = budget.get(f"{BUDGET}/commitments/{commitment_id}", headers=finance).get_json()
    assert (after["spent_krw"], after["outstanding_krw"]) == (2_000_000, 1_000_000)
    assert after["outstanding_by_source"] == {"national": 700_000, "city": 150_000,
                                              "district": 150_000}  # fmt: skip
    assert _order(stack, oid)["paid_krw"] == 2_000_000
    sent_back = {u["code"]: u for u in _order(stack, oid, firm.auth)["units"]}["3"]
    assert (sent_back["status"], sent_back["return_reason"]) == ("returned", "사진이 흐립니다")

    # The contractor fixes it and reports again: it is verified and paid once more.
    assert report_unit(stack, firm.auth, oid, "3").status_code == 200
    send_test_signal(stack, oid, "3")
    assert markets.post(f"{URL}/{oid}/units/3/verification", headers=staff).status_code == 200
    done = wait_until(lambda: (o := _order(stack, oid))["paid_krw"] == 3_000_000 and o, timeout=60)
    assert [u["payment_status"] for u in done["units"]] == ["paid", "paid", "paid"]
    assert [e["amount_krw"] for e in _expenditures(stack, commitment_id)] == [1_000_000] * 3
    final = budget.get(f"{BUDGET}/commitments/{commitment_id}", headers=finance).get_json()
    assert (final["spent_krw"], final["outstanding_krw"]) == (3_000_000, 0)
