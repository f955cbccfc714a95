"""Opening a fiscal year's ledger: appropriations and the report's executed figures.

Each program gets a balance per funding source (단위사업: one 'unallocated' balance).
The appropriation is an entry dated 1 January; the executed amount a report printed
is an ``opening`` entry (committed and spent) dated the report's 기준일, so a report
as of that date reproduces the printed table from the ledger alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from services.common.tables import utcnow

from ..adapters import ledger_repo as repo
from ..adapters.orm import program_mappings
from ..domain.ledger import Delta
from ..domain.model import FiscalYearBudget

OPENED_BY = "예산 편성(보고서)"


@dataclass(frozen=True)
class ProgramMapping:
    """A recruitment program (applicants' ``program_code``) paid from a sub-program."""

    fiscal_year: int
    program_code: str
    program_name: str
    sub_program_id: str
    ratio_pct: dict[str, int]
    version: int = 1


def open_account(
    session: Session, year: int, kind: str, program_id: str, source: str, budget: int,
    executed: int | None = None, as_of: date | None = None,
    created_by: str = OPENED_BY, reason: str | None = None,
) -> str:  # fmt: skip
    """A balance with its appropriation dated 1 January (none for 0원: it would move
    nothing) and, from a report, the 집행액 it printed as of its 기준일."""
    account = repo.new_account(session, year, kind, program_id, source)
    now = utcnow()
    if budget:
        doc = repo.add_document(
            session, fiscal_year=year, kind="appropriation", program_id=program_id,
            amount_krw=budget, business_date=date(year, 1, 1), created_by=created_by,
            reason=reason,
        )  # fmt: skip
        line = repo.Line(account, "appropriation", Delta(appropriated=budget))
        repo.post(session, doc, [line], date(year, 1, 1), created_by, now, reason)
    if executed and as_of is not None:
        doc = repo.add_document(
            session, fiscal_year=year, kind="opening", program_id=program_id,
            amount_krw=executed, business_date=as_of, created_by=created_by,
        )  # fmt: skip
        line = repo.Line(account, "opening", Delta(committed=executed, spent=executed))
        repo.post(session, doc, [line], as_of, created_by, now, "보고서 집행액(기준일 현재)")
    return account


def open_ledger(
    session: Session, budget: FiscalYearBudget, mappings: tuple[ProgramMapping, ...] = ()
) -> None:
    year = budget.year
    for u in budget.unit_programs:
        open_account(
            session, year, "unit", u.id, "unallocated",
            u.budget_krw, u.reported_executed_krw, u.reported_as_of,
        )  # fmt: skip
    for s in budget.sub_programs:
        for a in s.sources:
            open_account(
                session, year, "sub", s.id, a.source,
                a.budget_krw, a.reported_executed_krw, s.reported_as_of,
            )  # fmt: skip
    if mappings:
        session.execute(
            program_mappings.insert(),
            [
                {
                    "fiscal_year": m.fiscal_year,
                    "program_code": m.program_code,
                    "program_name": m.program_name,
                    "sub_program_id": m.sub_program_id,
                    "ratio_pct": m.ratio_pct,
                    "version": m.version,
                }
                for m in mappings
            ],
        )
