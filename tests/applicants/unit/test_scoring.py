from dataclasses import replace

from services.applicants.domain.eligibility import Facts
from services.applicants.domain.rules import DEFAULT_RULES, RuleSet
from services.applicants.domain.scoring import score

RULES = RuleSet(1, DEFAULT_RULES)
FACTS = Facts(40, True, 1, 50_000_000, 500_000, (), 0, ("safe",))


def test_score_is_itemised_and_sums():
    result = score(FACTS, RULES)
    items = {i.rule: (i.value, i.points) for i in result.items}
    # 500,000 / 1,944,812 = 25.7 % of the median -> the 30 % band
    assert items["income_pct_of_median"] == (25.7, 30)
    assert items["property_krw"] == (50_000_000, 10)
    assert items["household_size"] == (1, 0)
    assert items["first_time"] == (True, 10)
    assert result.total == 50 == sum(i.points for i in result.items)


def test_bands_step_down():
    richer = replace(FACTS, monthly_income_krw=1_000_000, property_krw=150_000_000)
    items = {i.rule: i.points for i in score(richer, RULES).items}
    assert items["income_pct_of_median"] == 10  # 51.4 % -> the 70 % band
    assert items["property_krw"] == 5
    big = replace(FACTS, household_size=4)
    assert {i.rule: i.points for i in score(big, RULES).items}["household_size"] == 5


def test_points_are_data():
    rules = RuleSet(2, {**DEFAULT_RULES, "scoring": {**DEFAULT_RULES["scoring"], "first_time": 99}})
    assert score(FACTS, rules).total == 50 - 10 + 99
    assert score(replace(FACTS, past_participations=1), rules).total == 50 - 10
