"""Reading and writing a fiscal year's appropriations."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.model import (
    SOURCE_ORDER,
    FiscalYearBudget,
    SourceAmount,
    SubProgram,
    UnitProgram,
)
from .orm import (
    fiscal_years,
    reported_execution,
    sub_program_sources,
    sub_programs,
    unit_programs,
)


def fiscal_year_exists(session: Session, year: int) -> bool:
    return (
        session.scalar(select(fiscal_years.c.year).where(fiscal_years.c.year == year)) is not None
    )


def add(session: Session, budget: FiscalYearBudget) -> None:
    session.execute(fiscal_years.insert().values(year=budget.year))
    session.execute(
        unit_programs.insert(),
        [
            {
                "id": u.id,
                "fiscal_year": budget.year,
                "position": u.position,
                "name": u.name,
                "budget_krw": u.budget_krw,
            }
            for u in budget.unit_programs
        ],
    )
    executions = [
        {
            "unit_program_id": u.id,
            "as_of": u.reported_as_of,
            "executed_krw": u.reported_executed_krw,
        }
        for u in budget.unit_programs
        if u.reported_executed_krw is not None and u.reported_as_of is not None
    ]
    if executions:
        session.execute(reported_execution.insert(), executions)
    if not budget.sub_programs:
        return
    session.execute(
        sub_programs.insert(),
        [
            {
                "id": s.id,
                "fiscal_year": budget.year,
                "position": s.position,
                "section": s.section,
                "title": s.title,
                "team": s.team,
                "unit_program_id": s.unit_program_id,
                "reported_as_of": s.reported_as_of,
                "note": s.note,
            }
            for s in budget.sub_programs
        ],
    )
    session.execute(
        sub_program_sources.insert(),
        [
            {
                "sub_program_id": s.id,
                "source": a.source,
                "budget_krw": a.budget_krw,
                "reported_executed_krw": a.reported_executed_krw,
            }
            for s in budget.sub_programs
            for a in s.sources
        ],
    )


def list_unit_programs(session: Session, year: int) -> list[UnitProgram]:
    rows = session.execute(
        select(unit_programs)
        .where(unit_programs.c.fiscal_year == year)
        .order_by(unit_programs.c.position)
    ).all()
    latest: dict[str, tuple] = {}
    executions = session.execute(
        select(reported_execution)
        .join(unit_programs, unit_programs.c.id == reported_execution.c.unit_program_id)
        .where(unit_programs.c.fiscal_year == year)
        .order_by(reported_execution.c.as_of)
    )
    for e in executions:  # ascending dates: the last one per program wins
        latest[e.unit_program_id] = (e.executed_krw, e.as_of)
    return [
        UnitProgram(r.id, r.position, r.name, r.budget_krw, *latest.get(r.id, (None, None)))
        for r in rows
    ]


def list_sub_programs(session: Session, year: int) -> list[SubProgram]:
    rows = session.execute(
        select(sub_programs)
        .where(sub_programs.c.fiscal_year == year)
        .order_by(sub_programs.c.position)
    ).all()
    sources: dict[str, list[SourceAmount]] = {}
    split = session.execute(
        select(sub_program_sources)
        .join(sub_programs, sub_programs.c.id == sub_program_sources.c.sub_program_id)
        .where(sub_programs.c.fiscal_year == year)
    )
    for a in split:
        sources.setdefault(a.sub_program_id, []).append(
            SourceAmount(a.source, a.budget_krw, a.reported_executed_krw)
        )
    return [
        SubProgram(
            id=r.id,
            position=r.position,
            section=r.section,
            title=r.title,
            team=r.team,
            sources=_in_source_order(sources.get(r.id, [])),
            reported_as_of=r.reported_as_of,
            unit_program_id=r.unit_program_id,
            note=r.note,
        )
        for r in rows
    ]


def _in_source_order(amounts: list[SourceAmount]) -> tuple[SourceAmount, ...]:
    return tuple(sorted(amounts, key=lambda a: SOURCE_ORDER.index(a.source)))
