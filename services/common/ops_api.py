"""Operations API every service carries: the dead-letter store, listable and replayable."""

from __future__ import annotations

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from .auth import roles
from .problems import Problem


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
    @roles("staff")
    def list_dead_letters(query):
        runtime = current_app.extensions["runtime"]
        return runtime.dead_letters.list(include_replayed=query["include_replayed"])

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
