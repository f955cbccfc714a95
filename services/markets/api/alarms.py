"""Alarms for staff: list, one with its timeline, acknowledge, clear; the rules in force."""

from __future__ import annotations

from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.common.auth import roles

from ..domain.alarms import ACTIVE_ACK, ACTIVE_UNACK, CLEARANCES, CLEARED_ACK, CLEARED_UNACK
from ..service_layer import alarm_queries, alarms, rule_sets

blp = Blueprint("alarms", __name__, url_prefix="/markets/api/v1/alarms", description="화재 경보")
STATUSES = ("active", ACTIVE_UNACK, ACTIVE_ACK, CLEARED_UNACK, CLEARED_ACK)


class AlarmQuery(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    market = fields.String(metadata={"description": "시장 id 또는 이름"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class AlarmOut(Schema):
    id = fields.String()
    type = fields.String()
    stage = fields.String(allow_none=True)
    severity = fields.String()
    status = fields.String()
    test = fields.Boolean()
    rule_version = fields.Integer()
    started_at = fields.DateTime()
    last_reading_at = fields.DateTime(allow_none=True)
    acked_at = fields.DateTime(allow_none=True)
    acked_by = fields.String(allow_none=True)
    cleared_at = fields.DateTime(allow_none=True)
    cleared_by = fields.String(allow_none=True)
    clearance = fields.String(allow_none=True)
    next_step_at = fields.DateTime(allow_none=True)
    device_id = fields.String()
    device_serial = fields.String()
    store_number = fields.Integer()
    store_name = fields.String()
    market_id = fields.String()
    market_name = fields.String()
    market_address = fields.String(allow_none=True)


class TimelineOut(Schema):
    at = fields.DateTime()
    kind = fields.String()
    message_id = fields.String(allow_none=True)
    detail = fields.Dict()


class AlarmDetail(AlarmOut):
    timeline = fields.List(fields.Nested(TimelineOut))


class AlarmPage(Schema):
    items = fields.List(fields.Nested(AlarmOut))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()


class Clearance(Schema):
    clearance = fields.String(
        required=True,
        validate=validate.OneOf(CLEARANCES),
        metadata={"description": "real_fire(실제 화재) | false_alarm(비화재보) | test | resolved"},
    )


def _runtime():
    return current_app.extensions["runtime"]


@blp.route("")
@blp.arguments(AlarmQuery, location="query")
@blp.response(200, AlarmPage)
@roles("staff")
def list_alarms(query):
    """경보 목록 (상태·시장별)"""
    return alarm_queries.list_alarms(_runtime(), **query)


@blp.route("/<alarm_id>")
@blp.response(200, AlarmDetail)
@roles("staff")
def get_alarm(alarm_id):
    """경보 하나와 그 경과(측정값, 발송, 확인, 해제)"""
    return alarm_queries.alarm_detail(_runtime(), alarm_id)


@blp.route("/<alarm_id>/acknowledgement", methods=["POST"])
@blp.response(200, AlarmDetail)
@roles("staff")
def acknowledge(alarm_id):
    """경보 확인: 단계별 추가 발송을 멈춥니다"""
    return alarms.acknowledge(_runtime(), alarm_id, g.principal.name)


@blp.route("/<alarm_id>/clearance", methods=["POST"])
@blp.arguments(Clearance)
@blp.response(200, AlarmDetail)
@roles("staff")
def clear(data, alarm_id):
    """경보 해제: 실제 화재인지 비화재보인지 기록"""
    return alarms.clear(_runtime(), alarm_id, g.principal.name, data["clearance"])


rules_blp = Blueprint(
    "alarm_rules", __name__, url_prefix="/markets/api/v1/alarm-rules", description="경보 규칙"
)


class RuleSetOut(Schema):
    version = fields.Integer()
    data = fields.Dict(metadata={"description": "{rules: {fire, health}, policy: {...}}"})
    note = fields.String()
    created_by = fields.String()
    created_at = fields.DateTime()


class RuleSetIn(Schema):
    data = fields.Dict(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=200))


@rules_blp.route("/current")
@rules_blp.response(200, RuleSetOut)
@roles("staff")
def current_rules():
    """현재 경보 규칙과 단계별 전파 정책 (버전)"""
    return rule_sets.current(_runtime())


@rules_blp.route("/current", methods=["PUT"])
@rules_blp.arguments(RuleSetIn)
@rules_blp.response(200, RuleSetOut)
@roles("staff")
def replace_rules(data):
    """경보 규칙을 새 버전으로 저장 (이후 경보는 새 버전, 각 경보는 자기 버전을 기록)"""
    return rule_sets.replace(_runtime(), data["data"], data["note"], g.principal.name)
