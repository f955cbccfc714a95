"""Delivery log for staff: filter by recipient (keyed hash), status, event; masked; paged
(``page``, ``page_size``, the ``X-Pagination`` header; ``limit`` is the old name of
``page_size``)."""

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.common.auth import roles
from services.common.paging import MAX_PAGE_SIZE

from ..domain.model import CHANNELS, STATUSES
from ..service_layer import delivery_log

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
    limit = fields.Integer(
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": "page_size의 예전 이름 (page_size가 없을 때만 씀)"},
    )


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
@blp.paginate(page_size=100, max_page_size=MAX_PAGE_SIZE)
@roles("staff")
def list_deliveries(query, pagination_parameters):
    """발송 기록 조회 (수신자·상태·이벤트별, 최근 것부터 쪽 단위, 개인정보는 마스킹)"""
    limit = query.pop("limit", None)
    if limit is not None and "page_size" not in request.args:
        pagination_parameters.page_size = limit
    found = delivery_log.find(
        current_app.extensions["runtime"],
        query,
        pagination_parameters.page,
        pagination_parameters.page_size,
    )
    pagination_parameters.item_count = found.total
    return found.items
