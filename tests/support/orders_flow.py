"""Work orders in tests: the 2022 catalogue's ids, a contractor account, an order's body."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from sqlalchemy import select

from services.markets.adapters.orm import markets, safety_jobs

URL = "/markets/api/v1/work-orders"
IOT = "2022-iot_fire_detection"  # sites: 동남상가 (56 stores), 삼구시장 (54)
BRN = "134-86-72683"  # a valid 사업자등록번호 (python-stdnum's own example)


def catalogue(stack) -> SimpleNamespace:
    """The demo's markets and jobs (loaded once; loading again adds nothing)."""
    runtime = stack.runtime("markets")
    runtime.spec.seed_demo(runtime)
    with runtime.db.read() as session:
        market = dict(session.execute(select(markets.c.name, markets.c.id)).all())
        job = dict(session.execute(select(safety_jobs.c.code, safety_jobs.c.id)).all())
    return SimpleNamespace(market=market, job=job)


def contractor(stack, label: str = "시공") -> SimpleNamespace:
    """A contractor account with its own bearer token on markets."""
    name = f"{label}-{uuid.uuid4().hex[:8]}"
    token = stack.apps["markets"].extensions["tokens"].issue(name, "contractor")
    return SimpleNamespace(name=name, auth={"Authorization": f"Bearer {token}"})


def order_body(cat, account: str, year: int, **changes) -> dict:
    body = {
        "job_id": cat.job[IOT],
        "market_id": cat.market["동남상가"],
        "fiscal_year": year,
        "quantity": 3,
        "amount_krw": 3_000_000,
        "due_date": f"{year}-06-30",
        "contractor_name": "(주)안전설비",
        "contractor_brn": BRN,
        "contractor_account": account,
        "units": [{"store_number": 1}, {"store_number": 2}, {"store_number": 3}],
    }
    return {**body, **changes}


def issue(stack, body: dict) -> dict:
    answer = stack.client("markets").post(URL, json=body, headers=stack.auth("staff"))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()
