"""Reading and writing work orders, their units and their audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from ..domain.work_orders import Contractor, Unit, WorkOrder
from .orm import (
    markets,
    safety_job_sites,
    safety_jobs,
    stores,
    work_order_audit,
    work_order_units,
    work_orders,
)

UNIT_FIELDS = ("status", "amount_krw", "verified_by", "verified_at", "payment_status",
               "expenditure_id", "payment_split", "payment_reason", "serial", "reported_by",
               "reported_at", "return_reason", "returned_by", "returned_at")  # fmt: skip
ORDER_FIELDS = ("quantity", "amount_krw", "due_date", "status", "cancel_reason",
                "commitment_status", "commitment_id", "commitment_reason", "commitment_split")  # fmt: skip


def job(session: Session, job_id: str):
    """(id, code, kind, title, funding_ratio, site market ids) of a safety job, or None."""
    row = session.execute(select(safety_jobs).where(safety_jobs.c.id == job_id)).first()
    if row is None:
        return None
    sites = tuple(
        session.scalars(
            select(safety_job_sites.c.market_id).where(safety_job_sites.c.job_id == job_id)
        )
    )
    return row, sites


def market_name(session: Session, market_id: str) -> str | None:
    return session.scalar(select(markets.c.name).where(markets.c.id == market_id))


def store_ids(session: Session, market_id: str, numbers: set[int]) -> dict[int, str]:
    if not numbers:
        return {}
    rows = session.execute(
        select(stores.c.number, stores.c.id).where(
            stores.c.market_id == market_id, stores.c.number.in_(sorted(numbers))
        )
    )
    return {r.number: r.id for r in rows}


def add(session: Session, order: WorkOrder, store_of: dict[int, str], by: str, now: datetime):
    session.execute(
        work_orders.insert().values(
            id=order.id, job_id=order.job_id, market_id=order.market_id,
            fiscal_year=order.fiscal_year, contractor_name=order.contractor.name,
            contractor_brn=order.contractor.brn, contractor_account=order.contractor.account,
            issued_by=by, issued_at=now, updated_at=now,
            **{f: getattr(order, f) for f in ORDER_FIELDS},
        )
    )  # fmt: skip
    _insert_units(session, order.id, order.units, store_of)


def _insert_units(session, order_id: str, units, store_of: dict[int, str], positions=None):
    if units:
        session.execute(work_order_units.insert(), [
            {"work_order_id": order_id, "code": u.code,
             "position": positions[u.code] if positions else i,
             "store_id": store_of[u.store_number], **{f: getattr(u, f) for f in UNIT_FIELDS}}
            for i, u in enumerate(units)
        ])  # fmt: skip


def save(session: Session, old: WorkOrder, new: WorkOrder, store_of: dict[int, str], now):
    """Write what changed between two states of one order (a unit keeps its row, and the
    id of the event that asked for its payment, as long as its code stays)."""
    session.execute(
        update(work_orders)
        .where(work_orders.c.id == new.id)
        .values(updated_at=now, **{f: getattr(new, f) for f in ORDER_FIELDS})
    )
    if old.units == new.units:
        return
    u = work_order_units.c
    before = {x.code: (i, x) for i, x in enumerate(old.units)}
    gone = set(before) - {x.code for x in new.units}
    if gone:
        session.execute(
            delete(work_order_units).where(u.work_order_id == new.id, u.code.in_(sorted(gone)))
        )
    added = []
    for i, unit in enumerate(new.units):
        if unit.code not in before:
            added.append(unit)
            continue
        if before[unit.code] == (i, unit):
            continue
        values = {"position": i, **{f: getattr(unit, f) for f in UNIT_FIELDS}}
        if before[unit.code][1].store_number != unit.store_number:
            values["store_id"] = store_of[unit.store_number]
        session.execute(
            update(work_order_units)
            .where(u.work_order_id == new.id, u.code == unit.code)
            .values(**values)
        )
    positions = {x.code: i for i, x in enumerate(new.units)}
    _insert_units(session, new.id, added, store_of, positions)


def set_message(session: Session, order_id: str, code: str, message_id: str) -> None:
    u = work_order_units.c
    session.execute(
        update(work_order_units)
        .where(u.work_order_id == order_id, u.code == code)
        .values(message_id=message_id)
    )


def audit(session: Session, order_id: str, actor: str, action: str, before, after, now) -> None:
    session.execute(
        work_order_audit.insert().values(
            work_order_id=order_id, at=now, actor=actor, action=action,
            before_state=before, after_state=after,
        )
    )  # fmt: skip


def trail(session: Session, order_id: str) -> list[dict]:
    a = work_order_audit.c
    rows = session.execute(
        select(a.seq, a.at, a.actor, a.action, a.before_state, a.after_state)
        .where(a.work_order_id == order_id)
        .order_by(a.seq)
    )
    return [
        {"seq": r.seq, "at": r.at, "by": r.actor, "action": r.action,
         "before": r.before_state, "after": r.after_state}
        for r in rows
    ]  # fmt: skip


def listing(contractor_account: str | None = None, **filters) -> Select:
    """The orders (newest first) as rows of the list, with their job and market."""
    w = work_orders.c
    query = (
        select(
            w.id, w.fiscal_year, w.quantity, w.amount_krw, w.due_date, w.status,
            w.commitment_status, w.contractor_name, w.contractor_account, w.issued_at,
            w.market_id, markets.c.name.label("market_name"), w.job_id,
            safety_jobs.c.code.label("job_code"), safety_jobs.c.title.label("job_title"),
        )
        .join(markets, markets.c.id == w.market_id)
        .join(safety_jobs, safety_jobs.c.id == w.job_id)
        .order_by(w.issued_at.desc(), w.id)
    )  # fmt: skip
    if contractor_account is not None:
        query = query.where(w.contractor_account == contractor_account)
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(w, name) == value)
    return query


def get(session: Session, order_id: str, for_update: bool = False):
    """(order, row with job and market columns) or None."""
    w = work_orders.c
    query = (
        select(work_orders, markets.c.name.label("market_name"),
               safety_jobs.c.code.label("job_code"), safety_jobs.c.title.label("job_title"),
               safety_jobs.c.kind.label("job_kind"))
        .join(markets, markets.c.id == w.market_id)
        .join(safety_jobs, safety_jobs.c.id == w.job_id)
        .where(w.id == order_id)
    )  # fmt: skip
    if for_update:
        query = query.with_for_update(of=work_orders)
    row = session.execute(query).first()
    if row is None:
        return None
    u = work_order_units.c
    units = session.execute(
        select(work_order_units, stores.c.number, stores.c.name.label("store_name"))
        .join(stores, stores.c.id == u.store_id)
        .where(u.work_order_id == order_id)
        .order_by(u.position)
    ).all()
    order = WorkOrder(
        id=row.id, job_id=row.job_id, job_code=row.job_code, market_id=row.market_id,
        fiscal_year=row.fiscal_year,
        contractor=Contractor(row.contractor_name, row.contractor_brn, row.contractor_account),
        units=tuple(Unit(code=x.code, store_number=x.number,
                         **{f: getattr(x, f) for f in UNIT_FIELDS}) for x in units),
        **{f: getattr(row, f) for f in ORDER_FIELDS},
    )  # fmt: skip
    names = {x.code: x.store_name for x in units}
    return order, row, names


def test_signal_reached(session: Session, order_id: str, code: str) -> bool:
    """Since the order was issued, has a detector in this unit's store sent a test signal
    whose notice was delivered (a test alarm goes to the merchant only, marked [시험],
    never to 119)?"""
    from .orm import alarm_timeline, alarms, devices

    u, a, d, t, o = work_order_units.c, alarms.c, devices.c, alarm_timeline.c, work_orders.c
    found = session.execute(
        select(t.id)
        .join(alarms, a.id == t.alarm_id)
        .join(devices, d.id == a.device_id)
        .join(work_order_units, u.store_id == d.store_id)
        .join(work_orders, o.id == u.work_order_id)
        .where(u.work_order_id == order_id, u.code == code, a.test.is_(True),
               t.kind == "message_delivered", a.started_at >= o.issued_at)
        .limit(1)
    ).first()  # fmt: skip
    return found is not None
