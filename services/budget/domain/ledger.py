"""Ledger rules: what each kind of entry does to a balance, and the limits it must keep.

A balance is kept per (program, funding source). Every entry moves three figures by a
signed delta: ``appropriated`` (예산액), ``committed`` (지출원인행위, including what has
been paid) and ``spent`` (지출). The invariants, at every moment:

    0 <= spent <= committed <= appropriated

Entries are never changed; a correction is a reversing entry (the delta negated) that
names the entry it reverses, who made it, when and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from .commands import Conflict
from .model import DomainError

KINDS = (
    "appropriation",  # 예산 편성 (opening the year)
    "opening",  # 집행액 as a report printed it (counts as committed and spent)
    "commitment",  # 지출원인행위
    "expenditure",  # 지출
    "release",  # 미집행 지출원인행위 해제
    "transfer_out",  # 전용·이용 (from)
    "transfer_in",  # 전용·이용 (to)
    "amendment",  # 추경 (signed)
    "reversal",  # 정정: the negation of another entry
    "carry_out",  # 이월: what is unpaid of a commitment leaves the closed year
    "carry_in",  # 이월: ... and arrives in the next (예산 and 지출원인행위)
)


@dataclass(frozen=True)
class Delta:
    appropriated: int = 0
    committed: int = 0
    spent: int = 0

    def negated(self) -> Delta:
        return Delta(-self.appropriated, -self.committed, -self.spent)

    def __add__(self, other: Delta) -> Delta:
        return Delta(
            self.appropriated + other.appropriated,
            self.committed + other.committed,
            self.spent + other.spent,
        )


def delta_for(kind: str, amount: int) -> Delta:
    """The effect of an entry of ``kind``; ``amount`` is positive except for 추경."""
    if kind not in KINDS or kind == "reversal":
        raise DomainError(f"알 수 없는 원장 항목 종류입니다: {kind}")
    if kind != "amendment" and amount <= 0:
        raise DomainError("금액은 1원 이상이어야 합니다.")
    return {
        "appropriation": Delta(appropriated=amount),
        "opening": Delta(committed=amount, spent=amount),
        "commitment": Delta(committed=amount),
        "expenditure": Delta(spent=amount),
        "release": Delta(committed=-amount),
        "transfer_out": Delta(appropriated=-amount),
        "transfer_in": Delta(appropriated=amount),
        "amendment": Delta(appropriated=amount),
        "carry_out": Delta(committed=-amount),
        "carry_in": Delta(appropriated=amount, committed=amount),
    }[kind]


class InsufficientFunds(DomainError):
    """A posting would break ``committed <= appropriated`` (or the like)."""

    def __init__(self, requested: int, available: int, what: str = "예산 잔액"):
        self.requested = requested
        self.available = max(available, 0)
        self.shortfall = requested - self.available
        super().__init__(
            f"{what}이 부족합니다: 요청 {requested:,}원, 가용 {self.available:,}원, "
            f"부족 {self.shortfall:,}원"
        )


@dataclass(frozen=True)
class Balance:
    appropriated: int = 0
    committed: int = 0
    spent: int = 0

    @property
    def available(self) -> int:
        """Left to commit (예산 잔액)."""
        return self.appropriated - self.committed

    @property
    def outstanding(self) -> int:
        """Committed but not yet paid (미지급 지출원인행위)."""
        return self.committed - self.spent

    def apply(self, delta: Delta) -> Balance:
        """The balance after ``delta``, or InsufficientFunds if a limit would break."""
        after = Balance(
            self.appropriated + delta.appropriated,
            self.committed + delta.committed,
            self.spent + delta.spent,
        )
        if after.committed > after.appropriated:
            need = max(delta.committed, 0) or after.committed - after.appropriated
            raise InsufficientFunds(need, need - (after.committed - after.appropriated))
        if after.spent > after.committed:
            need = max(delta.spent, 0) or after.spent - after.committed
            raise InsufficientFunds(
                need, need - (after.spent - after.committed), "지출원인행위 잔액"
            )
        if after.spent < 0:
            raise DomainError("지출액이 0원 미만이 될 수 없습니다.")
        return after


class YearClosed(Conflict):
    """A posting to a year finance has closed (only corrections are allowed)."""

    def __init__(self, year: int):
        super().__init__(
            f"{year}회계연도는 마감되었습니다. 정정(역분개) 외에는 기록할 수 없습니다."
        )
        self.year = year
