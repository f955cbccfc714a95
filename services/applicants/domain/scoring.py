"""Scoring as data: points per rule of the rule set, itemised for each applicant."""

from __future__ import annotations

from dataclasses import dataclass

from .eligibility import Facts, income_pct
from .rules import RuleSet


@dataclass(frozen=True)
class ScoreItem:
    rule: str
    value: object
    points: int

    def to_dict(self) -> dict:
        return {"rule": self.rule, "value": self.value, "points": self.points}


@dataclass(frozen=True)
class Score:
    total: int
    items: tuple[ScoreItem, ...]


def _at_most(value: float, bands: list[list[int]]) -> int:
    for limit, points in sorted(bands):
        if value <= limit:
            return points
    return 0


def _at_least(value: int, bands: list[list[int]]) -> int:
    for limit, points in sorted(bands, reverse=True):
        if value >= limit:
            return points
    return 0


def score(facts: Facts, rules: RuleSet) -> Score:
    table = rules["scoring"]
    pct = round(income_pct(facts, rules), 1)
    items = [
        ScoreItem("income_pct_of_median", pct, _at_most(pct, table["income_pct_of_median"])),
        ScoreItem("property_krw", facts.property_krw, _at_most(facts.property_krw, table["property_krw"])),
        ScoreItem("household_size", facts.household_size, _at_least(facts.household_size, table["household_size"])),
        ScoreItem("first_time", facts.past_participations == 0, table["first_time"] if facts.past_participations == 0 else 0),
        ScoreItem("senior", facts.age >= rules["senior_age"], table.get("senior", 0) if facts.age >= rules["senior_age"] else 0),
    ]  # fmt: skip
    return Score(sum(i.points for i in items), tuple(items))
