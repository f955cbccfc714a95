"""Devices (staff) and their readings (devices, with their own tokens)."""

from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.common.auth import public, roles
from services.common.problems import Problem

from ..service_layer import devices as use_cases
from ..service_layer.ingest import IngestError
from ..tasks import ingest_of

blp = Blueprint(
    "devices", __name__, url_prefix="/markets/api/v1", description="화재감지기와 측정값"
)


class DeviceIn(Schema):
    serial = fields.String(required=True, validate=validate.Length(min=1, max=60))
    store_id = fields.String(required=True, validate=validate.Length(max=36))
    kind = fields.String(required=True, validate=validate.OneOf(use_cases.KINDS))
    installed_at = fields.AwareDateTime(load_default=None)


class DeviceToken(Schema):
    id = fields.String()
    serial = fields.String()
    store_id = fields.String()
    token = fields.String(metadata={"description": "한 번만 보여 줍니다. 기기에 저장하세요."})


class Accepted(Schema):
    accepted = fields.Integer(metadata={"description": "새로 저장된 측정값 수(중복 제외)"})


def _runtime():
    return current_app.extensions["runtime"]


@blp.route("/devices", methods=["POST"])
@blp.arguments(DeviceIn)
@blp.response(201, DeviceToken)
@roles("staff")
def provision(data):
    """화재감지기 등록: 기기 토큰 발급 (한 번만 표시)"""
    return use_cases.provision(_runtime(), **data)


@blp.route("/devices/<device_id>/token", methods=["POST"])
@blp.response(201, DeviceToken)
@roles("staff")
def rotate(device_id):
    """기기 토큰 교체: 새 토큰 발급, 이전 토큰 폐기"""
    return use_cases.rotate(_runtime(), device_id)


@blp.route("/devices/<device_id>/token", methods=["DELETE"])
@blp.response(204)
@roles("staff")
def revoke(device_id):
    """기기 토큰 폐기"""
    use_cases.revoke(_runtime(), device_id)


@blp.route("/telemetry", methods=["POST"])
@blp.response(202, Accepted)
@blp.doc(security=[{"bearerAuth": []}], description="Authorization: Bearer <기기 토큰>")
@public  # not an API token: the device's own token, checked by the ingest
def telemetry():
    """측정값 전송 (기기): {ts, smoke, temperature_c, flame, battery_pct, test} 또는 그 목록"""
    header = request.headers.get("Authorization", "")
    token = header[len("Bearer ") :].strip() if header.startswith("Bearer ") else ""
    try:
        ids = ingest_of(_runtime()).accept(token, request.get_data(cache=False), "http")
    except IngestError as exc:
        extra = {"errors": {"json": exc.errors}} if exc.errors else {}
        raise Problem(exc.status, exc.detail, **extra) from None
    return {"accepted": len(ids)}
