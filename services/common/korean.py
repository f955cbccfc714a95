"""Korean default validation messages, for every field of every schema."""

from marshmallow import fields

MESSAGES = {
    fields.Field: {
        "required": "필수 항목입니다.",
        "null": "비워 둘 수 없습니다.",
        "validator_failed": "값이 올바르지 않습니다.",
    },
    fields.String: {"invalid": "문자열이어야 합니다."},
    fields.Integer: {"invalid": "정수여야 합니다.", "too_large": "숫자가 너무 큽니다."},
    fields.Number: {"invalid": "숫자여야 합니다.", "too_large": "숫자가 너무 큽니다."},
    fields.Boolean: {"invalid": "참/거짓 값이어야 합니다."},
    fields.Date: {"invalid": "날짜 형식(YYYY-MM-DD)이어야 합니다."},
    fields.DateTime: {"invalid": "날짜·시각 형식(ISO 8601)이어야 합니다."},
    fields.List: {"invalid": "목록이어야 합니다."},
    fields.Nested: {"type": "객체여야 합니다."},
    fields.Dict: {"invalid": "객체여야 합니다."},
    fields.UUID: {"invalid_uuid": "UUID 형식이 아닙니다."},
    fields.Email: {"invalid": "이메일 주소 형식이 아닙니다."},
}


def use_korean_messages() -> None:
    for field_class, messages in MESSAGES.items():
        field_class.default_error_messages = {**field_class.default_error_messages, **messages}
