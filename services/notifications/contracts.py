"""Payload schemas of the events notifications reads (tolerant reader, docs/events.md)."""

from marshmallow import EXCLUDE, Schema, fields


class _Tolerant(Schema):
    class Meta:
        unknown = EXCLUDE


class _Program(_Tolerant):
    name = fields.String(required=True)
    quota = fields.Integer(required=True)


class RecruitmentOpenedV1(_Tolerant):
    recruitment_id = fields.String(required=True)
    title = fields.String(required=True)
    year = fields.Integer(required=True)
    half = fields.Integer(required=True)
    total_quota = fields.Integer(required=True)
    programs = fields.List(fields.Nested(_Program), required=True)


class RecipientV1(_Tolerant):
    name_masked = fields.String(required=True)
    phone_enc = fields.String(allow_none=True, load_default=None)
    email_enc = fields.String(allow_none=True, load_default=None)
    kakao = fields.Boolean(load_default=False)


class ApplicationReceivedV1(_Tolerant):
    application_id = fields.String(required=True)
    recruitment_id = fields.String(required=True)
    recruitment_title = fields.String(required=True)
    recipient = fields.Nested(RecipientV1, required=True)


class _Reason(_Tolerant):
    rule = fields.String(required=True)
    message = fields.String(required=True)


class ApplicationRejectedV1(ApplicationReceivedV1):
    reasons = fields.List(fields.Nested(_Reason), required=True)
    rule_version = fields.Raw(load_default=None)


class ParticipantSelectedV1(_Tolerant):
    application_id = fields.String(required=True)
    recruitment_id = fields.String(required=True)
    program_code = fields.String(required=True)
    program_name = fields.String(required=True)
    recipient = fields.Nested(RecipientV1, required=True)
    work_starts = fields.String(required=True)
    work_ends = fields.String(required=True)
    daily_hours = fields.Raw(required=True)
    hourly_wage_krw = fields.Integer(required=True)


class ParticipantPromotedV1(ParticipantSelectedV1):
    replaces_application_id = fields.String(load_default=None)


class ParticipantWaitlistedV1(_Tolerant):
    application_id = fields.String(required=True)
    recruitment_id = fields.String(required=True)
    rank = fields.Integer(required=True)
    recipient = fields.Nested(RecipientV1, required=True)


class ExecutionLaggingV1(_Tolerant):
    fiscal_year = fields.Integer(required=True)
    as_of = fields.String(required=True)
    unit_program = fields.String(required=True)
    rate_pct = fields.String(required=True)
    expected_pct = fields.Raw(required=True)
    recipients_role = fields.String(load_default="finance")


class AlarmRaisedV1(_Tolerant):
    alarm_id = fields.String(required=True)
    device_id = fields.String(required=True)
    market = fields.String(required=True)
    store = fields.String(required=True)
    kind = fields.String(required=True)
    severity = fields.Raw(required=True)
    detected_at = fields.String(required=True)
    recipients = fields.List(fields.Nested(RecipientV1), load_default=list)
    station_webhook = fields.Boolean(load_default=False)


class _Market(_Tolerant):
    id = fields.String(load_default=None)
    name = fields.String(required=True)
    address = fields.String(allow_none=True, load_default=None)


class _Store(_Tolerant):
    number = fields.Integer(required=True)
    name = fields.String(required=True)
    name_generated = fields.Boolean(load_default=False)
    location = fields.String(allow_none=True, load_default=None)


class _Person(RecipientV1):
    role = fields.String(load_default="person")


class AlarmNoticeV2(_Tolerant):
    """markets.alarm_raised / markets.alarm_escalated, version 2 (docs/events.md)."""

    alarm_id = fields.String(required=True)
    step = fields.Integer(load_default=0)
    repeat = fields.Integer(load_default=0)
    type = fields.String(load_default="fire")
    stage = fields.String(allow_none=True, load_default=None)
    test = fields.Boolean(load_default=False)
    detected_at = fields.String(required=True)
    market = fields.Nested(_Market, required=True)
    store = fields.Nested(_Store, required=True)
    recipients = fields.List(fields.Nested(_Person), load_default=list)
    roles = fields.List(fields.String(), load_default=list)
    ack_required = fields.Boolean(load_default=True)
