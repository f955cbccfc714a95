"""The 2022 markets and safety jobs loaded into the markets service, read over its API."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from services.common.report_data import load
from services.markets.adapters import orm
from services.markets.demo_data import DEMO_FILE

pytestmark = pytest.mark.integration

REPORT = load(DEMO_FILE)
TABLES = (orm.markets, orm.safety_jobs, orm.safety_job_sites)
MARKETS_URL = "/markets/api/v1/markets"
JOBS_URL = "/markets/api/v1/safety-jobs"


def counts(runtime) -> dict[str, int]:
    with runtime.db.read() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


@pytest.fixture(scope="module")
def seeded(stack):
    runtime = stack.runtime("markets")
    before = counts(runtime)
    first = runtime.spec.seed_demo(runtime)
    return SimpleNamespace(runtime=runtime, before=before, first=first)


def jobs_by_kind(stack, role="contractor") -> dict[str, dict]:
    response = stack.client("markets").get(JOBS_URL, headers=stack.auth(role))
    assert response.status_code == 200, response.get_json()
    return {j["kind"]: j for j in response.get_json()}


def test_seed_demo_loads_the_report_then_does_nothing(seeded):
    runtime = seeded.runtime
    loaded = counts(runtime)
    if seeded.before == {"markets": 0, "safety_jobs": 0, "safety_job_sites": 0}:
        assert seeded.first is True
        assert loaded == {
            "markets": len(REPORT["markets"]),
            "safety_jobs": len(REPORT["safety_jobs"]),
            "safety_job_sites": sum(len(j["sites"]) for j in REPORT["safety_jobs"]),
        }
    assert loaded["markets"] >= 9
    assert runtime.spec.seed_demo(runtime) is False
    assert counts(runtime) == loaded


def test_markets_are_public_and_include_the_store_counts(stack, seeded):
    response = stack.client("markets").get(MARKETS_URL)
    assert response.status_code == 200
    markets = {m["name"]: m for m in response.get_json()}
    assert {m["name"] for m in REPORT["markets"]} <= set(markets)
    assert markets["동남상가"]["store_count"] == 56
    assert markets["삼구시장"]["store_count"] == 54
    assert markets["영일시장"]["store_count"] is None


def test_iot_job_lists_its_two_markets(stack, seeded):
    iot = jobs_by_kind(stack)["iot_fire_sensor"]
    ids = {m["name"]: m["id"] for m in stack.client("markets").get(MARKETS_URL).get_json()}
    assert {s["market_name"]: s["market_id"] for s in iot["sites"]} == {
        "동남상가": ids["동남상가"],
        "삼구시장": ids["삼구시장"],
    }
    assert iot["title"] == "화재알림시설 설치(IoT 화재감지시스템 구축)"
    assert (iot["starts"], iot["ends"], iot["status"]) == ("2022-05-01", "2022-08-31", "done")
    assert iot["budget_krw"] == 84_000_000
    assert iot["funding_ratio_pct"] == {"national": 70, "city": 15, "district": 15}
    assert iot["funding_split_krw"] == {
        "national": 58_800_000,
        "city": 12_600_000,
        "district": 12_600_000,
    }


def test_other_jobs_keep_what_the_report_prints(stack, seeded):
    jobs = jobs_by_kind(stack, role="staff")
    assert set(jobs) == {
        "iot_fire_sensor",
        "talking_extinguisher",
        "wiring",
        "cctv",
        "fire_equipment",
        "fire_insurance",
    }
    cctv = {s["market_name"]: s["units"] for s in jobs["cctv"]["sites"]}
    assert cctv == {"영신상가": 9, "남서울상가": 16}
    extinguisher = jobs["talking_extinguisher"]
    assert (extinguisher["market_count"], extinguisher["total_units"]) == (9, 418)
    assert extinguisher["funding_split_krw"] == {"district": 10_000_000}
    assert jobs["wiring"]["status"] == "planned"
    assert {s["market_name"] for s in jobs["wiring"]["sites"]} == {"영일시장", "영등포청과시장"}
    assert jobs["fire_insurance"]["sites"] == []
    assert jobs["cctv"]["starts"] is None and jobs["cctv"]["budget_krw"] is None


def test_safety_jobs_need_a_token(stack, seeded):
    response = stack.client("markets").get(JOBS_URL)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("role", ["finance", "device"])
def test_safety_jobs_are_closed_to_other_roles(stack, seeded, role):
    response = stack.client("markets").get(JOBS_URL, headers=stack.auth(role))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "contractor, staff" in response.get_json()["detail"]
