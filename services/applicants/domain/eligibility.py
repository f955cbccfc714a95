"""Eligibility: the rules of a rule set applied to one application's facts.

Every failed rule is itemised (rule, value, Korean message); the decision records the
rule-set version that made it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import PROGRAM_NAMES
from .rules import PRIORITY_GROUPS, RuleSet


@dataclass(frozen=True)
class Facts:
    """What eligibility and scoring read: derived, never the raw personal data."""

    age: int
    in_district: bool
    household_size: int
    property_krw: int
    monthly_income_krw: int
    priority_groups: tuple[str, ...]
    past_participations: int
    preferences: tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    rule: str
    value: object
    message: str

    def to_dict(self) -> dict:
        return {"rule": self.rule, "value": self.value, "message": self.message}


@dataclass(frozen=True)
class Decision:
    eligible: bool
    reasons: tuple[Reason, ...]
    rule_version: int
    programs: tuple[str, ...]  # the preferences this person may be placed in, in order
    priority: bool  # holds at least one recognised priority-group claim

    @property
    def status(self) -> str:
        return "eligible" if self.eligible else "ineligible"


def income_pct(facts: Facts, rules: RuleSet) -> float:
    return facts.monthly_income_krw * 100 / rules.median_income(facts.household_size)


def decide(facts: Facts, rules: RuleSet) -> Decision:
    reasons: list[Reason] = []
    if facts.age < rules["min_age"]:
        reasons.append(
            Reason("min_age", facts.age, f"만 {rules['min_age']}세 이상만 신청할 수 있습니다.")
        )
    if not facts.in_district:
        reasons.append(Reason("residency", False, "영등포구 주민만 신청할 수 있습니다."))
    if facts.property_krw > rules["max_property_krw"]:
        limit = rules["max_property_krw"] // 10_000
        reasons.append(
            Reason(
                "max_property",
                facts.property_krw,
                f"가구 재산이 기준({limit:,}만원 이하)을 넘습니다.",
            )
        )
    limit_pct = rules["max_income_pct_of_median"]
    median = rules.median_income(facts.household_size)
    if facts.monthly_income_krw * 100 > median * limit_pct:
        reasons.append(
            Reason(
                "max_income",
                facts.monthly_income_krw,
                f"가구 월소득이 {facts.household_size}인 가구 기준 중위소득 "
                f"{limit_pct}%({median * limit_pct // 100:,}원)를 넘습니다.",
            )
        )
    if facts.past_participations >= rules["max_past_participations"]:
        reasons.append(
            Reason(
                "repeat_limit",
                facts.past_participations,
                f"공공일자리 참여 횟수가 한도({rules['max_past_participations']}회)에 "
                "이르렀습니다.",
            )
        )
    programs = []
    for code in facts.preferences:
        band = rules.age_band(code)
        if band is None or band[0] <= facts.age <= band[1]:
            programs.append(code)
    if facts.preferences and not programs:
        reasons.append(
            Reason(
                "program_age",
                facts.age,
                "희망한 사업의 연령 기준에 맞지 않습니다("
                + ", ".join(_band_text(c, rules) for c in facts.preferences if rules.age_band(c))
                + ").",
            )
        )
    recognised = [g for g in facts.priority_groups if g in rules["priority_groups"]]
    return Decision(
        eligible=not reasons,
        reasons=tuple(reasons),
        rule_version=rules.version,
        programs=tuple(programs),
        priority=bool(recognised),
    )


def _band_text(code: str, rules: RuleSet) -> str:
    low, high = rules.age_band(code)  # type: ignore[misc]
    return f"{PROGRAM_NAMES[code]} 만 {low}~{high}세"


def priority_names(groups: tuple[str, ...]) -> list[str]:
    return [PRIORITY_GROUPS.get(g, g) for g in groups]
