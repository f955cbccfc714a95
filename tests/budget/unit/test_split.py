"""The funding-source split: largest remainder, ties by 국비·시비·구비·기금, no won lost."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.budget.domain.model import SOURCE_ORDER, DomainError
from services.budget.domain.split import split_krw

weights = st.dictionaries(st.sampled_from(SOURCE_ORDER), st.integers(0, 10**12), min_size=1).filter(
    lambda w: sum(w.values()) > 0
)
amounts = st.integers(0, 10**13)


@given(amounts, weights)
def test_split_never_loses_or_creates_a_won(amount, w):
    shares = split_krw(amount, w)
    assert sum(shares.values()) == amount
    assert set(shares) == set(w)
    assert all(isinstance(v, int) and v >= 0 for v in shares.values())


@given(amounts, weights)
def test_each_share_is_its_exact_share_rounded_down_or_up(amount, w):
    total = sum(w.values())
    for source, share in split_krw(amount, w).items():
        exact = Fraction(amount * w[source], total)
        assert exact - 1 < share < exact + 1
        if w[source] == 0:
            assert share == 0


@given(amounts, weights)
def test_split_is_deterministic_whatever_the_key_order(amount, w):
    reordered = dict(reversed(list(w.items())))
    assert split_krw(amount, w) == split_krw(amount, reordered)


@given(st.data(), weights)
def test_a_share_never_exceeds_its_weight_when_the_amount_fits(data, w):
    amount = data.draw(st.integers(0, sum(w.values())))
    shares = split_krw(amount, w)
    assert all(shares[s] <= w[s] for s in w)


@given(st.integers(0, 10**9))
def test_extra_won_go_to_largest_remainders_then_source_order(amount):
    # Equal weights: every remainder is equal, so the fixed order decides.
    shares = split_krw(amount, {"district": 1, "national": 1, "city": 1})
    base = amount // 3
    extra = amount - 3 * base
    expected = {
        s: base + (1 if i < extra else 0) for i, s in enumerate(("national", "city", "district"))
    }
    assert shares == expected


def test_printed_ratios_split_whole_won():
    # 지역방역일자리 국50:시25:구25 on an odd amount: the one extra won goes to 국비.
    assert split_krw(1001, {"national": 50, "city": 25, "district": 25}) == {
        "national": 501,
        "city": 250,
        "district": 250,
    }
    # 안심일자리 시70:구30: 10 won -> 7 / 3; 11 won -> remainders 0.7 vs 0.3 -> 시비 gets it.
    assert split_krw(10, {"city": 70, "district": 30}) == {"city": 7, "district": 3}
    assert split_krw(11, {"city": 70, "district": 30}) == {"city": 8, "district": 3}
    # Remainder beats order: 구비's remainder (0.6) outranks 시비's (0.4).
    assert split_krw(1, {"city": 40, "district": 60}) == {"city": 0, "district": 1}


@pytest.mark.parametrize(
    "amount, w",
    [
        (-1, {"city": 1}),
        (1, {"city": 0}),
        (1, {"city": -1}),
        (1.5, {"city": 1}),
        (True, {"city": 1}),
    ],
)
def test_bad_input_is_refused_in_korean(amount, w):
    with pytest.raises(DomainError, match="금액|비율"):
        split_krw(amount, w)
