"""Use cases for a fiscal year's programs: record the appropriations, read them back."""

from __future__ import annotations

from services.common.runtime import Runtime

from ..adapters import repository
from ..domain import model


def open_fiscal_year(runtime: Runtime, budget: model.FiscalYearBudget) -> bool:
    """Record a fiscal year's appropriations once; False if the year is already there."""
    model.open_fiscal_year(budget)
    with runtime.db.transaction() as session:
        if repository.fiscal_year_exists(session, budget.year):
            return False
        repository.add(session, budget)
    return True


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
