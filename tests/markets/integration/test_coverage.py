"""Coverage of the safety jobs (issue #12.6): the report's targets per job and market
beside what work orders ordered, verified and paid; JSON and XLSX; staff only."""

from __future__ import annotations

import io
import uuid

import pytest
from openpyxl import load_workbook
from orders_flow import IOT, URL, catalogue, issue, order_body, send_test_signal

from services.common.envelope import Envelope

pytestmark = pytest.mark.integration
COVERAGE = "/markets/api/v1/coverage"
YEAR = 2038  # never opened in budget: the answers below are delivered by hand


def _rows(stack, **query) -> dict:
    answer = stack.client("markets").get(COVERAGE, query_string=query, headers=stack.auth("staff"))
    assert answer.status_code == 200, answer.get_json()
    return {(r["job_code"], r["market"]): r for r in answer.get_json()}


def _answer(stack, event_type: str, **payload) -> None:
    envelope = Envelope(type=event_type, producer="budget", payload=payload)
    assert stack.runtime("markets").consumer.deliver(envelope.to_dict()) == 1


def test_the_reports_targets_per_job_and_market(stack):
    catalogue(stack)
    rows = _rows(stack)
    assert rows[(IOT, "동남상가")]["target_units"] == 56
    assert rows[(IOT, "삼구시장")]["target_units"] == 54
    assert rows[(IOT, None)]["target_units"] == 110
    extinguishers = [r for (code, _), r in rows.items() if "talking_extinguisher" in code]
    assert [r["target_units"] for r in extinguishers if r["market"] is None] == [418]
    cctv = {m: r["target_units"] for (code, m), r in rows.items() if code.endswith("cctv")}
    assert (cctv["영신상가"], cctv["남서울상가"], cctv[None]) == (9, 16, 25)


def test_orders_verified_and_paid_units_move_the_figures_once(stack):
    cat = catalogue(stack)
    before = _rows(stack, job=IOT)
    order = issue(stack, order_body(cat, f"시공-{uuid.uuid4().hex[:6]}", YEAR))  # 3 units
    oid = order["id"]
    _answer(stack, "budget.work_order_committed", work_order_id=oid, commitment_id=str(uuid.uuid4()),
            split={"national": 2_100_000, "city": 450_000, "district": 450_000})  # fmt: skip
    staff, client = stack.auth("staff"), stack.client("markets")
    for code in ("1", "2"):
        send_test_signal(stack, oid, code)  # a detector counts once its test reached the merchant
        done = client.post(f"{URL}/{oid}/units/{code}/verification", headers=staff)
        assert done.status_code == 200, done.get_json()
    _answer(stack, "budget.work_order_paid", work_order_id=oid, units=["1"], expenditure_id="e1",
            split={"national": 700_001, "city": 150_000, "district": 150_000})  # fmt: skip
    after = _rows(stack, job=IOT)
    for key in ((IOT, "동남상가"), (IOT, None)):
        moved = {k: after[key][k] - before[key][k] for k in after[key]
                 if isinstance(after[key][k], int) and k != "target_units"}  # fmt: skip
        assert moved == {"ordered_units": 3, "reported_units": 2, "verified_units": 2,
                         "paid_units": 1, "ordered_krw": 3_000_000, "verified_krw": 2_000_000,
                         "paid_krw": 1_000_000}, key  # fmt: skip
    assert after[(IOT, "삼구시장")] == before[(IOT, "삼구시장")]
    assert {code for code, _ in after} == {IOT}  # the job asked for only

    cancelled = issue(stack, order_body(cat, f"시공-{uuid.uuid4().hex[:6]}", YEAR))
    client.post(
        f"{URL}/{cancelled['id']}/cancellation", json={"reason": "중복 발주"}, headers=staff
    )
    assert (
        _rows(stack, job=IOT)[(IOT, None)]["ordered_units"] == after[(IOT, None)]["ordered_units"]
    )


def test_coverage_as_xlsx_and_for_staff_only(stack):
    catalogue(stack)
    client = stack.client("markets")
    answer = client.get(COVERAGE, query_string={"format": "xlsx"}, headers=stack.auth("staff"))
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("사업", "시장", "목표", "발주")
    totals = [r for r in rows[1:] if r[1] == "합계"]
    assert 418 in [r[2] for r in totals] and 110 in [r[2] for r in totals]
    contractor = client.get(COVERAGE, headers=stack.auth("contractor"))
    assert contractor.status_code == 403
    bad = client.get(COVERAGE, query_string={"format": "pdf"}, headers=stack.auth("staff"))
    assert bad.status_code == 422
