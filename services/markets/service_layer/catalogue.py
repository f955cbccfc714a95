"""Use cases for markets and safety jobs: one transaction each."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from services.common.runtime import Runtime

from ..adapters import repository
from ..domain import commands, model


def register(
    runtime: Runtime,
    markets: Sequence[commands.RegisterMarket],
    jobs: Sequence[commands.PlanSafetyJob] = (),
) -> bool:
    """Add the markets and safety jobs not yet recorded (by market name and job code).

    True if anything was added. Sites name their market; it must be known or listed here.
    """
    added = False
    with runtime.db.transaction() as session:
        ids = repository.market_ids_by_name(session)
        for cmd in markets:
            if cmd.name in ids:
                continue
            market = model.Market(str(uuid.uuid4()), cmd.name, cmd.store_count)
            repository.add_market(session, market)
            ids[market.name] = market.id
            added = True
        known_codes = repository.job_codes(session)
        for cmd in jobs:
            if cmd.code in known_codes:
                continue
            repository.add_job(session, model.plan_safety_job(_job(cmd, ids)))
            known_codes.add(cmd.code)
            added = True
    return added


def _job(cmd: commands.PlanSafetyJob, ids: dict[str, str]) -> model.SafetyJob:
    missing = [s.market for s in cmd.sites if s.market not in ids]
    if missing:
        raise model.DomainError(f"{cmd.title}: 등록되지 않은 시장입니다: {', '.join(missing)}")
    return model.SafetyJob(
        id=str(uuid.uuid4()),
        code=cmd.code,
        kind=cmd.kind,
        title=cmd.title,
        status=cmd.status,
        sites=tuple(model.JobSite(ids[s.market], s.market, s.units) for s in cmd.sites),
        starts=cmd.starts,
        ends=cmd.ends,
        budget_krw=cmd.budget_krw,
        funding_ratio_pct=cmd.funding_ratio_pct,
        market_count=cmd.market_count,
        total_units=cmd.total_units,
    )


def list_markets(runtime: Runtime) -> list[model.Market]:
    with runtime.db.read() as session:
        return repository.list_markets(session)


def list_safety_jobs(runtime: Runtime) -> list[model.SafetyJob]:
    with runtime.db.read() as session:
        return repository.list_jobs(session)
