from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.applicants.domain.eligibility import Facts, decide
from services.applicants.domain.rules import DEFAULT_RULES, RuleSet

RULES = RuleSet(1, DEFAULT_RULES)
FACTS = Facts(
    age=40,
    in_district=True,
    household_size=1,
    property_krw=100_000_000,
    monthly_income_krw=1_000_000,
    priority_groups=(),
    past_participations=0,
    preferences=("safe",),
)


def test_eligible_person_has_no_reasons_and_records_the_version():
    decision = decide(FACTS, RuleSet(7, DEFAULT_RULES))
    assert decision.eligible and decision.status == "eligible"
    assert decision.reasons == ()
    assert decision.rule_version == 7
    assert decision.programs == ("safe",)


@pytest.mark.parametrize(
    ("size", "median"),
    [(1, 1_944_812), (2, 3_260_085), (3, 4_194_701), (4, 5_121_080), (5, 6_024_515),
     (6, 6_907_004), (7, 6_907_004 + 882_489)],
)  # fmt: skip
def test_income_limit_is_70_percent_of_the_2022_median_for_the_household(size, median):
    limit = median * 70 // 100
    at_limit = replace(FACTS, household_size=size, monthly_income_krw=limit)
    assert decide(at_limit, RULES).eligible
    over = replace(at_limit, monthly_income_krw=limit + 1)
    reasons = decide(over, RULES).reasons
    assert [r.rule for r in reasons] == ["max_income"]
    assert f"{size}인 가구" in reasons[0].message
    assert reasons[0].value == limit + 1


def test_every_failed_rule_is_itemised_in_korean():
    facts = replace(
        FACTS,
        age=17,
        in_district=False,
        property_krw=400_000_001,
        monthly_income_krw=9_000_000,
        past_participations=2,
        preferences=("youth",),
    )
    decision = decide(facts, RULES)
    assert not decision.eligible and decision.status == "ineligible"
    rules = [r.rule for r in decision.reasons]
    assert rules == [
        "min_age", "residency", "max_property", "max_income", "repeat_limit", "program_age"
    ]  # fmt: skip
    for reason in decision.reasons:
        assert any("\uac00" <= ch <= "\ud7a3" for ch in reason.message)
    assert decision.reasons[2].value == 400_000_001
    assert "40,000만원" in decision.reasons[2].message


def test_property_at_4억_is_eligible():
    assert decide(replace(FACTS, property_krw=400_000_000), RULES).eligible


def test_youth_program_age_band():
    older = replace(FACTS, age=45, preferences=("youth",))
    decision = decide(older, RULES)
    assert [r.rule for r in decision.reasons] == ["program_age"]
    assert "청년드림나래 만 18~39세" in decision.reasons[0].message
    mixed = decide(replace(older, preferences=("youth", "safe")), RULES)
    assert mixed.eligible and mixed.programs == ("safe",)


def test_priority_needs_a_recognised_group():
    assert decide(replace(FACTS, priority_groups=("disabled",)), RULES).priority
    narrowed = RuleSet(2, {**DEFAULT_RULES, "priority_groups": ["near_poor"]})
    assert not decide(replace(FACTS, priority_groups=("disabled",)), narrowed).priority


def test_repeat_limit_is_data():
    facts = replace(FACTS, past_participations=2)
    assert not decide(facts, RULES).eligible
    assert decide(facts, RuleSet(2, {**DEFAULT_RULES, "max_past_participations": 3})).eligible


facts_strategy = st.builds(
    Facts,
    age=st.integers(0, 100),
    in_district=st.booleans(),
    household_size=st.integers(1, 10),
    property_krw=st.integers(0, 10**9),
    monthly_income_krw=st.integers(0, 10**7),
    priority_groups=st.just(()),
    past_participations=st.integers(0, 5),
    preferences=st.lists(
        st.sampled_from(["safe", "community", "quarantine", "youth"]),
        min_size=1,
        max_size=4,
        unique=True,
    ).map(tuple),
)


@given(facts_strategy, st.integers(0, 10**7), st.integers(0, 10**9))
def test_more_income_or_property_never_makes_someone_eligible(facts, extra_income, extra_property):
    poorer = decide(facts, RULES)
    richer = decide(
        replace(
            facts,
            monthly_income_krw=facts.monthly_income_krw + extra_income,
            property_krw=facts.property_krw + extra_property,
        ),
        RULES,
    )
    assert not (richer.eligible and not poorer.eligible)
    assert poorer.eligible == (poorer.reasons == ())
    assert set(poorer.programs) <= set(facts.preferences)
