"""Reading alarms for staff: lists (paginated), one with its timeline, per-market counts."""

from __future__ import annotations

from sqlalchemy import func, select

from services.common.problems import Problem
from services.common.runtime import Runtime

from ..adapters.orm import alarm_timeline, alarms, devices, markets, stores

COLUMNS = (
    alarms.c.id, alarms.c.type, alarms.c.stage, alarms.c.severity, alarms.c.status,
    alarms.c.test, alarms.c.rule_version, alarms.c.started_at, alarms.c.last_reading_at,
    alarms.c.acked_at, alarms.c.acked_by, alarms.c.cleared_at, alarms.c.cleared_by,
    alarms.c.clearance, alarms.c.next_step_at, alarms.c.step, alarms.c.repeat,
    devices.c.serial.label("device_serial"), alarms.c.device_id,
    stores.c.number.label("store_number"), stores.c.name.label("store_name"),
    markets.c.id.label("market_id"), markets.c.name.label("market_name"),
    markets.c.address.label("market_address"),
)  # fmt: skip


def _base():
    return (
        select(*COLUMNS)
        .join(devices, devices.c.id == alarms.c.device_id)
        .join(stores, stores.c.id == alarms.c.store_id)
        .join(markets, markets.c.id == alarms.c.market_id)
    )


def list_alarms(runtime: Runtime, status=None, market=None, page=1, page_size=50) -> dict:
    query = _base()
    if status == "active":
        query = query.where(alarms.c.active.is_(True))
    elif status:
        query = query.where(alarms.c.status == status)
    if market:
        query = query.where((markets.c.id == market) | (markets.c.name == market))
    with runtime.db.read() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        rows = session.execute(
            query.order_by(alarms.c.started_at.desc(), alarms.c.id)
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
        items = [dict(r._mapping) for r in rows]
    return {"items": items, "total": total, "page": page, "page_size": page_size}


def alarm_detail(runtime: Runtime, alarm_id: str) -> dict:
    with runtime.db.read() as session:
        row = session.execute(_base().where(alarms.c.id == alarm_id)).first()
        if row is None:
            raise Problem(404, "없는 경보입니다.")
        events = session.execute(
            select(alarm_timeline.c.at, alarm_timeline.c.kind, alarm_timeline.c.message_id,
                   alarm_timeline.c.detail)
            .where(alarm_timeline.c.alarm_id == alarm_id)
            .order_by(alarm_timeline.c.at, alarm_timeline.c.id)
        )  # fmt: skip
        return {**row._mapping, "timeline": [dict(e._mapping) for e in events]}
