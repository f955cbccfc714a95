"""Korean messages for every error marshmallow (fields, validators, schemas) can produce.

marshmallow keeps its messages in class attributes: fields in ``default_error_messages``,
validators in ``default_message`` / ``message_*``, schemas in ``_default_error_messages``;
webargs adds two list fields and one parser message (unreadable JSON).
``use_korean_messages`` replaces every one of them once, at app creation, so no English
text reaches a person. ``tests/common/unit/test_korean_messages.py`` walks them all.
"""

from marshmallow import Schema, fields, validate
from webargs import fields as webargs_fields
from webargs.flaskparser import FlaskParser, abort

FIELD_MESSAGES = {
    fields.Field: {
        "required": "필수 항목입니다.",
        "null": "비워 둘 수 없습니다.",
        "validator_failed": "값이 올바르지 않습니다.",
    },
    fields.String: {
        "invalid": "문자열이어야 합니다.",
        "invalid_utf8": "올바른 UTF-8 문자열이 아닙니다.",
    },
    fields.Integer: {"invalid": "정수여야 합니다."},
    fields.Number: {"invalid": "숫자여야 합니다.", "too_large": "숫자가 너무 큽니다."},
    fields.Float: {"special": "NaN이나 무한대 같은 특수한 수는 허용되지 않습니다."},
    fields.Decimal: {"special": "NaN이나 무한대 같은 특수한 수는 허용되지 않습니다."},
    fields.Boolean: {"invalid": "참/거짓 값이어야 합니다."},
    fields.Date: {
        "invalid": "날짜 형식(YYYY-MM-DD)이어야 합니다.",
        "format": "날짜로 표시할 수 없는 값입니다.",
    },
    fields.DateTime: {"invalid": "날짜·시각 형식(ISO 8601)이어야 합니다."},
    fields.NaiveDateTime: {"invalid": "날짜·시각 형식(ISO 8601)이어야 합니다."},
    fields.AwareDateTime: {"invalid": "날짜·시각 형식(ISO 8601)이어야 합니다."},
    fields.Time: {"invalid": "시각 형식(HH:MM:SS)이어야 합니다."},
    fields.TimeDelta: {
        "invalid": "올바른 기간 값이 아닙니다.",
        "format": "기간으로 표시할 수 없는 값입니다.",
    },
    fields.List: {"invalid": "목록이어야 합니다."},
    fields.Tuple: {"invalid": "정해진 길이의 목록이어야 합니다."},
    fields.Nested: {"type": "객체여야 합니다."},
    fields.Mapping: {"invalid": "객체여야 합니다."},
    fields.Dict: {"invalid": "객체여야 합니다."},
    fields.UUID: {"invalid_uuid": "UUID 형식이 아닙니다."},
    fields.Email: {"invalid": "이메일 주소 형식이 아닙니다."},
    fields.Url: {"invalid": "URL 형식이 아닙니다."},
    fields.IP: {"invalid_ip": "IP 주소 형식이 아닙니다."},
    fields.IPv4: {"invalid_ip": "IPv4 주소 형식이 아닙니다."},
    fields.IPv6: {"invalid_ip": "IPv6 주소 형식이 아닙니다."},
    fields.IPInterface: {"invalid_ip_interface": "IP 인터페이스 형식이 아닙니다."},
    fields.IPv4Interface: {"invalid_ip_interface": "IPv4 인터페이스 형식이 아닙니다."},
    fields.IPv6Interface: {"invalid_ip_interface": "IPv6 인터페이스 형식이 아닙니다."},
    fields.Enum: {"unknown": "다음 중 하나여야 합니다: {choices}."},
    webargs_fields.DelimitedList: {"invalid": "쉼표로 구분한 목록이어야 합니다."},
    webargs_fields.DelimitedTuple: {"invalid": "쉼표로 구분한 정해진 개수의 값이어야 합니다."},
}
# _TemporalField (Date, DateTime, Time's base) formats {obj_type} and {awareness} in English.
TEMPORAL_MESSAGES = {
    "invalid": "날짜·시각 형식이 올바르지 않습니다.",
    "invalid_awareness": "시간대 정보가 맞지 않습니다(시간대를 포함하거나 빼 주세요).",
    "format": "날짜·시각으로 표시할 수 없는 값입니다.",
}
VALIDATOR_MESSAGES = {
    validate.Range: {
        "message_min": "{{min}} {min_op}이어야 합니다.",
        "message_max": "{{max}} {max_op}이어야 합니다.",
        "message_all": "{{min}} {min_op}, {{max}} {max_op}이어야 합니다.",
        "message_gte": "이상",
        "message_gt": "초과",
        "message_lte": "이하",
        "message_lt": "미만",
    },
    validate.Length: {
        "message_min": "{min}자(개) 이상이어야 합니다.",
        "message_max": "{max}자(개) 이하여야 합니다.",
        "message_all": "{min}~{max}자(개)여야 합니다.",
        "message_equal": "{equal}자(개)여야 합니다.",
    },
    validate.Equal: {"default_message": "{other}와(과) 같아야 합니다."},
    validate.OneOf: {"default_message": "다음 중 하나여야 합니다: {choices}."},
    validate.ContainsOnly: {"default_message": "허용되지 않는 값이 있습니다. 허용: {choices}."},
    validate.ContainsNoneOf: {"default_message": "허용되지 않는 값이 있습니다: {values}."},
    validate.NoneOf: {"default_message": "허용되지 않는 값입니다."},
    validate.Predicate: {"default_message": "값이 올바르지 않습니다."},
    validate.Regexp: {"default_message": "형식이 올바르지 않습니다."},
    validate.Email: {"default_message": "이메일 주소 형식이 아닙니다."},
    validate.URL: {"default_message": "URL 형식이 아닙니다."},
}
SCHEMA_MESSAGES = {"type": "객체여야 합니다.", "unknown": "알 수 없는 항목입니다."}


def use_korean_messages() -> None:
    # Each class keeps only its own messages: a field collects them along its MRO.
    temporal = fields._TemporalField  # noqa: SLF001 (no public name for the shared base)
    for field_class, messages in [(temporal, TEMPORAL_MESSAGES), *FIELD_MESSAGES.items()]:
        own = field_class.__dict__.get("default_error_messages", {})
        field_class.default_error_messages = {**own, **messages}
    for validator_class, messages in VALIDATOR_MESSAGES.items():
        for name, text in messages.items():
            setattr(validator_class, name, text)
    Schema._default_error_messages = {**Schema._default_error_messages, **SCHEMA_MESSAGES}
    FlaskParser._handle_invalid_json_error = _invalid_json  # webargs' one English message


def _invalid_json(self, error, req, *args, **kwargs):
    abort(400, exc=error, messages={"json": ["요청 본문이 올바른 JSON이 아닙니다."]})
