"""Staff's work-order pages: issue from the form (errors linked to fields, a double click
issues once), verify a unit, cancel, and read the coverage table; contractors refused."""

from __future__ import annotations

import re
import uuid

import pytest
from orders_flow import BRN, IOT, catalogue, send_test_signal

from services.common.envelope import Envelope

pytestmark = pytest.mark.integration
YEAR = "2037"


def _form(cat, account: str, **changes) -> dict:
    return {"job_id": cat.job[IOT], "market_id": cat.market["동남상가"], "fiscal_year": YEAR,
            "stores": "1, 2", "quantity": "2", "amount_krw": "2,000,000",
            "due_date": "2037-06-30", "contractor_name": "(주)<b>안전</b>",
            "contractor_brn": BRN, "contractor_account": account, "key": uuid.uuid4().hex,
            **changes}  # fmt: skip


def test_staff_issue_verify_and_cancel_from_the_pages(stack, people):
    cat = catalogue(stack)
    staff = people("staff", "markets")
    assert "발주 등록" in staff.get("/markets/").get_data(as_text=True)
    staff.get("/markets/work-orders/new")
    bad = staff.post("/markets/work-orders/new", _form(cat, "시공-x", contractor_brn="123",
                                                       amount_krw="이백만", stores="1, 999999"))  # fmt: skip
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "<title>오류: " in page
    for field in ("contractor_brn", "amount_krw"):
        assert f'href="#{field}"' in page and f'id="{field}-error"' in page
    unknown_store = staff.post("/markets/work-orders/new", _form(cat, "시공-x", stores="1, 9999"))
    assert unknown_store.status_code == 422 and "등록되지 않은 점포" in unknown_store.get_data(
        as_text=True
    )

    form = _form(cat, f"시공-{uuid.uuid4().hex[:6]}")
    first = staff.post("/markets/work-orders/new", form)
    again = staff.post("/markets/work-orders/new", form)  # double click
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    oid = first.headers["Location"].rsplit("/", 1)[-1]
    page = staff.get(first.headers["Location"]).get_data(as_text=True)
    assert "발주했습니다" in page and "&lt;b&gt;안전&lt;/b&gt;" in page and "<b>안전" not in page
    assert f"<td>발주</td><td>{staff.name}</td>" in page  # the audit: what, in Korean, and who

    refused = staff.post(f"/markets/work-orders/{oid}/units/1/verification", {})
    assert "검수하지 못했습니다" in staff.get(refused.headers["Location"]).get_data(as_text=True)
    committed = Envelope(type="budget.work_order_committed", producer="budget",
                         payload={"work_order_id": oid, "commitment_id": str(uuid.uuid4()),
                                  "split": {"national": 1_400_000, "city": 300_000,
                                            "district": 300_000}})  # fmt: skip
    stack.runtime("markets").consumer.deliver(committed.to_dict())
    untested = staff.post(f"/markets/work-orders/{oid}/units/1/verification", {})
    assert "시험 신호" in staff.get(untested.headers["Location"]).get_data(as_text=True)
    send_test_signal(stack, oid, "1")
    done = staff.post(f"/markets/work-orders/{oid}/units/1/verification", {})
    page = staff.get(done.headers["Location"]).get_data(as_text=True)
    assert "검수했습니다" in page and "1,000,000" in page
    cancel = staff.post(f"/markets/work-orders/{oid}/cancellation", {"reason": "중복"})
    assert "취소하지 못했습니다" in staff.get(cancel.headers["Location"]).get_data(as_text=True)

    listed = staff.get("/markets/work-orders?status=issued").get_data(as_text=True)
    assert oid in listed
    table = staff.get("/markets/coverage").get_data(as_text=True)
    assert re.search(r"동남상가</th>\s*<td>56</td>", table) and "합계" in table


def test_contractors_do_not_see_staff_pages(people):
    contractor = people("contractor", "markets")
    for path in ("/markets/work-orders", "/markets/work-orders/new", "/markets/coverage"):
        assert contractor.get(path).status_code == 403
    assert "발주 등록" not in contractor.get("/markets/").get_data(as_text=True)
