"""Work orders over the markets API (issue #12.1, #12.2): issue, read, amend, cancel, verify;
Korean 422s that store nothing; the audit trail; budget's answers recorded on the order;
contractors who see only their own orders (404 for anyone else's, on every route)."""

from __future__ import annotations

import json
import uuid

import pytest
from orders_flow import BRN, URL, catalogue, contractor, issue, order_body, send_test_signal
from sqlalchemy import func, select

from services.common.envelope import Envelope
from services.markets.adapters.orm import work_order_audit, work_order_units, work_orders

pytestmark = pytest.mark.integration
YEAR = 2039  # budget never opens it in these tests: nothing here is committed for real


@pytest.fixture(scope="module")
def cat(stack):
    return catalogue(stack)


def _hangul(text) -> bool:
    return isinstance(text, str) and any("\uac00" <= ch <= "\ud7a3" for ch in text)


def _rows(stack) -> dict[str, int]:
    runtime = stack.runtime("markets")
    tables = (work_orders, work_order_units, work_order_audit, runtime.spec.tables.outbox)
    with runtime.db.read() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in tables}


def _events(stack, event_type: str, order_id: str) -> list[dict]:
    outbox = stack.runtime("markets").spec.tables.outbox
    with stack.runtime("markets").db.read() as session:
        rows = session.scalars(
            select(outbox.c.envelope)
            .where(outbox.c.type == event_type)
            .order_by(outbox.c.created_at)
        )
        return [e["payload"] for e in rows if e["payload"]["work_order_id"] == order_id]


def _get(stack, order_id: str, headers=None):
    return stack.client("markets").get(f"{URL}/{order_id}", headers=headers or stack.auth("staff"))


def _answer(stack, event_type: str, **payload) -> None:
    """Budget's answer, delivered to markets' inbox as its worker would."""
    envelope = Envelope(type=event_type, producer="budget", payload=payload)
    assert stack.runtime("markets").consumer.deliver(envelope.to_dict()) == 1


def test_staff_issue_an_order_read_it_with_its_audit_and_budget_is_asked(stack, cat):
    order = issue(stack, order_body(cat, "시공-a", YEAR, contractor_brn="1348672683"))
    assert order["contractor"] == {"name": "(주)안전설비", "brn": BRN, "account": "시공-a"}
    assert (
        order["market"]["name"] == "동남상가" and order["job"]["code"] == "2022-iot_fire_detection"
    )
    assert (order["status"], order["commitment"]["status"]) == ("issued", "requested")
    assert [(u["code"], u["store_number"], u["status"]) for u in order["units"]] == [
        ("1", 1, "pending"), ("2", 2, "pending"), ("3", 3, "pending")]  # fmt: skip
    assert all(u["store_name"] for u in order["units"])
    [entry] = order["audit"]
    assert (entry["action"], entry["by"], entry["before"]) == ("issued", "test-staff", None)
    assert entry["after"]["amount_krw"] == 3_000_000 and entry["after"]["quantity"] == 3
    assert _get(stack, order["id"]).get_json() == order
    [asked] = _events(stack, "markets.work_order_issued", order["id"])
    assert (asked["job_code"], asked["fiscal_year"], asked["amount_krw"]) == (
        "2022-iot_fire_detection", YEAR, 3_000_000)  # fmt: skip
    assert asked["contractor"]["brn"] == BRN


@pytest.mark.parametrize(
    "change, field",
    [
        ({"contractor_brn": "000-00-00000"}, "contractor_brn"),
        ({"contractor_brn": "134-86-7268"}, "contractor_brn"),
        ({"contractor_name": "   "}, "contractor_name"),
        ({"quantity": 0}, "quantity"),
        ({"amount_krw": -5}, "amount_krw"),
        ({"due_date": "2039-02-30"}, "due_date"),
        ({"units": [{"store_number": 1, "code": "한글"}]}, "units"),
        ({"job_id": "no-such-job"}, None),
        ({"market_id": "no-such-market"}, None),
        ({"market_id": "영일시장"}, None),  # not a site of the IoT job
        ({"units": [{"store_number": 999}]}, None),  # not a store of 동남상가
        ({"quantity": 1}, None),  # three units for one
        ({"units": [{"store_number": 1}, {"store_number": 2, "code": "1"}]}, None),
        ({"due_date": "2041-01-10"}, None),  # after the next fiscal year
        ({"amount_krw": 2}, None),  # less than 1 won a unit
    ],
)
def test_bad_input_is_a_korean_422_and_stores_nothing(stack, cat, change, field):
    if change.get("market_id") == "영일시장":
        change = {"market_id": cat.market["영일시장"]}
    before = _rows(stack)
    answer = stack.client("markets").post(
        URL, json=order_body(cat, "시공-b", YEAR, **change), headers=stack.auth("staff")
    )
    assert answer.status_code == 422, answer.get_json()
    assert answer.content_type == "application/problem+json"
    body = answer.get_json()
    if field:
        [message] = body["errors"]["json"][field] if field != "units" else [
            m for item in body["errors"]["json"]["units"].values() for m in item["code"]]  # fmt: skip
        assert _hangul(message), body
    else:
        assert _hangul(body["detail"]) and "errors" not in body, body
    assert _rows(stack) == before


def test_amendments_are_audited_with_before_and_after(stack, cat):
    order = issue(stack, order_body(cat, "시공-c", YEAR))
    url = f"{URL}/{order['id']}"
    change = {"quantity": 4, "amount_krw": 4_400_000, "due_date": f"{YEAR}-09-30",
              "units": [{"store_number": 1}, {"store_number": 2}, {"store_number": 5, "code": "5-1"}]}  # fmt: skip
    amended = stack.client("markets").patch(url, json=change, headers=stack.auth("staff"))
    assert amended.status_code == 200, amended.get_json()
    got = amended.get_json()
    assert (got["quantity"], got["amount_krw"], got["due_date"]) == (4, 4_400_000, f"{YEAR}-09-30")
    assert [u["code"] for u in got["units"]] == ["1", "2", "5-1"]
    last = got["audit"][-1]
    assert (last["action"], last["by"]) == ("amended", "test-staff")
    assert last["before"] == {"quantity": 3, "amount_krw": 3_000_000, "due_date": f"{YEAR}-06-30",
                              "units": order["audit"][0]["after"]["units"]}  # fmt: skip
    assert last["after"]["units"][-1] == {"code": "5-1", "store_number": 5}
    assert set(last["after"]) == {"quantity", "amount_krw", "due_date", "units"}

    before = _rows(stack)  # nothing new, or nothing valid: nothing written
    same = stack.client("markets").patch(url, json={"quantity": 4}, headers=stack.auth("staff"))
    assert same.status_code == 200 and len(same.get_json()["audit"]) == 2
    too_few = stack.client("markets").patch(url, json={"quantity": 2}, headers=stack.auth("staff"))
    assert too_few.status_code == 422 and _hangul(too_few.get_json()["detail"])
    assert _rows(stack) == before


def test_a_cancelled_order_cannot_be_amended_cancelled_or_verified(stack, cat):
    order = issue(stack, order_body(cat, "시공-d", YEAR))
    url, staff = f"{URL}/{order['id']}", stack.auth("staff")
    client = stack.client("markets")
    blank = client.post(f"{url}/cancellation", json={"reason": "  "}, headers=staff)
    assert blank.status_code == 422 and _hangul(blank.get_json()["errors"]["json"]["reason"][0])
    cancelled = client.post(f"{url}/cancellation", json={"reason": "업체 부도"}, headers=staff)
    assert cancelled.status_code == 200, cancelled.get_json()
    got = cancelled.get_json()
    assert (got["status"], got["cancel_reason"]) == ("cancelled", "업체 부도")
    assert got["audit"][-1]["before"] == {"status": "issued", "cancel_reason": None}
    assert got["audit"][-1]["after"] == {"status": "cancelled", "cancel_reason": "업체 부도"}
    [sent] = _events(stack, "markets.work_order_cancelled", order["id"])
    assert (sent["reason"], sent["commitment_id"]) == ("업체 부도", None)

    before = _rows(stack)
    for answer in (
        client.patch(url, json={"amount_krw": 1_000_000}, headers=staff),
        client.post(f"{url}/cancellation", json={"reason": "다시"}, headers=staff),
        client.post(f"{url}/units/1/verification", headers=staff),
    ):
        assert answer.status_code == 409, answer.get_json()
        assert answer.content_type == "application/problem+json"
        assert _hangul(answer.get_json()["detail"])
    assert _rows(stack) == before

    # Budget's commitment came after the cancellation: markets asks it again to release.
    _answer(stack, "budget.work_order_committed", work_order_id=order["id"],
            commitment_id="c-late", split={"national": 3_000_000})  # fmt: skip
    assert _get(stack, order["id"]).get_json()["commitment"]["commitment_id"] == "c-late"
    resent = _events(stack, "markets.work_order_cancelled", order["id"])
    assert [e["commitment_id"] for e in resent] == [None, "c-late"]


def test_budget_answers_and_verified_units_are_on_the_order(stack, cat):
    order = issue(stack, order_body(cat, "시공-e", YEAR, amount_krw=3_000_001))
    oid, staff, client = order["id"], stack.auth("staff"), stack.client("markets")
    early = client.post(f"{URL}/{oid}/units/1/verification", headers=staff)
    assert early.status_code == 409 and "지출원인행위" in early.get_json()["detail"]

    reason = f"{YEAR}회계연도 예산이 아직 열리지 않았습니다."
    _answer(stack, "budget.work_order_commitment_refused", work_order_id=oid, waiting=True,
            code="link_missing", reason=reason)  # fmt: skip
    assert _get(stack, oid).get_json()["commitment"] | {"split": None} == {
        "status": "waiting", "status_name": "예산 연결 대기", "commitment_id": None,
        "reason": reason, "split": None}  # fmt: skip
    commitment_id, split = str(uuid.uuid4()), {"national": 2_100_001, "city": 450_000,
                                              "district": 450_000}  # fmt: skip
    _answer(stack, "budget.work_order_committed", work_order_id=oid,
            commitment_id=commitment_id, split=split)  # fmt: skip
    _answer(stack, "budget.work_order_commitment_refused", work_order_id=oid, reason="늦게 온 거절")
    got = _get(stack, oid).get_json()
    assert got["commitment"]["status"] == "committed"  # a late refusal takes nothing back
    assert (got["commitment"]["commitment_id"], got["commitment"]["split"]) == (
        commitment_id,
        split,
    )
    assert [a["by"] for a in got["audit"][-2:]] == ["budget(이벤트)", "budget(이벤트)"]

    unsignalled = client.post(f"{URL}/{oid}/units/1/verification", headers=staff)
    assert unsignalled.status_code == 409 and "시험 신호" in unsignalled.get_json()["detail"]
    prices = []
    for code in ("1", "2"):
        send_test_signal(stack, oid, code)  # a detector counts once its test reached the merchant
        answer = client.post(f"{URL}/{oid}/units/{code}/verification", headers=staff)
        assert answer.status_code == 200, answer.get_json()
        unit = next(u for u in answer.get_json()["units"] if u["code"] == code)
        assert (unit["status"], unit["payment_status"]) == ("verified", "requested")
        prices.append(unit["amount_krw"])
    assert prices == [1_000_001, 1_000_000]  # the odd won first; the three add up
    sent = _events(stack, "markets.installation_completed", oid)
    assert [(p["units"][0]["code"], p["amount_krw"], p["commitment_id"]) for p in sent] == [
        ("1", 1_000_001, commitment_id), ("2", 1_000_000, commitment_id)]  # fmt: skip
    again = client.post(f"{URL}/{oid}/units/1/verification", headers=staff)
    assert again.status_code == 409
    assert client.post(f"{URL}/{oid}/units/9/verification", headers=staff).status_code == 404
    kept = client.patch(f"{URL}/{oid}", json={"units": [{"store_number": 2}]}, headers=staff)
    assert kept.status_code == 409  # a verified unit stays on the order
    swap = [{"store_number": 1}, {"store_number": 2}, {"store_number": 4}]
    swapped = client.patch(f"{URL}/{oid}", json={"units": swap}, headers=staff)
    assert [u["code"] for u in swapped.get_json()["units"]] == ["1", "2", "4"]
    with stack.runtime("markets").db.read() as session:
        asked = session.execute(
            select(work_order_units.c.code, work_order_units.c.message_id)
            .where(work_order_units.c.work_order_id == oid, work_order_units.c.message_id.is_not(None))
        ).all()  # fmt: skip
    assert sorted(code for code, _ in asked) == ["1", "2"]  # each still knows its event

    _answer(stack, "budget.work_order_paid", work_order_id=oid, units=["1"],
            expenditure_id="exp-1", split={"national": 700_001, "city": 150_000,
                                           "district": 150_000})  # fmt: skip
    _answer(stack, "budget.work_order_payment_refused", work_order_id=oid, units=["2"],
            reason="지출원인행위 잔액이 부족합니다 (잔액 0원).")  # fmt: skip
    got = _get(stack, oid).get_json()
    units = {u["code"]: u for u in got["units"]}
    assert (units["1"]["payment_status"], units["1"]["expenditure_id"]) == ("paid", "exp-1")
    assert (units["2"]["payment_status_name"], units["2"]["payment_reason"]) == (
        "지급 거절", "지출원인행위 잔액이 부족합니다 (잔액 0원).")  # fmt: skip
    assert (got["claimed_krw"], got["paid_krw"], got["verified_units"]) == (2_000_001, 1_000_001, 2)
    assert got["audit"][-1]["action"] == "payment"
    cancel = client.post(f"{URL}/{oid}/cancellation", json={"reason": "x"}, headers=staff)
    assert cancel.status_code == 409  # verified units: amend the quantity instead


def test_contractors_see_only_their_own_orders_on_every_route(stack, cat, people):
    a, b = contractor(stack, "시공A"), contractor(stack, "시공B")
    mine = issue(stack, order_body(cat, a.name, YEAR))
    theirs = issue(stack, order_body(cat, b.name, YEAR))
    client = stack.client("markets")

    listed = client.get(URL, query_string={"page_size": 500}, headers=a.auth)
    assert listed.status_code == 200
    assert [o["id"] for o in listed.get_json()] == [mine["id"]]
    assert json.loads(listed.headers["X-Pagination"])["total"] == 1
    assert _get(stack, mine["id"], a.auth).get_json() == _get(stack, mine["id"]).get_json()

    missing = _get(stack, str(uuid.uuid4()), a.auth)
    other = _get(stack, theirs["id"], a.auth)
    assert (missing.status_code, other.status_code) == (404, 404)
    assert other.get_json() == missing.get_json() and _hangul(other.get_json()["detail"])
    filtered = client.get(URL, query_string={"job_id": theirs["job"]["id"]}, headers=a.auth)
    assert theirs["id"] not in {o["id"] for o in filtered.get_json()}

    # Staff-only routes: the same 403 for one's own order, another's and none at all.
    for oid in (mine["id"], theirs["id"], str(uuid.uuid4())):
        for answer in (
            client.patch(f"{URL}/{oid}", json={"quantity": 3}, headers=a.auth),
            client.post(f"{URL}/{oid}/cancellation", json={"reason": "x"}, headers=a.auth),
            client.post(f"{URL}/{oid}/units/1/verification", headers=a.auth),
        ):
            assert answer.status_code == 403, answer.get_json()
    assert client.post(URL, json=order_body(cat, a.name, YEAR), headers=a.auth).status_code == 403

    # A contractor signed in at /login is its account name: the same rule.
    person = people("contractor", "markets")
    own = issue(stack, order_body(cat, person.name, YEAR))
    assert person.client.get(f"{URL}/{own['id']}").status_code == 200
    assert person.client.get(f"{URL}/{theirs['id']}").status_code == 404
    assert [o["id"] for o in person.client.get(URL).get_json()] == [own["id"]]


def test_staff_list_every_order_in_pages(stack, cat):
    for _ in range(2):
        issue(stack, order_body(cat, f"시공-{uuid.uuid4().hex[:6]}", YEAR))
    first = stack.client("markets").get(
        URL, query_string={"fiscal_year": YEAR, "page_size": 1}, headers=stack.auth("staff")
    )
    assert first.status_code == 200 and len(first.get_json()) == 1
    meta = json.loads(first.headers["X-Pagination"])
    assert meta["total"] >= 2 and meta["next_page"] == 2
    assert first.get_json()[0]["status_name"] == "발주"
