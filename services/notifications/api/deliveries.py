"""Delivery log for staff: filter by recipient (keyed hash), status, event; masked."""

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.common.auth import roles

from ..adapters import repository as repo
from ..domain.model import CHANNELS, STATUSES
from ..service_layer.notifier import current_notifier

blp = Blueprint(
    "deliveries",
    __name__,
    url_prefix="/notifications/api/v1/deliveries",
    description="발송 기록",
)


class DeliveryQuery(Schema):
    recipient = fields.String(
        metadata={"description": "전화번호·이메일·설정된 수신자 이름 (키 해시로 찾음)"}
    )
    status = fields.String(validate=validate.OneOf(STATUSES))
    message_id = fields.String(metadata={"description": "원본 이벤트 id"})
    event_type = fields.String()
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class DeliverySchema(Schema):
    id = fields.String()
    message_id = fields.String()
    event_type = fields.String()
    recipient = fields.String(attribute="recipient_masked", metadata={"description": "마스킹"})
    channel = fields.String()
    template = fields.String()
    template_version = fields.Integer()
    body = fields.String()
    status = fields.String()
    reason = fields.String(allow_none=True)
    attempts = fields.Integer()
    urgent = fields.Boolean()
    provider = fields.String(allow_none=True)
    provider_message_id = fields.String(allow_none=True)
    fallback_of = fields.String(allow_none=True)
    not_before = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    failed_at = fields.DateTime(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)


@blp.route("")
@blp.arguments(DeliveryQuery, location="query")
@blp.response(200, DeliverySchema(many=True))
@roles("staff")
def list_deliveries(query):
    """발송 기록 조회 (수신자·상태·이벤트별, 개인정보는 마스킹)"""
    limit = query.pop("limit")
    recipient = query.pop("recipient", None)
    if recipient:
        query["recipient_hash"] = current_notifier().pii.hash(recipient)
        query["recipient_raw"] = recipient
    with current_app.extensions["runtime"].db.read() as session:
        rows = [dict(r._mapping) for r in session.execute(repo.search(query, limit))]
    for row in rows:  # the message text of a person may carry a name; it is masked already
        row["recipient_masked"] = row["recipient_masked"] or row["recipient"]
    return rows
