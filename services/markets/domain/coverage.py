"""Coverage of the safety jobs: per job and market, the target the plan (or the report)
sets beside what was ordered, reported by contractors, verified by staff and paid.
Plain Python: the rows in, the table out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import SafetyJob

REPORTED = ("reported", "verified")  # a unit sent back is not counted as reported


@dataclass(frozen=True)
class UnitFact:
    job_id: str
    market_id: str
    market_name: str
    status: str
    amount_krw: int | None
    payment_status: str | None


@dataclass(frozen=True)
class OrderFact:
    job_id: str
    market_id: str
    market_name: str
    amount_krw: int


@dataclass(frozen=True)
class CoverageRow:
    job_code: str
    job_title: str
    market: str | None  # None: the job's total
    target_units: int | None  # None where the plan names no figure for this market
    ordered_units: int = 0
    reported_units: int = 0
    verified_units: int = 0
    paid_units: int = 0
    ordered_krw: int = 0
    verified_krw: int = 0
    paid_krw: int = 0


def _sums(units: list[UnitFact], orders: list[OrderFact]) -> dict:
    return {
        "ordered_units": len(units),
        "reported_units": sum(u.status in REPORTED for u in units),
        "verified_units": sum(u.status == "verified" for u in units),
        "paid_units": sum(u.payment_status == "paid" for u in units),
        "ordered_krw": sum(o.amount_krw for o in orders),
        "verified_krw": sum(u.amount_krw or 0 for u in units if u.status == "verified"),
        "paid_krw": sum(u.amount_krw or 0 for u in units if u.payment_status == "paid"),
    }


def coverage(
    jobs: Iterable[SafetyJob], units: Iterable[UnitFact], orders: Iterable[OrderFact]
) -> list[CoverageRow]:
    """Each job's markets (its planned sites first, then any other market it has orders
    in), then the job's total, whose target is the printed total where the report gives
    one (e.g. 418 extinguishers in 9 markets), else the sum of the sites' targets."""
    units, orders = list(units), list(orders)
    rows: list[CoverageRow] = []
    for job in jobs:
        mine_u = [u for u in units if u.job_id == job.id]
        mine_o = [o for o in orders if o.job_id == job.id]
        markets = [(s.market_id, s.market_name, s.units) for s in job.sites]
        planned = {m for m, _, _ in markets}
        others = {(u.market_id, u.market_name) for u in mine_u} | {
            (o.market_id, o.market_name) for o in mine_o
        }
        markets += [(m, name, None) for m, name in sorted(others, key=lambda x: x[1])
                    if m not in planned]  # fmt: skip
        for market_id, name, target in markets:
            here_u = [u for u in mine_u if u.market_id == market_id]
            here_o = [o for o in mine_o if o.market_id == market_id]
            rows.append(CoverageRow(job.code, job.title, name, target, **_sums(here_u, here_o)))
        site_targets = [s.units for s in job.sites if s.units is not None]
        total = job.total_units if job.total_units is not None else (
            sum(site_targets) if site_targets else None)  # fmt: skip
        rows.append(CoverageRow(job.code, job.title, None, total, **_sums(mine_u, mine_o)))
    return rows
