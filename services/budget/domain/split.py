"""Splitting a KRW amount between funding sources by ratio, never losing or making a won.

Largest remainder (Hamilton): every source first gets the floor of its exact share; the
won left over go one each to the sources with the largest fractional remainders, ties
broken by the fixed source order 국비·시비·구비·기금 (then any other key, sorted).
"""

from __future__ import annotations

from collections.abc import Mapping

from .model import SOURCE_ORDER, DomainError


def source_rank(source: str) -> tuple[int, str]:
    """Position of a source in the fixed order; unknown keys after, alphabetically."""
    if source in SOURCE_ORDER:
        return (SOURCE_ORDER.index(source), "")
    return (len(SOURCE_ORDER), source)


def split_krw(amount: int, weights: Mapping[str, int]) -> dict[str, int]:
    """``amount`` KRW split in proportion to integer ``weights`` (sum exactly ``amount``).

    Sources with weight 0 get 0. Each share is at most ceil(amount × w / Σw), so a share
    never exceeds its weight when ``amount`` ≤ Σw (used to split a payment across what is
    left of a commitment).
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise DomainError(f"금액은 0 이상의 정수(원)여야 합니다: {amount!r}")
    if any(isinstance(w, bool) or not isinstance(w, int) or w < 0 for w in weights.values()):
        raise DomainError("재원 비율은 0 이상의 정수여야 합니다.")
    total = sum(weights.values())
    if total == 0:
        raise DomainError("재원 비율의 합이 0입니다.")
    order = sorted(weights, key=source_rank)
    shares = {s: amount * weights[s] // total for s in order}
    remainders = {s: amount * weights[s] % total for s in order}
    left = amount - sum(shares.values())
    # Stable sort keeps the fixed source order among equal remainders.
    for source in sorted(order, key=lambda s: -remainders[s])[:left]:
        shares[source] += 1
    return shares
