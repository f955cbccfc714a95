"""Random sequences of postings on the pure ledger keep every invariant."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.budget.domain.book import Book, plan_commitment, plan_expenditure, plan_payment
from services.budget.domain.ledger import Balance, Delta, InsufficientFunds, delta_for
from services.budget.domain.model import DomainError

PROGRAMS = {
    "P1": {"national": 50_000, "city": 25_000, "district": 25_000},
    "P2": {"city": 70_000, "district": 30_000},
}

ops = st.lists(
    st.one_of(
        st.tuples(st.just("commit"), st.sampled_from(sorted(PROGRAMS)), st.integers(1, 60_000)),
        st.tuples(st.just("spend"), st.integers(0, 30), st.integers(1, 40_000)),
        st.tuples(st.just("release"), st.integers(0, 30)),
        st.tuples(st.just("reverse"), st.integers(0, 60)),
        st.tuples(
            st.just("transfer"),
            st.sampled_from([("P1", "city"), ("P2", "city"), ("P2", "district")]),
            st.sampled_from([("P1", "district"), ("P2", "district"), ("P1", "city")]),
            st.integers(1, 50_000),
        ),
    ),
    max_size=40,
)


def opened() -> Book:
    book = Book()
    for program, sources in PROGRAMS.items():
        for source, amount in sources.items():
            book.appropriate(program, source, amount, f"open-{program}-{source}")
    return book


def check(book: Book, commitments: list[str]) -> None:
    for key, b in book.balances.items():
        assert 0 <= b.spent <= b.committed <= b.appropriated, key
        summed = Delta()
        for e in book.entries:
            if (e.program, e.source) == key:
                summed = summed + e.delta
        assert (summed.appropriated, summed.committed, summed.spent) == (
            b.appropriated,
            b.committed,
            b.spent,
        )
        held = sum(
            book.outstanding(c).get(key[1], 0) for c in commitments if book.program_of(c) == key[0]
        )
        assert b.outstanding == held, key
    for c in commitments:
        assert all(v >= 0 for v in book.outstanding(c).values())
    # Totals by source add up to the program totals; transfers keep the grand total.
    total = Balance()
    for program in PROGRAMS:
        t = book.totals(program)
        by_source = [b for (p, _s), b in book.balances.items() if p == program]
        assert t.appropriated == sum(b.appropriated for b in by_source)
        assert t.committed == sum(b.committed for b in by_source)
        assert t.spent == sum(b.spent for b in by_source)
        total = Balance(total.appropriated + t.appropriated, 0, 0)
    assert total.appropriated == sum(sum(s.values()) for s in PROGRAMS.values())


@settings(max_examples=300, deadline=None)
@given(ops)
def test_random_postings_keep_every_invariant(sequence):
    book = opened()
    commitments: list[str] = []
    documents: list[str] = []
    for n, op in enumerate(sequence):
        before_entries = list(book.entries)
        before_balances = dict(book.balances)
        doc = f"d{n}"
        try:
            if op[0] == "commit":
                book.commit(doc, op[1], op[2], PROGRAMS[op[1]])
                commitments.append(doc)
            elif op[0] == "spend" and commitments:
                book.spend(doc, commitments[op[1] % len(commitments)], op[2])
            elif op[0] == "release" and commitments:
                book.release(doc, commitments[op[1] % len(commitments)])
            elif op[0] == "reverse" and documents:
                book.reverse(documents[op[1] % len(documents)])
            elif op[0] == "transfer":
                book.transfer(doc, op[1], op[2], op[3])
            else:
                continue
            if op[0] in ("commit", "spend", "release"):
                documents.append(doc)
        except DomainError:
            # Refused: nothing changed at all.
            assert book.entries == before_entries
            assert book.balances == before_balances
        # Entries are never changed or removed, only appended.
        assert book.entries[: len(before_entries)] == before_entries
        check(book, commitments)


def test_commit_refused_for_lack_of_funds_reports_the_shortfall():
    book = opened()
    book.commit("c1", "P2", 90_000, PROGRAMS["P2"])
    with pytest.raises(InsufficientFunds) as refused:
        book.commit("c2", "P2", 20_000, PROGRAMS["P2"])
    assert (refused.value.requested, refused.value.available, refused.value.shortfall) == (
        14_000,
        7_000,
        7_000,
    )
    assert book.totals("P2").committed == 90_000


def test_payment_spends_a_commitment_partly_then_wholly_and_release_frees_the_rest():
    book = opened()
    book.commit("c1", "P2", 1_001, PROGRAMS["P2"])
    assert book.outstanding("c1") == {"city": 701, "district": 300}
    book.spend("e1", "c1", 500)
    assert book.outstanding("c1") == {"city": 351, "district": 150}
    with pytest.raises(InsufficientFunds):
        book.spend("e2", "c1", 502)
    book.release("r1", "c1")
    assert book.outstanding("c1") == {"city": 0, "district": 0}
    assert book.totals("P2") == Balance(100_000, 500, 500)


def test_reversal_undoes_an_expenditure_and_a_touched_commitment_cannot_be_reversed():
    book = opened()
    book.commit("c1", "P1", 10_000, PROGRAMS["P1"])
    book.spend("e1", "c1", 4_000)
    with pytest.raises(DomainError, match="정정할 수 없습니다"):
        book.reverse("c1")
    book.reverse("e1")
    with pytest.raises(DomainError, match="이미 정정"):
        book.reverse("e1")
    assert book.totals("P1").spent == 0
    book.reverse("c1")
    assert book.totals("P1") == Balance(100_000, 0, 0)


def test_plan_expenditure_never_takes_more_than_a_source_holds():
    assert plan_expenditure(3, {"city": 1, "district": 2}) == {"city": 1, "district": 2}
    with pytest.raises(InsufficientFunds):
        plan_expenditure(4, {"city": 1, "district": 2})


@given(
    st.integers(1, 10**10),
    st.sampled_from([{"national": 70, "city": 15, "district": 15}, {"city": 70, "district": 30}]),
    st.lists(st.integers(1, 10**9), min_size=1, max_size=8),
)
def test_payments_by_ratio_never_overdraw_a_source_and_the_last_closes(amount, ratio, parts):
    """A work order paid unit by unit: each payment by the commitment's 재원비율, never more
    than a source holds; the payment of what is left takes exactly what is left."""
    committed = plan_commitment(amount, ratio)
    left = dict(committed)
    for part in [*parts, amount]:
        pay = min(part, sum(left.values()))
        if pay == 0:
            break
        plan = plan_payment(pay, left, committed)
        assert sum(plan.values()) == pay
        assert all(0 < a <= left[s] for s, a in plan.items())
        left = {s: left[s] - plan.get(s, 0) for s in left}
    assert sum(left.values()) == 0


def test_a_payment_by_ratio_is_the_ratio_of_its_own_amount():
    committed = {"national": 2_100_000, "city": 450_000, "district": 450_000}
    assert plan_payment(1_000_001, committed, committed) == {
        "national": 700_001, "city": 150_000, "district": 150_000}  # fmt: skip
    assert plan_payment(3, {"city": 1, "district": 2}, None) == {"city": 1, "district": 2}


def test_delta_for_refuses_non_positive_amounts():
    with pytest.raises(DomainError):
        delta_for("commitment", 0)
    assert delta_for("amendment", -5) == Delta(appropriated=-5)
