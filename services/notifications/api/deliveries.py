"""Delivery log for staff."""

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from services.common.auth import roles

from ..adapters.orm import deliveries

blp = Blueprint(
    "deliveries",
    __name__,
    url_prefix="/notifications/api/v1/deliveries",
    description="발송 기록",
)


class DeliveryQuery(Schema):
    message_id = fields.String()
    recipient = fields.String()
    status = fields.String()


class DeliverySchema(Schema):
    id = fields.String()
    message_id = fields.String()
    event_type = fields.String()
    recipient = fields.String()
    channel = fields.String()
    template = fields.String()
    template_version = fields.Integer()
    body = fields.String()
    status = fields.String()
    created_at = fields.DateTime()


@blp.route("")
@blp.arguments(DeliveryQuery, location="query")
@blp.response(200, DeliverySchema(many=True))
@roles("staff")
def list_deliveries(query):
    """발송 기록 조회 (수신자·상태·이벤트별)"""
    stmt = select(deliveries).order_by(deliveries.c.created_at.desc()).limit(500)
    for key, value in query.items():
        stmt = stmt.where(deliveries.c[key] == value)
    with current_app.extensions["runtime"].db.read() as session:
        return [dict(r._mapping) for r in session.execute(stmt)]
