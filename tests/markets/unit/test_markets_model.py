"""Markets domain rules as pure functions, and the 2022 report read into commands."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.common.report_data import load
from services.markets.demo_data import DEMO_FILE, KIND_OF, demo_commands
from services.markets.domain import model


def job(**changes):
    base = model.SafetyJob(
        id="j1",
        code="2022-iot_fire_detection",
        kind="iot_fire_sensor",
        title="화재알림시설 설치",
        status="done",
        sites=(model.JobSite("m1", "동남상가"), model.JobSite("m2", "삼구시장")),
        starts=date(2022, 5, 1),
        ends=date(2022, 8, 31),
        budget_krw=84_000_000,
        funding_ratio_pct={"national": 70, "city": 15, "district": 15},
    )
    return replace(base, **changes)


def test_iot_budget_splits_exactly_by_its_printed_ratio():
    assert job().funding_split_krw == {
        "national": 58_800_000,
        "city": 12_600_000,
        "district": 12_600_000,
    }


def test_leftover_won_go_to_the_largest_remainders_then_source_order():
    assert model.split_by_ratio(10, {"national": 50, "city": 25, "district": 25}) == {
        "national": 5,
        "city": 3,
        "district": 2,
    }
    assert model.split_by_ratio(7, {"city": 30, "district": 70}) == {"city": 2, "district": 5}


ratios = st.sampled_from(
    [
        {"national": 70, "city": 15, "district": 15},
        {"national": 50, "city": 25, "district": 25},
        {"city": 70, "district": 30},
        {"city": 75, "district": 25},
        {"district": 100},
        {"national": 33, "city": 33, "district": 33, "fund": 1},
    ]
)


@given(st.integers(min_value=0, max_value=10**13), ratios)
def test_split_always_adds_up_and_stays_within_a_won(amount, ratio):
    split = model.split_by_ratio(amount, ratio)
    assert sum(split.values()) == amount
    for source, share in split.items():
        assert abs(share * 100 - amount * ratio[source]) < 100


@pytest.mark.parametrize(
    ("ratio", "message"),
    [
        ({"national": 70, "city": 15}, "합이 100%가 아닙니다: 85%"),
        ({"lottery": 100}, "알 수 없는 재원"),
        ({"city": 100, "district": 0}, "1 이상의 정수"),
        ({"city": 50.5, "district": 49.5}, "1 이상의 정수"),
    ],
)
def test_bad_funding_ratios_are_refused(ratio, message):
    with pytest.raises(model.DomainError, match=message):
        model.check_funding_ratio(ratio)


def test_job_without_budget_has_no_split():
    assert job(budget_krw=None).funding_split_krw is None
    assert job(funding_ratio_pct=None).funding_split_krw is None


def test_names_are_korean():
    assert job().kind_name == "IoT 화재감지기 설치"
    assert job(status="planned").status_name == "예정"


def test_plan_safety_job_accepts_a_consistent_job():
    assert model.plan_safety_job(job()) == job()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "sprinkler"}, "알 수 없는 안전사업 종류"),
        ({"status": "cancelled"}, "예정\\(planned\\) 또는 완료\\(done\\)"),
        ({"title": "  "}, "안전사업명"),
        ({"ends": date(2022, 4, 30)}, "종료일이 시작일보다 빠릅니다"),
        ({"budget_krw": -1}, "0원 이상"),
        ({"funding_ratio_pct": {"city": 90}}, "합이 100%가 아닙니다"),
        ({"sites": (model.JobSite("m1", "동남상가"),) * 2}, "같은 시장을 두 번"),
        ({"sites": (model.JobSite("m1", "영신상가", 0),)}, "설치 수량은 1 이상"),
        ({"market_count": 1}, "대상 시장 수"),
        (
            {"sites": (model.JobSite("m1", "영신상가", 9),), "total_units": 8},
            "총 수량이 시장별 수량의 합보다 적습니다",
        ),
    ],
)
def test_plan_safety_job_rejects(changes, message):
    with pytest.raises(model.DomainError, match=message):
        model.plan_safety_job(job(**changes))


# --- the 2022 report, read into commands (no database) -----------------------------------

REPORT = load(DEMO_FILE)


def test_every_report_job_has_a_known_kind():
    assert {j["code"] for j in REPORT["safety_jobs"]} == set(KIND_OF)
    assert set(KIND_OF.values()) == set(model.JOB_KINDS)


def test_report_reads_into_commands():
    markets, jobs = demo_commands(REPORT)
    assert {m.name: m.store_count for m in markets if m.store_count} == {
        "동남상가": 56,
        "삼구시장": 54,
    }
    assert len({m.name for m in markets}) == len(markets) == 9
    iot = next(j for j in jobs if j.kind == "iot_fire_sensor")
    assert iot.code == "2022-iot_fire_detection"
    assert iot.budget_krw == 84_000_000
    assert [s.market for s in iot.sites] == ["동남상가", "삼구시장"]
    extinguisher = next(j for j in jobs if j.kind == "talking_extinguisher")
    assert (extinguisher.market_count, extinguisher.total_units) == (9, 418)
    named = {m.name for m in markets}
    assert {s.market for j in jobs for s in j.sites} <= named
