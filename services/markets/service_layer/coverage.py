"""Coverage of the safety jobs from the catalogue and the work orders (cancelled orders
left out)."""

from __future__ import annotations

from sqlalchemy import select

from services.common.runtime import Runtime

from ..adapters.orm import markets, work_order_units, work_orders
from ..domain.coverage import CoverageRow, OrderFact, UnitFact, coverage
from .catalogue import list_safety_jobs


def report(runtime: Runtime, job_code: str | None = None) -> list[CoverageRow]:
    jobs = [j for j in list_safety_jobs(runtime) if job_code in (None, j.code)]
    o, u, m = work_orders.c, work_order_units.c, markets.c
    live = o.status != "cancelled"
    with runtime.db.read() as session:
        units = [
            UnitFact(*r)
            for r in session.execute(
                select(o.job_id, o.market_id, m.name, u.status, u.amount_krw, u.payment_status)
                .join(work_orders, work_orders.c.id == u.work_order_id)
                .join(markets, markets.c.id == o.market_id)
                .where(live)
            )
        ]
        orders = [
            OrderFact(*r)
            for r in session.execute(
                select(o.job_id, o.market_id, m.name, o.amount_krw)
                .join(markets, markets.c.id == o.market_id)
                .where(live)
            )
        ]
    return coverage(jobs, units, orders)
