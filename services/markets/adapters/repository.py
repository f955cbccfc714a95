"""Reading and writing markets and safety jobs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.model import JobSite, Market, SafetyJob
from .orm import markets, safety_job_sites, safety_jobs


def market_ids_by_name(session: Session) -> dict[str, str]:
    return {r.name: r.id for r in session.execute(select(markets.c.id, markets.c.name))}


def job_codes(session: Session) -> set[str]:
    return set(session.scalars(select(safety_jobs.c.code)))


def add_market(session: Session, market: Market) -> None:
    session.execute(
        markets.insert().values(id=market.id, name=market.name, store_count=market.store_count)
    )


def add_job(session: Session, job: SafetyJob) -> None:
    session.execute(
        safety_jobs.insert().values(
            id=job.id,
            code=job.code,
            kind=job.kind,
            title=job.title,
            starts=job.starts,
            ends=job.ends,
            budget_krw=job.budget_krw,
            funding_ratio=job.funding_ratio_pct,
            status=job.status,
            market_count=job.market_count,
            total_units=job.total_units,
        )
    )
    if job.sites:
        session.execute(
            safety_job_sites.insert(),
            [{"job_id": job.id, "market_id": s.market_id, "units": s.units} for s in job.sites],
        )


def list_markets(session: Session) -> list[Market]:
    rows = session.execute(select(markets)).all()
    # Sorted in Python: the same order on every database, whatever its collation.
    return sorted((Market(r.id, r.name, r.store_count) for r in rows), key=lambda m: m.name)


def list_jobs(session: Session) -> list[SafetyJob]:
    sites: dict[str, list[JobSite]] = {}
    joined = select(safety_job_sites, markets.c.name).join(
        markets, markets.c.id == safety_job_sites.c.market_id
    )
    for r in session.execute(joined):
        sites.setdefault(r.job_id, []).append(JobSite(r.market_id, r.name, r.units))
    jobs = [
        SafetyJob(
            id=r.id,
            code=r.code,
            kind=r.kind,
            title=r.title,
            status=r.status,
            sites=tuple(sorted(sites.get(r.id, []), key=lambda s: s.market_name)),
            starts=r.starts,
            ends=r.ends,
            budget_krw=r.budget_krw,
            funding_ratio_pct=r.funding_ratio,
            market_count=r.market_count,
            total_units=r.total_units,
        )
        for r in session.execute(select(safety_jobs))
    ]
    return sorted(jobs, key=lambda j: (j.starts is None, j.starts, j.code))
