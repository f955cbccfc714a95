"""What an alarm tells people: the v2 notice payload (docs/events.md), and who is told.

Every notice carries the market's address, the store's number and its location: fire
stations cannot find a store by a sign that may have changed since it was recorded.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.orm import alarm_timeline, markets, stores
from ..domain.alarms import Step

NOTICE_VERSION = 2


def place(session: Session, store_id: str) -> tuple[Any, Any]:
    """The store and its market, read once per transaction (the alarm path asks thrice)."""
    cache = session.info.setdefault("places", {})
    if store_id not in cache:
        store = session.execute(select(stores).where(stores.c.id == store_id)).one()
        market = session.execute(select(markets).where(markets.c.id == store.market_id)).one()
        cache[store_id] = (store, market)
    return cache[store_id]


def _location(store) -> str:
    parts = [store.floor, store.lane]
    if store.map_x is not None and store.map_y is not None:
        parts.append(f"배치도 ({store.map_x:g}, {store.map_y:g})")
    return " ".join(p for p in parts if p) or "위치 미기재"


def _people(store, market, wanted: tuple[str, ...], channels: tuple[str, ...]) -> list[dict]:
    people = []
    if "merchant" in wanted and store.merchant_phone_enc:
        people.append(
            {"role": "merchant", "name_masked": store.merchant_name_masked or "점포주",
             "phone_enc": store.merchant_phone_enc, "email_enc": None,
             "kakao": bool(store.merchant_kakao), "channels": list(channels)}
        )  # fmt: skip
    if "association" in wanted and market.association_phone_enc:
        people.append(
            {"role": "association", "name_masked": market.association_name or "상인회",
             "phone_enc": market.association_phone_enc, "email_enc": None, "kakao": False,
             "channels": list(channels)}
        )  # fmt: skip
    return people


def notice_payload(alarm, store, market, step: Step) -> dict:
    roles = list(step.roles)
    if alarm.test or alarm.stage != "confirmed":
        roles = [r for r in roles if r != "station"]  # 119 only for a confirmed real fire
    return {
        "alarm_id": alarm.id,
        "step": step.index,
        "repeat": step.repeat,
        "type": alarm.type,
        "stage": alarm.stage,
        "severity": alarm.severity,
        "test": bool(alarm.test),
        "detected_at": alarm.started_at.isoformat(),
        "market": {"id": market.id, "name": market.name, "address": market.address},
        "store": {
            "number": store.number,
            "name": store.name,
            "name_generated": bool(store.name_generated),
            "lane": store.lane,
            "floor": store.floor,
            "location": _location(store),
        },
        "recipients": _people(store, market, step.recipients, step.channels),
        "roles": roles,
        "channels": list(step.channels),
        "ack_required": alarm.type == "fire" and not alarm.test,
    }


def emit_notice(runtime, session: Session, alarm, step: Step, now) -> str:
    store, market = place(session, alarm.store_id)
    payload = notice_payload(alarm, store, market, step)
    first = step.index == 0 and step.repeat == 0
    event = "markets.alarm_raised" if first else "markets.alarm_escalated"
    envelope = runtime.emit(session, event, payload, version=NOTICE_VERSION)
    timeline(session, alarm.id, "notice", now, message_id=envelope.id,
             step=step.index, repeat=step.repeat, roles=payload["roles"],
             recipients=[p["role"] for p in payload["recipients"]])  # fmt: skip
    return envelope.id


def timeline(session: Session, alarm_id: str, kind: str, at, message_id=None, **detail) -> None:
    session.execute(
        alarm_timeline.insert().values(
            id=str(uuid.uuid4()), alarm_id=alarm_id, at=at, kind=kind,
            message_id=message_id, detail=detail,
        )
    )  # fmt: skip
