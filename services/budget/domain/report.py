"""집행률 report rows: pure figures, rates half-up to one decimal, 천원 as printed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from services.common.report_data import rate_pct


def krw_to_thousand(krw: int) -> int:
    """KRW to 천원, rounded half-up (reports print whole 천원)."""
    return int((Decimal(krw) / 1000).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class ExecutionRow:
    label: str
    budget_krw: int
    executed_krw: int
    key: str | None = None  # program id or source code
    committed_krw: int = 0  # 지출원인행위액 (the 2022 report's 집행액 counts as both)

    @property
    def balance_krw(self) -> int:
        """잔액: 예산액 − 지출원인행위액 (what may still be committed)."""
        return self.budget_krw - self.committed_krw

    @property
    def committed_thousand(self) -> int:
        return krw_to_thousand(self.committed_krw)

    @property
    def balance_thousand(self) -> int:
        return krw_to_thousand(self.balance_krw)

    @property
    def rate_pct(self) -> str:
        return str(rate_pct(self.executed_krw, self.budget_krw))

    @property
    def budget_thousand(self) -> int:
        return krw_to_thousand(self.budget_krw)

    @property
    def executed_thousand(self) -> int:
        return krw_to_thousand(self.executed_krw)


def total_row(rows: Iterable[ExecutionRow], label: str = "계") -> ExecutionRow:
    rows = list(rows)
    return ExecutionRow(
        label,
        sum(r.budget_krw for r in rows),
        sum(r.executed_krw for r in rows),
        None,
        sum(r.committed_krw for r in rows),
    )


def lagging(rows: Iterable[ExecutionRow], expected_pct: Decimal) -> list[ExecutionRow]:
    """Rows whose 집행률 is below the expected percentage at the date."""
    return [r for r in rows if Decimal(r.rate_pct) < expected_pct]
