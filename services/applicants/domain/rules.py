"""Eligibility and scoring rules as data: a rule set is versioned, staff edit it.

The thresholds printed in the 2022 report (재산 4억원 이하, 중위소득 70% 이하, 만 18세 이상,
65세 이상 1일 3시간) are the defaults; the 2022 기준 중위소득 table is data with its year.
Everything marked "system rule" below is not printed in the report.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from .model import PROGRAM_NAMES, DomainError

PRIORITY_GROUPS = {
    "basic_livelihood": "기초생활수급자",
    "near_poor": "차상위계층",
    "disabled": "장애인",
    "single_parent": "한부모가족",
    "defector": "북한이탈주민",
    "marriage_migrant": "결혼이민자",
    "long_term_unemployed": "장기실업자",
    "closed_business": "폐업 소상공인",
}

DEFAULT_RULES: dict[str, Any] = {
    "min_age": 18,
    "max_property_krw": 400_000_000,
    "max_income_pct_of_median": 70,
    "median_income": {
        "year": 2022,
        "monthly_krw": {
            "1": 1_944_812,
            "2": 3_260_085,
            "3": 4_194_701,
            "4": 5_121_080,
            "5": 6_024_515,
            "6": 6_907_004,
        },
        # system rule: each member beyond 6 adds the 5→6 difference
        "extra_member_krw": 882_489,
    },
    "senior_age": 65,
    "senior_daily_hours": 3,
    "program_age_bands": {"youth": [18, 39]},  # system rule (청년)
    "max_past_participations": 2,  # system rule: repeat limit
    "priority_groups": list(PRIORITY_GROUPS),
    # system rule: points, itemised per applicant
    "scoring": {
        "income_pct_of_median": [[30, 30], [50, 20], [70, 10]],  # [at most %, points]
        "property_krw": [[100_000_000, 10], [200_000_000, 5]],  # [at most KRW, points]
        "household_size": [[4, 5], [3, 3]],  # [at least members, points]
        "first_time": 10,
        "senior": 0,
    },
}


@dataclass(frozen=True)
class RuleSet:
    version: int
    data: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def median_income(self, household_size: int) -> int:
        table = self.data["median_income"]
        monthly = {int(k): v for k, v in table["monthly_krw"].items()}
        largest = max(monthly)
        if household_size <= largest:
            return monthly[max(1, household_size)]
        return monthly[largest] + (household_size - largest) * table["extra_member_krw"]

    def age_band(self, program_code: str) -> tuple[int, int] | None:
        band = self.data.get("program_age_bands", {}).get(program_code)
        return (band[0], band[1]) if band else None


def check_rules(data: dict[str, Any]) -> dict[str, Any]:
    """Domain checks of a proposed rule set (shape is checked at the edge)."""
    data = copy.deepcopy(data)
    if not 0 < data["max_income_pct_of_median"] <= 300:
        raise DomainError("중위소득 기준 비율은 1~300% 사이여야 합니다.")
    table = data["median_income"]["monthly_krw"]
    if "1" not in {str(k) for k in table}:
        raise DomainError("기준 중위소득 표에는 1인 가구 금액이 있어야 합니다.")
    data["median_income"]["monthly_krw"] = {str(k): int(v) for k, v in table.items()}
    for code in data.get("program_age_bands", {}):
        if code not in PROGRAM_NAMES:
            raise DomainError(f"알 수 없는 사업 코드입니다: {code}")
    for group in data["priority_groups"]:
        if group not in PRIORITY_GROUPS:
            raise DomainError(f"알 수 없는 우선선발 대상 구분입니다: {group}")
    if data["senior_daily_hours"] < 1 or data["senior_daily_hours"] > 8:
        raise DomainError("65세 이상 1일 근로시간은 1~8시간이어야 합니다.")
    return data
