"""Appropriations (예산) of a fiscal year: plain Python, no framework imports.

Money is an integer number of KRW. The executed amounts here are the figures a report
printed (``reported_executed_krw``, as of ``reported_as_of``); they are the opening
balance that the ledger of commitments and expenditures will reconcile against.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.common.report_data import rate_pct

SOURCE_NAMES = {"national": "국비", "city": "시비", "district": "구비", "fund": "기금"}
SOURCE_ORDER = tuple(SOURCE_NAMES)


class DomainError(ValueError):
    """A rule of the domain was broken; the message is Korean, for a person."""


class UnknownFiscalYear(DomainError):
    def __init__(self, year: int):
        super().__init__(f"{year}회계연도 예산이 등록되어 있지 않습니다.")
        self.year = year


def thousand_to_krw(thousand: int) -> int:
    """천원 (as reports print amounts) to KRW."""
    if isinstance(thousand, bool) or not isinstance(thousand, int):
        raise DomainError(f"천원 단위 금액은 정수여야 합니다: {thousand!r}")
    return thousand * 1000


def execution_rate(executed_krw: int | None, budget_krw: int) -> Decimal | None:
    """집행률 in percent (half-up, one decimal); None while nothing is reported."""
    if executed_krw is None:
        return None
    return rate_pct(executed_krw, budget_krw)


@dataclass(frozen=True)
class SourceAmount:
    """One funding source's share of a sub-program (국비/시비/구비/기금)."""

    source: str
    budget_krw: int
    reported_executed_krw: int

    @property
    def name(self) -> str:
        return SOURCE_NAMES[self.source]


@dataclass(frozen=True)
class UnitProgram:
    """단위사업 with the execution a report printed for it (if any)."""

    id: str
    position: int
    name: str
    budget_krw: int
    reported_executed_krw: int | None = None
    reported_as_of: date | None = None

    @property
    def rate_pct(self) -> Decimal | None:
        return execution_rate(self.reported_executed_krw, self.budget_krw)


@dataclass(frozen=True)
class SubProgram:
    """세부사업: its appropriation is the sum of its funding sources."""

    id: str
    position: int
    section: str
    title: str
    team: str
    sources: tuple[SourceAmount, ...]
    reported_as_of: date
    unit_program_id: str | None = None
    note: str | None = None

    @property
    def budget_krw(self) -> int:
        return sum(s.budget_krw for s in self.sources)

    @property
    def reported_executed_krw(self) -> int:
        return sum(s.reported_executed_krw for s in self.sources)

    @property
    def rate_pct(self) -> Decimal:
        return rate_pct(self.reported_executed_krw, self.budget_krw)


@dataclass(frozen=True)
class FiscalYearBudget:
    year: int
    reported_as_of: date
    unit_programs: tuple[UnitProgram, ...]
    sub_programs: tuple[SubProgram, ...]


def split_by_source(budget: dict[str, int], executed: dict[str, int]) -> tuple[SourceAmount, ...]:
    """Pair budget and executed amounts per source, in the fixed order 국비·시비·구비·기금."""
    unknown = (set(budget) | set(executed)) - set(SOURCE_NAMES)
    if unknown:
        raise DomainError(f"알 수 없는 재원입니다: {', '.join(sorted(unknown))}")
    orphan = set(executed) - set(budget)
    if orphan:
        names = ", ".join(SOURCE_NAMES[s] for s in SOURCE_ORDER if s in orphan)
        raise DomainError(f"예산이 없는 재원에 집행액이 있습니다: {names}")
    return tuple(
        SourceAmount(s, budget[s], executed.get(s, 0)) for s in SOURCE_ORDER if s in budget
    )


def _check_amounts(label: str, budget: int, executed: int | None) -> None:
    if budget < 0 or (executed is not None and executed < 0):
        raise DomainError(f"{label}: 금액은 0원 이상이어야 합니다.")
    if executed is not None and executed > budget:
        raise DomainError(f"{label}: 집행액이 예산액을 넘을 수 없습니다.")


def _unique(label: str, values: Iterable[object]) -> None:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            raise DomainError(f"{label}이(가) 중복되었습니다: {value}")
        seen.add(value)


def open_fiscal_year(budget: FiscalYearBudget) -> FiscalYearBudget:
    """Check a fiscal year's appropriations before they are recorded."""
    if not 2000 <= budget.year <= 2100:
        raise DomainError(f"회계연도가 올바르지 않습니다: {budget.year}")
    if not budget.unit_programs:
        raise DomainError("단위사업이 하나 이상 있어야 합니다.")
    units = budget.unit_programs
    _unique("단위사업 순번", (u.position for u in units))
    _unique("단위사업명", (u.name for u in units))
    for u in units:
        _check_amounts(u.name, u.budget_krw, u.reported_executed_krw)
    unit_ids = {u.id for u in units}
    subs = budget.sub_programs
    _unique("세부사업 순번", (s.position for s in subs))
    _unique("세부사업 절", (s.section for s in subs))
    for s in subs:
        if not s.sources:
            raise DomainError(f"{s.title}: 재원이 하나 이상 있어야 합니다.")
        _unique(f"{s.title} 재원", (a.source for a in s.sources))
        for a in s.sources:
            if a.source not in SOURCE_NAMES:
                raise DomainError(f"{s.title}: 알 수 없는 재원입니다: {a.source}")
            _check_amounts(f"{s.title} {a.name}", a.budget_krw, a.reported_executed_krw)
        if s.unit_program_id is not None and s.unit_program_id not in unit_ids:
            raise DomainError(f"{s.title}: 연결된 단위사업이 이 회계연도에 없습니다.")
    return budget
