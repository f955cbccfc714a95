"""The one entry of every transport (HTTP, MQTT): authenticate, validate, store, enqueue.

A reading is stored before anything else happens to it, unique per (device, ts), so a
repeated reading is absorbed; then ``markets.process_reading`` is sent on the emergency
queue. If that send is lost (broker down, worker killed), the alarm sweep finds the
unprocessed row and sends it again: the row, not the message, is the truth.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import structlog
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from services.common.messaging import direct_options
from services.common.runtime import Runtime
from services.common.tables import utcnow

from ..adapters.orm import device_readings, devices
from .devices import DeviceAuth

log = structlog.get_logger(__name__)
MAX_BYTES = 16 * 1024
MAX_READINGS = 100
MAX_SKEW = timedelta(minutes=5)
PROCESS_TASK = "markets.process_reading"
EMERGENCY = "markets.emergency"


class IngestError(Exception):
    def __init__(self, status: int, detail: str, errors: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


class Timestamp(fields.Field):
    """ISO 8601 (with a time zone) or epoch milliseconds."""

    default_error_messages = {
        "invalid": "ts는 ISO 8601 시각(시간대 포함)이나 epoch 밀리초여야 합니다."
    }

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, int | float):
                return datetime.fromtimestamp(value / 1000, UTC)
            parsed = datetime.fromisoformat(str(value))
            if parsed.tzinfo is None:
                raise ValueError
            return parsed.astimezone(UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise self.make_error("invalid") from exc


class SmokeField(fields.Field):
    default_error_messages = {"invalid": "smoke는 참/거짓이나 0~1 사이의 수여야 합니다."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            return 1.0 if value else 0.0
        if isinstance(value, int | float) and 0 <= value <= 1:
            return float(value)
        raise self.make_error("invalid")


class ReadingSchema(Schema):
    class Meta:
        unknown = RAISE

    ts = Timestamp(load_default=None)
    smoke = SmokeField(load_default=None)
    temperature_c = fields.Float(load_default=None, validate=validate.Range(min=-50, max=1000))
    flame = fields.Boolean(load_default=None, truthy={True}, falsy={False})
    battery_pct = fields.Integer(load_default=None, strict=True, validate=validate.Range(0, 100))
    test = fields.Boolean(load_default=False, truthy={True}, falsy={False})

    @pre_load
    def _flatten(self, data, **_):  # ThingsBoard's {"ts": ..., "values": {...}}
        if isinstance(data, dict) and isinstance(data.get("values"), dict):
            return {"ts": data.get("ts"), **data["values"]}
        return data


def parse(body: bytes | str | dict | list) -> list[dict]:
    if isinstance(body, bytes | str):
        if len(body) > MAX_BYTES:
            raise IngestError(413, f"측정값은 {MAX_BYTES // 1024} KiB 이하로 보내 주세요.")
        try:
            body = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise IngestError(400, "측정값이 올바른 JSON이 아닙니다.") from exc
    items = body if isinstance(body, list) else [body]
    if not items or len(items) > MAX_READINGS:
        raise IngestError(422, f"측정값은 1~{MAX_READINGS}개를 한 번에 보낼 수 있습니다.")
    try:
        readings = ReadingSchema(many=True).load(items)
    except ValidationError as exc:
        raise IngestError(422, "측정값을 확인해 주세요.", exc.messages) from exc
    now = utcnow()
    for r in readings:
        r["ts"] = r["ts"] or now
        if r["ts"] > now + MAX_SKEW:
            raise IngestError(
                422, "측정 시각(ts)이 현재보다 5분 넘게 미래입니다. 기기 시계를 확인해 주세요."
            )
    return readings


def _insert_ignoring_duplicates(session, rows: list[dict]) -> list[str]:
    dialect = session.bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(device_readings).on_conflict_do_nothing(index_elements=["device_id", "ts"])
    stmt = stmt.returning(device_readings.c.id)
    return [session.execute(stmt, row).scalar() for row in rows]


class Ingest:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.auth = DeviceAuth(runtime)

    def accept(self, token: str, body, source: str) -> list[str]:
        """Store the readings of the device ``token`` names; returns the new readings' ids."""
        device = self.auth.verify(token or "")
        if device is None:
            raise IngestError(401, "유효하지 않거나 폐기된 기기 토큰입니다.")
        readings = parse(body)
        now = utcnow()
        rows = [
            {"id": str(uuid.uuid4()), "device_id": device.id, "received_at": now,
             "source": source, **r}
            for r in readings
        ]  # fmt: skip
        battery = next((r["battery_pct"] for r in reversed(readings) if r["battery_pct"]), None)
        with self.runtime.db.transaction() as session:
            ids = [i for i in _insert_ignoring_duplicates(session, rows) if i]
            values = {"last_seen_at": now, "status": "online"}
            if battery is not None:
                values["battery_pct"] = battery
            session.execute(update(devices).where(devices.c.id == device.id).values(values))
        for reading_id in ids:
            self.enqueue(reading_id)
        log.info("ingest.accepted", device=device.serial, new=len(ids), sent=len(rows))
        return ids

    def enqueue(self, reading_id: str) -> None:
        try:
            self.runtime.celery.send_task(
                PROCESS_TASK, args=[reading_id], retry=False, **direct_options(EMERGENCY)
            )
        except Exception as exc:  # the sweep re-sends unprocessed readings
            log.warning("ingest.enqueue_deferred", error=type(exc).__name__)


__all__ = ["Ingest", "IngestError", "parse"]
