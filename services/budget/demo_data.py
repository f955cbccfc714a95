"""The 2022 report's 예산현황 as demo appropriations (loaded once).

The report prints amounts in 천원; they are stored as KRW. Its 집행액 (as of 2022-08-31)
become the reported execution that the ledger will later reconcile against.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from services.common.report_data import load

from .domain import model
from .service_layer.opening import ProgramMapping
from .service_layer.programs import open_fiscal_year

DEMO_FILE = Path(__file__).parent / "demo" / "report_2022.toml"


def _krw(split: dict[str, int]) -> dict[str, int]:
    return {source: model.thousand_to_krw(amount) for source, amount in split.items()}


def budget_from_report(data: dict[str, Any]) -> model.FiscalYearBudget:
    """The report's tables as domain objects (new random ids each call)."""
    as_of = data["as_of"]
    units = tuple(
        model.UnitProgram(
            id=str(uuid.uuid4()),
            position=position,
            name=u["name"],
            budget_krw=model.thousand_to_krw(u["budget_thousand"]),
            reported_executed_krw=model.thousand_to_krw(u["executed_thousand"]),
            reported_as_of=as_of,
        )
        for position, u in enumerate(data["unit_programs"], start=1)
    )
    unit_ids = {u.name: u.id for u in units}
    subs = tuple(
        model.SubProgram(
            id=str(uuid.uuid4()),
            position=position,
            section=s["section"],
            title=s["title"],
            team=s["team"],
            sources=model.split_by_source(
                _krw(s["budget_split_thousand"]), _krw(s["executed_split_thousand"])
            ),
            reported_as_of=as_of,
            unit_program_id=unit_ids[s["unit_program"]] if "unit_program" in s else None,
            note=s.get("note"),
        )
        for position, s in enumerate(data["sub_programs"], start=1)
    )
    return model.FiscalYearBudget(data["fiscal_year"], as_of, units, subs)


def mappings_from_report(
    data: dict[str, Any], budget: model.FiscalYearBudget
) -> tuple[ProgramMapping, ...]:
    """Ⅱ.2's public-job programs (안심·지역공동체·지역방역·청년드림나래): which
    sub-program pays each recruitment program's wages, at the printed 재원비율."""
    by_section = {s.section: s.id for s in budget.sub_programs}
    return tuple(
        ProgramMapping(
            fiscal_year=budget.year,
            program_code=p["code"],
            program_name=p["name"],
            sub_program_id=by_section[p["sub_program"]],
            ratio_pct=dict(p["funding_ratio_pct"]),
        )
        for p in data.get("public_job_budgets", ())
    )


def seed_demo(runtime) -> bool:
    data = load(DEMO_FILE)
    budget = budget_from_report(data)
    return open_fiscal_year(runtime, budget, mappings_from_report(data, budget))
