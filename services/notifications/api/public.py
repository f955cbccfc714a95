"""Public endpoints: acknowledgement links, and provider receipts (signed)."""

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from services.common.auth import public
from services.common.problems import Problem

from ..adapters.providers.webhook import verify
from ..service_layer import acks, receipts
from ..service_layer.notifier import current_notifier

ack_blp = Blueprint("ack", __name__, url_prefix="/notifications/ack", description="수신 확인")
receipt_blp = Blueprint(
    "receipts", __name__, url_prefix="/notifications/api/v1/receipts", description="발송 결과"
)


class AckSchema(Schema):
    delivery_id = fields.String()
    acknowledged_at = fields.DateTime()
    first = fields.Boolean(metadata={"description": "이번이 처음 확인인지"})
    message = fields.String()


@ack_blp.route("/<token>")
@ack_blp.response(200, AckSchema)
@public
def acknowledge(token):
    """수신 확인 (서명된 링크, 한 번만 기록)"""
    try:
        ack = acks.acknowledge(current_notifier(), token)
    except acks.BadAckToken as exc:
        detail = "확인 링크가 만료되었습니다." if exc.expired else "확인 링크가 올바르지 않습니다."
        raise Problem(410 if exc.expired else 404, detail) from exc
    message = "수신 확인이 기록되었습니다." if ack.first else "이미 확인된 알림입니다."
    return {
        "delivery_id": ack.delivery_id,
        "acknowledged_at": ack.acknowledged_at,
        "first": ack.first,
        "message": message,
    }


class ReceiptSchema(Schema):
    provider_message_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("delivered", "failed")))
    reason = fields.String(load_default=None, allow_none=True)


class ReceiptResult(Schema):
    status = fields.String()


@receipt_blp.route("", methods=["POST"])
@receipt_blp.response(200, ReceiptResult)
@public
def receipt():
    """발송 결과 수신 (X-Timestamp, X-Signature: HMAC-SHA256(SIGNING_KEY, timestamp+body))"""
    notifier = current_notifier()
    raw = request.get_data()
    if not verify(
        notifier.signing_key,
        request.headers.get("X-Timestamp", ""),
        raw,
        request.headers.get("X-Signature", ""),
    ):
        raise Problem(401, "서명이 없거나 올바르지 않습니다 (X-Timestamp, X-Signature).")
    try:
        data = ReceiptSchema().load(request.get_json(force=True, silent=True) or {})
    except ValidationError as exc:
        raise Problem(422, "입력값이 올바르지 않습니다.", errors=exc.messages) from exc
    try:
        status = receipts.apply_receipt(
            notifier, data["provider_message_id"], data["status"], data["reason"]
        )
    except receipts.UnknownReceipt as exc:
        raise Problem(404, "해당 발송 건이 없습니다.") from exc
    return {"status": status}
