"""Use cases for a fiscal year's programs: record the appropriations, read them back."""

from __future__ import annotations

from dataclasses import replace

from services.common.runtime import Runtime

from ..adapters import ledger_repo, repository
from ..domain import model
from .opening import ProgramMapping, open_ledger


def open_fiscal_year(
    runtime: Runtime, budget: model.FiscalYearBudget, mappings: tuple[ProgramMapping, ...] = ()
) -> bool:
    """Record a fiscal year's appropriations (and open its ledger) once; False if the year
    is already there."""
    model.open_fiscal_year(budget)
    with runtime.db.transaction() as session:
        if repository.fiscal_year_exists(session, budget.year):
            if ledger_repo.account_rows(session, budget.year):
                return False
            _open_ledger_of_stored_year(session, budget, mappings)
            return True
        repository.add(session, budget)
        open_ledger(session, budget, mappings)
    return True


def _open_ledger_of_stored_year(session, budget, mappings) -> None:
    """A year recorded before the ledger existed: open its ledger from the stored rows
    (mappings follow their sub-program by section)."""
    stored = model.FiscalYearBudget(
        budget.year,
        budget.reported_as_of,
        tuple(repository.list_unit_programs(session, budget.year)),
        tuple(repository.list_sub_programs(session, budget.year)),
    )
    section_of = {s.id: s.section for s in budget.sub_programs}
    stored_id = {s.section: s.id for s in stored.sub_programs}
    remapped = tuple(
        replace(m, sub_program_id=stored_id[section_of[m.sub_program_id]]) for m in mappings
    )
    open_ledger(session, stored, remapped)


def list_unit_programs(runtime: Runtime, year: int) -> list[model.UnitProgram]:
    with runtime.db.read() as session:
        if not repository.fiscal_year_exists(session, year):
            raise model.UnknownFiscalYear(year)
        return repository.list_unit_programs(session, year)


def list_sub_programs(runtime: Runtime, year: int) -> list[model.SubProgram]:
    with runtime.db.read() as session:
        if not repository.fiscal_year_exists(session, year):
            raise model.UnknownFiscalYear(year)
        return repository.list_sub_programs(session, year)
