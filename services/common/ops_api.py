"""Operations API every service carries: the dead-letter store, listable and replayable.

The list is paged (``page``, ``page_size``; where it is in the ``X-Pagination`` header) and
keeps its array body; staff's page of the same list is ``ops_pages.py``.
"""

from __future__ import annotations

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from .auth import roles
from .paging import MAX_PAGE_SIZE
from .problems import Problem

API_PAGE_SIZE = 100  # what the list returned before it was paged


class DeadLetterSchema(Schema):
    id = fields.String()
    message_id = fields.String()
    type = fields.String()
    reason = fields.String(metadata={"description": "invalid | exhausted"})
    error = fields.String()
    attempts = fields.Integer()
    created_at = fields.DateTime()
    replayed_at = fields.DateTime(allow_none=True)
    replayed_by = fields.String(allow_none=True)


class DeadLetterQuery(Schema):
    include_replayed = fields.Boolean(load_default=False)


class ReplaySchema(Schema):
    id = fields.String()
    status = fields.String()


def ops_blueprint(service: str) -> Blueprint:
    blp = Blueprint(
        f"{service}_ops",
        __name__,
        url_prefix=f"/{service}/api/v1/dead-letters",
        description="처리하지 못한 메시지(dead letter) 목록과 재처리",
    )

    @blp.route("")
    @blp.arguments(DeadLetterQuery, location="query")
    @blp.response(200, DeadLetterSchema(many=True))
    @blp.paginate(page_size=API_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
    @roles("staff")
    def list_dead_letters(query, pagination_parameters):
        """처리하지 못한 메시지 목록 (최근 것부터, 쪽 단위)"""
        runtime = current_app.extensions["runtime"]
        page = runtime.dead_letters.page(
            query["include_replayed"], pagination_parameters.page, pagination_parameters.page_size
        )
        pagination_parameters.item_count = page.total
        return page.items

    @blp.route("/<string:dead_letter_id>/replay", methods=["POST"])
    @blp.response(202, ReplaySchema)
    @roles("staff")
    def replay_dead_letter(dead_letter_id):
        runtime = current_app.extensions["runtime"]
        if runtime.dead_letters.get(dead_letter_id) is None:
            raise Problem(404, "해당 dead letter가 없습니다.")
        if not runtime.replay(dead_letter_id, g.principal.name):
            raise Problem(409, "이미 재처리한 메시지입니다.")
        return {"id": dead_letter_id, "status": "requeued"}

    return blp
