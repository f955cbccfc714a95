"""Budget integration fixtures: the 2022 demo year, fresh fiscal years, more finance users."""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from types import SimpleNamespace

import pytest

from services.budget.adapters import repository
from services.budget.domain import model
from services.budget.service_layer.programs import open_fiscal_year

_years = itertools.count(2060)


@pytest.fixture(scope="session")
def budget_2022(stack):
    runtime = stack.runtime("budget")
    runtime.spec.seed_demo(runtime)
    return runtime


def open_fresh_year(
    runtime, sources: dict[str, int], unit_budget: int = 1_000_000, linked: bool = False
):
    """A fiscal year nobody else uses: one 단위사업 and one 세부사업 with ``sources``."""
    while True:
        year = next(_years)
        with runtime.db.read() as session:
            if not repository.fiscal_year_exists(session, year):
                break
    unit = model.UnitProgram(str(uuid.uuid4()), 1, f"단위-{year}", unit_budget)
    sub = model.SubProgram(
        id=str(uuid.uuid4()),
        position=1,
        section="Ⅱ.2",
        title=f"세부-{year}",
        team="일자리창출팀",
        sources=tuple(model.SourceAmount(s, a, 0) for s, a in sources.items()),
        reported_as_of=date(year, 1, 1),
        unit_program_id=unit.id if linked else None,
    )
    assert open_fiscal_year(
        runtime, model.FiscalYearBudget(year, date(year, 1, 1), (unit,), (sub,))
    )
    return SimpleNamespace(year=year, unit_id=unit.id, sub_id=sub.id)


@pytest.fixture
def fresh_year(stack):
    runtime = stack.runtime("budget")
    return lambda sources, unit_budget=1_000_000: open_fresh_year(runtime, sources, unit_budget)


@pytest.fixture(scope="session")
def finance_users(stack):
    """Bearer headers of three distinct finance users (segregation of duties)."""
    tokens = stack.apps["budget"].extensions["tokens"]
    suffix = uuid.uuid4().hex[:6]
    return [
        {"Authorization": f"Bearer {tokens.issue(f'재무{n}-{suffix}', 'finance')}"}
        for n in range(1, 4)
    ]


def unknown_year(runtime) -> int:
    """A valid year nobody opened (the API fuzzer may open any year in 2000–2100)."""
    with runtime.db.read() as session:
        return next(
            y for y in range(2100, 1999, -1) if not repository.fiscal_year_exists(session, y)
        )
