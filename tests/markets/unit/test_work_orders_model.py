"""Work-order rules as pure functions: prices that add up, amendments, cancellation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.markets.domain import work_orders as rules
from services.markets.domain.model import DomainError
from services.markets.domain.work_orders import Conflict, Contractor, NotFound, Unit, WorkOrder

NOW = datetime(2060, 5, 1, tzinfo=UTC)


def order(quantity=3, amount=3_000_000, units=3, **changes) -> WorkOrder:
    base = WorkOrder(
        id="o1", job_id="j1", job_code="2022-iot_fire_detection", market_id="m1",
        fiscal_year=2060, quantity=quantity, amount_krw=amount, due_date=date(2060, 6, 30),
        contractor=Contractor("(주)안전설비", "1348672683", "시공-a"),
        units=tuple(Unit(str(n), n) for n in range(1, units + 1)),
        commitment_status="committed", commitment_id="c1",
    )  # fmt: skip
    return replace(base, **changes)


def verify_all(o: WorkOrder) -> WorkOrder:
    for u in o.units:
        if not u.verified:
            o, _ = rules.verify_unit(o, u.code, "staff", NOW)
    return o


@given(st.integers(1, 60), st.data())
def test_the_units_of_an_order_add_up_to_its_amount(quantity, data):
    amount = data.draw(st.integers(quantity, 10**12))
    done = verify_all(order(quantity, amount, quantity))
    prices = [u.amount_krw for u in done.units]
    assert sum(prices) == amount
    assert max(prices) - min(prices) <= 1


def test_an_amendment_keeps_the_sum_right_for_the_units_left():
    o, first = rules.verify_unit(order(), "1", "staff", NOW)
    assert first.amount_krw == 1_000_000
    o = rules.amend(o, {"amount_krw": 3_500_001})
    done = verify_all(o)
    assert sum(u.amount_krw for u in done.units) == 3_500_001


def test_brn_is_checked_with_stdnum():
    assert rules.check_brn("134-86-72683") == "1348672683"
    assert rules.format_brn("1348672683") == "134-86-72683"
    for bad in ("000-00-00000", "134-00-72683", "13486726", "134-86-7268x"):
        with pytest.raises(DomainError, match="사업자등록번호"):
            rules.check_brn(bad)


def test_amendments_cannot_drop_or_move_verified_units():
    o, _ = rules.verify_unit(order(), "1", "staff", NOW)
    with pytest.raises(Conflict, match="검수된"):
        rules.amend(o, {"units": (Unit("2", 2),)})
    with pytest.raises(Conflict, match="검수된"):
        rules.amend(o, {"units": (Unit("1", 9), Unit("2", 2))})
    with pytest.raises(DomainError, match="1원 이상"):
        rules.amend(o, {"amount_krw": 1_000_001})  # 1 won left for two units
    kept = rules.amend(o, {"units": (Unit("1", 1), Unit("7", 7)), "quantity": 2})
    assert kept.units[0].verified and not kept.units[1].verified


def test_cancel_verify_and_budget_answers():
    with pytest.raises(Conflict, match="지출원인행위"):
        rules.verify_unit(order(commitment_status="waiting"), "1", "staff", NOW)
    with pytest.raises(NotFound):
        rules.verify_unit(order(), "9", "staff", NOW)
    cancelled = rules.cancel(order(), " 업체 부도 ")
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "업체 부도")
    with pytest.raises(Conflict, match="취소된"):
        rules.amend(cancelled, {"quantity": 4})
    verified, _ = rules.verify_unit(order(), "1", "staff", NOW)
    with pytest.raises(Conflict, match="취소할 수 없습니다"):
        rules.cancel(verified, "x")
    committed = order()
    assert rules.record_commitment(committed, "refused", reason="늦게") == committed
    paid = rules.record_payment(verified, ["1"], "paid", "e1", {"national": 1})
    assert rules.record_payment(paid, ["1"], "refused", reason="x") == paid
