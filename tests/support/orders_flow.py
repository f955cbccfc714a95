"""Work orders in tests: the 2022 catalogue's ids, a contractor account, an order's body."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from sqlalchemy import select

from services.markets.adapters.orm import markets, safety_jobs

URL = "/markets/api/v1/work-orders"
IOT = "2022-iot_fire_detection"  # sites: 동남상가 (56 stores), 삼구시장 (54)
BRN = "134-86-72683"  # a valid 사업자등록번호 (python-stdnum's own example)


def catalogue(stack) -> SimpleNamespace:
    """The demo's markets and jobs (loaded once; loading again adds nothing)."""
    runtime = stack.runtime("markets")
    runtime.spec.seed_demo(runtime)
    with runtime.db.read() as session:
        market = dict(session.execute(select(markets.c.name, markets.c.id)).all())
        job = dict(session.execute(select(safety_jobs.c.code, safety_jobs.c.id)).all())
    return SimpleNamespace(market=market, job=job)


def contractor(stack, label: str = "시공") -> SimpleNamespace:
    """A contractor account with its own bearer token on markets."""
    name = f"{label}-{uuid.uuid4().hex[:8]}"
    token = stack.apps["markets"].extensions["tokens"].issue(name, "contractor")
    return SimpleNamespace(name=name, auth={"Authorization": f"Bearer {token}"})


def order_body(cat, account: str, year: int, **changes) -> dict:
    body = {
        "job_id": cat.job[IOT],
        "market_id": cat.market["동남상가"],
        "fiscal_year": year,
        "quantity": 3,
        "amount_krw": 3_000_000,
        "due_date": f"{year}-06-30",
        "contractor_name": "(주)안전설비",
        "contractor_brn": BRN,
        "contractor_account": account,
        "units": [{"store_number": 1}, {"store_number": 2}, {"store_number": 3}],
    }
    return {**body, **changes}


def issue(stack, body: dict) -> dict:
    answer = stack.client("markets").post(URL, json=body, headers=stack.auth("staff"))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def send_test_signal(stack, order_id: str, code: str) -> str:
    """What an installer does before 검수 of a detector: register it in the unit's store,
    press its test button (a test reading: the merchant is told, marked [시험], never 119),
    and the notice is delivered (notifications' report, handed to markets' inbox)."""
    from services.common.envelope import Envelope
    from services.common.tables import utcnow
    from services.markets.adapters.orm import alarm_timeline, alarms, work_order_units
    from services.markets.service_layer.alarms import process_reading
    from services.markets.service_layer.devices import provision
    from services.markets.tasks import ingest_of

    runtime = stack.runtime("markets")
    u = work_order_units.c
    with runtime.db.read() as session:
        store_id = session.scalar(
            select(u.store_id).where(u.work_order_id == order_id, u.code == code)
        )
    made = provision(runtime, f"T-{uuid.uuid4().hex[:10]}", store_id, "multi", None)
    reading = {"ts": utcnow().isoformat(), "smoke": 1.0, "test": True}
    [reading_id] = ingest_of(runtime).accept(made["token"], reading, "http")
    process_reading(runtime, reading_id)  # (a running emergency worker may have done it)
    with runtime.db.read() as session:
        notice = session.scalar(
            select(alarm_timeline.c.message_id)
            .join(alarms, alarms.c.id == alarm_timeline.c.alarm_id)
            .where(alarms.c.device_id == made["id"], alarms.c.test.is_(True),
                   alarm_timeline.c.kind == "notice")
        )  # fmt: skip
    assert notice, "the test signal raised no notice"
    report = Envelope(type="notifications.message_delivered", producer="notifications",
                      payload={"message_id": notice, "channel": "sms",
                               "delivery_id": str(uuid.uuid4()), "status": "delivered"})  # fmt: skip
    assert runtime.consumer.deliver(report.to_dict()) >= 1
    with runtime.celery.connection_for_write() as conn:  # no worker here: leave nothing queued
        for queue in ("markets.emergency", "notifications.emergency"):
            conn.default_channel.queue_purge(queue)
    return made["id"]


def photo_bytes(color=(40, 120, 200)) -> bytes:
    """A small real JPEG, as a phone sends one."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(out, "JPEG")
    return out.getvalue()


def report_unit(stack, auth: dict, order_id: str, unit: str, serial: str | None = None):
    """A contractor's completion report of one unit, with one photo (multipart)."""
    import io

    data = {"unit": unit, "serial": serial or f"SN-{uuid.uuid4().hex[:10]}", "note": "설치 완료",
            "photos": [(io.BytesIO(photo_bytes()), f"unit-{unit}.jpg")]}  # fmt: skip
    return stack.client("markets").post(f"{URL}/{order_id}/completions", data=data,
                                        headers=auth, content_type="multipart/form-data")  # fmt: skip
