"""The 2022 report as data: recompute the report's own totals and rates from the TOML files.

Where the report disagrees with itself, the data keep what is printed and the test asserts
the discrepancy exactly as it stands, naming the section and page.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from services.common.report_data import load, rate_pct

ROOT = Path(__file__).resolve().parents[2]
BUDGET = load(ROOT / "services/budget/demo/report_2022.toml")
PROGRAMS = load(ROOT / "services/applicants/demo/programs_2022.toml")
MARKETS = load(ROOT / "services/markets/demo/markets_2022.toml")
JOBCENTRE = load(ROOT / "services/applicants/demo/jobcentre_2022.toml")

SOURCES = {"national", "city", "district", "fund"}
UNITS = BUDGET["unit_programs"]
SUBS = {s["section"]: s for s in BUDGET["sub_programs"]}
PUBLIC_JOBS = {p["code"]: p for p in PROGRAMS["programs"]}


def whole_pct(part: int, total: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("1"), ROUND_HALF_UP)


def million(thousand: int) -> int:
    """천원 to 백만원, rounded half-up."""
    return int((Decimal(thousand) / 1000).quantize(Decimal("1"), ROUND_HALF_UP))


# --- Ⅰ.4 예산현황 -------------------------------------------------------------------------


def test_header():
    assert BUDGET["fiscal_year"] == 2022
    assert BUDGET["as_of"] == date(2022, 8, 31)
    assert BUDGET["unit"] == "천원"


def test_nine_unit_programs_as_printed():
    assert [u["name"] for u in UNITS] == [
        "희망이 되는 안정적인 일자리 지원",
        "지역일자리사업 지원",
        "기업하기 좋은 도시 영등포 구현",
        "생활경제안정 및 도시농업 활성화",
        "동물보호 및 가축질병예방",
        "전통시장 경영현대화 지원",
        "전통시장 시설현대화 지원",
        "인력운영비",
        "기본경비",
    ]


def test_unit_rows_sum_to_printed_total():
    total = BUDGET["total"]
    assert sum(u["budget_thousand"] for u in UNITS) == total["budget_thousand"] == 36_118_055
    assert sum(u["executed_thousand"] for u in UNITS) == total["executed_thousand"] == 26_351_314


@pytest.mark.parametrize("row", [*UNITS, BUDGET["total"]], ids=lambda r: r.get("name", "계"))
def test_unit_rate_is_reproduced(row):
    assert rate_pct(row["executed_thousand"], row["budget_thousand"]) == Decimal(row["rate_pct"])


# --- 세부사업 예산현황 (Ⅱ.1–Ⅱ.7, Ⅲ.1–Ⅲ.2) ---------------------------------------------------


def test_every_section_is_transcribed():
    assert list(SUBS) == ["Ⅱ.1", "Ⅱ.2", "Ⅱ.3", "Ⅱ.4", "Ⅱ.5", "Ⅱ.6", "Ⅱ.7", "Ⅲ.1", "Ⅲ.2"]
    teams = {"일자리창출팀", "상공인지원팀", "생활경제팀", "시장지원팀"}
    assert {s["team"] for s in SUBS.values()} == teams


@pytest.mark.parametrize("sub", SUBS.values(), ids=list(SUBS))
def test_sub_program_split_sums_to_total(sub):
    for kind in ("budget", "executed"):
        split = sub[f"{kind}_split_thousand"]
        assert set(split) <= SOURCES
        assert sum(split.values()) == sub[f"{kind}_thousand"]


@pytest.mark.parametrize("section", [s for s in SUBS if s != "Ⅱ.5"])
def test_sub_program_rate_is_reproduced(section):
    sub = SUBS[section]
    assert rate_pct(sub["executed_thousand"], sub["budget_thousand"]) == Decimal(sub["rate_pct"])


def test_sub_program_rate_discrepancy_section_2_5_page_8():
    # Ⅱ.5 소상공인 경영안정 지원 (p. 8): 3,581,505 / 6,902,600 = 51.886 %, which rounds
    # half-up to 51.9; the report prints 51.8 (truncated). Every other printed rate rounds
    # (e.g. Ⅱ.4: 43.751 -> 43.8), so 51.8 is not the report's own rule.
    sub = SUBS["Ⅱ.5"]
    assert sub["rate_pct"] == "51.8"
    assert rate_pct(sub["executed_thousand"], sub["budget_thousand"]) == Decimal("51.9")
    assert Decimal(sub["rate_pct"]) == Decimal("51.9") - Decimal("0.1")


def test_unexecuted_sub_program_section_3_2():
    # Ⅲ.2: printed rate "0" (no decimal); the recomputed 0.0 equals it.
    sub = SUBS["Ⅲ.2"]
    assert sub["executed_thousand"] == 0
    assert rate_pct(0, sub["budget_thousand"]) == Decimal(sub["rate_pct"]) == Decimal("0.0")


def test_only_section_2_1_is_linked_and_it_equals_its_unit_row():
    linked = {s["section"]: s["unit_program"] for s in SUBS.values() if "unit_program" in s}
    assert linked == {"Ⅱ.1": "희망이 되는 안정적인 일자리 지원"}
    unit = next(u for u in UNITS if u["name"] == linked["Ⅱ.1"])
    sub = SUBS["Ⅱ.1"]
    assert (sub["budget_thousand"], sub["executed_thousand"], sub["rate_pct"]) == (
        unit["budget_thousand"],
        unit["executed_thousand"],
        unit["rate_pct"],
    )


def test_rate_pct_edge_cases():
    assert rate_pct(0, 0) == Decimal("0.0")
    assert str(rate_pct(0, 0)) == "0.0"
    assert rate_pct(1, 8) == Decimal("12.5")
    assert rate_pct(1, 16) == Decimal("6.3")  # 6.25 rounds half-up


# --- Ⅱ.2 공공일자리 -------------------------------------------------------------------------


def test_public_job_quotas_sum_to_560():
    assert [p["quota"] for p in PROGRAMS["programs"]] == [414, 29, 71, 46]
    assert sum(p["quota"] for p in PROGRAMS["programs"]) == PROGRAMS["total_quota"] == 560


def test_public_job_programs_as_printed():
    assert {c: p["name"] for c, p in PUBLIC_JOBS.items()} == {
        "safe": "안심일자리",
        "community": "지역공동체일자리",
        "quarantine": "지역방역일자리",
        "youth": "청년드림나래",
    }
    assert {c: p["hourly_wage_krw"] for c, p in PUBLIC_JOBS.items()} == {
        "safe": 9160,
        "community": 9160,
        "quarantine": 9160,
        "youth": 10766,
    }
    common = PROGRAMS["common"]
    assert (common["min_age"], common["daily_hours_min"], common["daily_hours_max"]) == (18, 3, 8)
    assert (common["senior_min_age"], common["senior_daily_hours"]) == (65, 3)
    assert common["senior_days_per_week"] == 5
    for p in PUBLIC_JOBS.values():
        assert p["eligibility"]["max_property_krw"] == 400_000_000
        assert p["eligibility"]["max_income_pct_of_median"] == 70
    assert {c for c, p in PUBLIC_JOBS.items() if p["eligibility"]["priority"]} == {
        "quarantine",
        "youth",
    }
    assert PUBLIC_JOBS["youth"]["age_band"] == {"min": 18, "max": 39, "printed": False}


def test_public_job_periods():
    year = PROGRAMS["period"]
    for p in PUBLIC_JOBS.values():
        for period in p["periods"]:
            assert year["start"] <= period["start"] <= period["end"] <= year["end"]
            if period.get("half") == "상반기":
                assert period["end"] <= date(2022, 6, 30)
            if period.get("half") == "하반기":
                assert period["start"] >= date(2022, 7, 1)
    assert PUBLIC_JOBS["safe"]["periods"][0] == {
        "half": "상반기",
        "start": date(2022, 1, 1),
        "end": date(2022, 6, 30),
    }
    assert PUBLIC_JOBS["community"]["periods"][1]["end"] == date(2022, 11, 30)
    assert PUBLIC_JOBS["quarantine"]["ended"] is True


@pytest.mark.parametrize("code", list(PUBLIC_JOBS))
def test_public_job_budget_split_sums_and_matches_ratio(code):
    p = PUBLIC_JOBS[code]
    split, ratio = p["budget_split_million"], p["funding_ratio_pct"]
    assert sum(split.values()) == p["budget_million"]
    assert sum(ratio.values()) == 100
    assert set(split) == set(ratio)
    # The ratio is printed in whole percent: each printed share reproduces it at that precision.
    for source, amount in split.items():
        assert whole_pct(amount, p["budget_million"]) == ratio[source]


def test_public_job_safe_split_is_not_an_exact_70_30_split():
    # Ⅱ.2 (p. 5), 안심일자리: 2,698백만원 at 시70:구30 is 1,888.6 : 809.4, which rounds to
    # 1,889 : 809; the report prints 시1,888, 구810 (69.98 % : 30.02 %). Kept as printed.
    p = PUBLIC_JOBS["safe"]
    exact_city = Decimal(p["budget_million"]) * p["funding_ratio_pct"]["city"] / 100
    exact_district = Decimal(p["budget_million"]) * p["funding_ratio_pct"]["district"] / 100
    assert (exact_city, exact_district) == (Decimal("1888.6"), Decimal("809.4"))
    assert p["budget_split_million"]["city"] == million(1_888_600) - 1 == 1888
    assert p["budget_split_million"]["district"] == million(809_400) + 1 == 810


def test_public_job_budgets_agree_between_files():
    budget_file = {b["code"]: b for b in BUDGET["public_job_budgets"]}
    assert set(budget_file) == set(PUBLIC_JOBS)
    for code, b in budget_file.items():
        p = PUBLIC_JOBS[code]
        assert b["sub_program"] == "Ⅱ.2"
        assert b["name"] == p["name"]
        for key in ("budget_million", "budget_split_million", "funding_ratio_pct"):
            assert b[key] == p[key]


def test_public_job_budgets_against_section_2_2_total():
    # Ⅱ.2 (p. 5): the four program budgets sum to 4,040백만원, but the section's 예산현황
    # prints 4,041,211천원 (4,041백만원). The gap is all in 시비: 1,888 + 152 + 111 = 2,151
    # against 2,151,858천원 (2,152백만원). 국비 and 구비 agree after rounding.
    sub = SUBS["Ⅱ.2"]
    jobs = BUDGET["public_job_budgets"]
    total = sum(b["budget_million"] for b in jobs)
    assert total == 4040
    assert total == million(sub["budget_thousand"]) - 1
    by_source = {
        s: sum(b["budget_split_million"].get(s, 0) for b in jobs)
        for s in sub["budget_split_thousand"]
    }
    printed = {s: million(v) for s, v in sub["budget_split_thousand"].items()}
    assert by_source == {"national": 223, "city": 2151, "district": 1666}
    assert printed == {"national": 223, "city": 2152, "district": 1666}
    assert by_source["city"] == printed["city"] - 1


# --- Ⅲ.1 project costs and Ⅱ.7 / Ⅲ.1 markets -------------------------------------------------


def test_project_costs_section_3_1():
    costs = {c["code"]: c for c in BUDGET["project_costs"]}
    assert costs["iot_fire_detection"]["cost_thousand"] == 84_000
    assert costs["iot_fire_detection"]["funding_ratio_pct"] == {
        "national": 70,
        "city": 15,
        "district": 15,
    }
    assert costs["talking_extinguisher"]["cost_thousand"] == 10_000
    assert costs["talking_extinguisher"]["funding_ratio_pct"] == {"district": 100}
    assert sum(c["cost_thousand"] for c in costs.values()) <= SUBS["Ⅲ.1"]["budget_thousand"]
    jobs = {j["code"]: j for j in MARKETS["safety_jobs"]}
    for code, cost in costs.items():
        assert jobs[code]["cost_thousand"] == cost["cost_thousand"]
        assert jobs[code]["funding_ratio_pct"] == cost["funding_ratio_pct"]


def test_iot_store_counts():
    iot = next(j for j in MARKETS["safety_jobs"] if j["code"] == "iot_fire_detection")
    assert {s["market"]: s["stores"] for s in iot["sites"]} == {"동남상가": 56, "삼구시장": 54}
    assert sum(s["stores"] for s in iot["sites"]) == 56 + 54 == 110
    assert (iot["start"], iot["end"]) == (date(2022, 5, 1), date(2022, 8, 31))
    stores = {m["name"]: m["stores"] for m in MARKETS["markets"] if "stores" in m}
    assert stores == {"동남상가": 56, "삼구시장": 54}


def test_market_safety_jobs():
    jobs = {j["code"]: j for j in MARKETS["safety_jobs"]}
    talking = jobs["talking_extinguisher"]
    assert (talking["market_count"], talking["units"]) == (9, 418)
    assert {s["market"]: s["units"] for s in jobs["cctv"]["sites"]} == {
        "영신상가": 9,
        "남서울상가": 16,
    }
    assert [s["market"] for s in jobs["wiring_renewal"]["sites"]] == ["영일시장", "영등포청과시장"]
    assert (jobs["wiring_renewal"]["start"], jobs["wiring_renewal"]["end"]) == (
        date(2022, 9, 1),
        date(2022, 12, 31),
    )
    assert jobs["fire_mutual_insurance"]["start"].month == 10
    assert [s["market"] for s in jobs["fire_equipment_replacement"]["sites"]] == ["동남상가"]


def test_every_referenced_market_is_listed():
    names = [m["name"] for m in MARKETS["markets"]]
    assert len(names) == len(set(names)) == 9
    referenced = {
        site["market"]
        for group in ("support_activities", "safety_jobs")
        for item in MARKETS[group]
        for site in item.get("markets", item.get("sites", []))
    }
    assert referenced == set(names)


# --- Ⅱ.1 일자리플러스센터 ---------------------------------------------------------------------


def test_job_centre_figures():
    c = JOBCENTRE["job_centre"]
    assert JOBCENTRE["as_of"] == date(2022, 8, 31)
    assert (c["employers_hiring"], c["positions_offered"], c["job_seekers"]) == (1771, 2491, 1494)
    assert (c["referrals"], c["placed"]) == (11120, 772)
    assert (JOBCENTRE["job_for_you"]["events"], JOBCENTRE["job_for_you"]["hired"]) == (10, 72)
    assert (JOBCENTRE["training"]["courses"], JOBCENTRE["training"]["trainees"]) == (5, 225)
    subsidy = JOBCENTRE["employment_retention_subsidy"]
    assert (subsidy["workers"], subsidy["amount_thousand"]) == (275, 321_000)


def test_job_centre_placement_rate_is_reproduced():
    c = JOBCENTRE["job_centre"]
    assert (
        rate_pct(c["placed"], c["job_seekers"])
        == Decimal(c["placement_rate_pct"])
        == Decimal("51.7")
    )
    # No other denominator in the table gives the printed rate.
    assert rate_pct(c["placed"], c["positions_offered"]) == Decimal("31.0")
    assert rate_pct(c["placed"], c["referrals"]) == Decimal("6.9")
