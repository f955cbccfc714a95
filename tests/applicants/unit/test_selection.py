from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from services.applicants.domain.selection import (
    Candidate,
    Slot,
    allocate,
    draw_key,
    next_in_line,
    order,
)

CODES = ("safe", "community", "quarantine", "youth")


def person(i, household=None, priority=False, score=0, senior=False, prefs=("safe",)):
    return Candidate(f"a{i}", household or f"h{i}", priority, score, senior, prefs)


def test_priority_then_score_then_seeded_draw():
    people = [person(1, score=90), person(2, priority=True, score=10), person(3, score=50)]
    placed = allocate(people, [Slot("safe", 2)], "seed")
    assert [p.application_id for p in placed.selected] == ["a2", "a1"]
    assert [w.application_id for w in placed.waitlisted] == ["a3"]


def test_ties_are_broken_by_sha256_of_seed_and_id():
    people = [person(i, score=5) for i in range(10)]
    expected = sorted(people, key=lambda c: draw_key("abc", c.application_id))
    assert order(people, "abc") == expected
    assert order(people, "abc") != order(people, "abd")  # another seed, another order


def test_preferences_in_order_and_full_programs_skipped():
    people = [person(1, score=9, prefs=("safe",)), person(2, score=8, prefs=("safe", "youth"))]
    result = allocate(people, [Slot("safe", 1), Slot("youth", 1)], "s")
    assert {p.application_id: p.program_code for p in result.selected} == {
        "a1": "safe",
        "a2": "youth",
    }


def test_one_per_household_and_households_placed_elsewhere():
    people = [person(1, "h", score=9), person(2, "h", score=8), person(3, "other", score=1)]
    result = allocate(people, [Slot("safe", 3)], "s", frozenset({"other"}))
    assert [p.application_id for p in result.selected] == ["a1"]
    assert [w.application_id for w in result.waitlisted] == ["a2", "a3"]


def test_senior_cap():
    seniors = [person(i, score=10, senior=True) for i in range(3)]
    result = allocate([*seniors, person(9, score=1)], [Slot("safe", 3, senior_cap=1)], "s")
    counts = Counter(p.application_id.startswith("a9") for p in result.selected)
    assert counts == {False: 1, True: 1}


def test_next_in_line_follows_rank_preference_household_and_cap():
    waiting = [
        (person(1, prefs=("youth",)), 1),
        (person(2, household="taken"), 2),
        (person(3, senior=True), 3),
        (person(4), 4),
        (person(5), 5),
    ]
    chosen = next_in_line(waiting, Slot("safe", 2, senior_cap=1), 1, frozenset({"taken"}))
    assert chosen.application_id == "a4"
    assert next_in_line(waiting, Slot("safe", 2), 0, frozenset({"taken"})).application_id == "a3"


candidates = st.lists(
    st.builds(
        Candidate,
        application_id=st.uuids().map(str),
        household_key=st.sampled_from([f"h{i}" for i in range(30)]),
        priority=st.booleans(),
        score=st.integers(0, 5),
        senior=st.booleans(),
        preferences=st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True).map(
            tuple
        ),
    ),
    max_size=60,
    unique_by=lambda c: c.application_id,
)
slots = st.lists(
    st.builds(
        Slot,
        code=st.sampled_from(CODES),
        quota=st.integers(0, 8),
        senior_cap=st.none() | st.integers(0, 3),
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda s: s.code,
)


@settings(max_examples=200, deadline=None)
@given(candidates, slots, st.text(max_size=10))
def test_allocation_properties(people, programs, seed):
    result = allocate(people, programs, seed)
    by_id = {c.application_id: c for c in people}
    slot_of = {s.code: s for s in programs}
    chosen = [by_id[p.application_id] for p in result.selected]
    # everyone appears exactly once, selected or waitlisted
    ids = [p.application_id for p in result.selected] + [
        w.application_id for w in result.waitlisted
    ]
    assert sorted(ids) == sorted(by_id)
    # no quota exceeded, no senior cap exceeded, only preferred programs
    per_program = Counter(p.program_code for p in result.selected)
    for code, n in per_program.items():
        assert n <= slot_of[code].quota
        cap = slot_of[code].senior_cap
        seniors = sum(
            1 for p in result.selected if p.program_code == code and by_id[p.application_id].senior
        )
        assert cap is None or seniors <= cap
    for p in result.selected:
        assert p.program_code in by_id[p.application_id].preferences
    # no household twice
    households = [c.household_key for c in chosen]
    assert len(households) == len(set(households))
    # priority respected: a waitlisted priority holder could not have taken any place
    # that went to a non-priority person (that program was full by then, or a cap or
    # their household blocked them)
    placed_households = set(households)
    for w in result.waitlisted:
        c = by_id[w.application_id]
        if not c.priority or c.household_key in placed_households:
            continue
        for p in result.selected:
            other = by_id[p.application_id]
            cap = slot_of[p.program_code].senior_cap
            if other.priority or p.program_code not in c.preferences:
                continue
            assert c.senior and cap is not None, (c, other)
    # same inputs and seed, same result (input order does not matter)
    assert allocate(list(reversed(people)), programs, seed) == result


@settings(max_examples=50, deadline=None)
@given(candidates, st.text(max_size=10))
def test_waitlist_ranks_are_consecutive(people, seed):
    result = allocate(people, [Slot("safe", 3)], seed)
    assert [w.rank for w in result.waitlisted] == list(range(1, len(result.waitlisted) + 1))


@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(min_value=0, max_value=200), st.text(min_size=1)),
        max_size=60,
    ),
    st.text(max_size=20),
)
def test_order_is_the_published_rule_priority_score_then_draw(rows, seed):
    """The fast key orders exactly as (not priority, -score, sha256 hex of seed:id)."""
    people = [
        Candidate(f"{text}-{i}", f"h{i}", priority, score, False, ("safe",))
        for i, (priority, score, text) in enumerate(rows)
    ]
    rule = sorted(
        people, key=lambda c: (not c.priority, -c.score, draw_key(seed, c.application_id))
    )
    assert order(people, seed) == rule
