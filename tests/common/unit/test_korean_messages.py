"""Every message marshmallow can produce reaches a person in Korean (issue #8.3)."""

from __future__ import annotations

import datetime as dt
import inspect
import re

import pytest
from marshmallow import Schema, ValidationError, fields, validate

import services.common  # noqa: F401  (installs the Korean messages)

HANGUL = re.compile(r"[가-힣]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# Words that are names, not English sentences: formats and standards we cite.
ALLOWED = {"YYYY", "ISO", "UTF", "UUID", "URL", "IPv4", "IPv6", "NaN"}


def assert_korean(message: str, data: tuple[str, ...] = ()) -> None:
    text = re.sub(r"\{[^}]*\}", "", message)  # placeholders are filled with data
    for word in (*ALLOWED, *data):
        text = text.replace(word, "")
    assert HANGUL.search(text), message
    leftovers = ENGLISH_WORD.findall(text)
    assert not leftovers, f"English left in {message!r}: {leftovers}"


def field_classes():
    return [
        c for _, c in inspect.getmembers(fields, inspect.isclass) if issubclass(c, fields.Field)
    ]


@pytest.mark.parametrize("field_class", field_classes(), ids=lambda c: c.__name__)
def test_every_field_message_is_korean(field_class):
    messages: dict[str, str] = {}
    for klass in reversed(field_class.__mro__):
        messages.update(getattr(klass, "default_error_messages", {}))
    assert messages
    for key, message in messages.items():
        assert_korean(message), key


def validator_classes():
    return [
        c
        for _, c in inspect.getmembers(validate, inspect.isclass)
        if issubclass(c, validate.Validator) and c is not validate.Validator
    ]


@pytest.mark.parametrize("validator_class", validator_classes(), ids=lambda c: c.__name__)
def test_every_validator_message_is_korean(validator_class):
    texts = {
        name: value
        for klass in validator_class.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, str) and (name.startswith("message") or name == "default_message")
    }
    if validator_class is validate.And:
        return  # And only joins the messages of the validators it holds
    assert texts, validator_class
    for name, text in texts.items():
        if name in ("message_gte", "message_gt", "message_lte", "message_lt"):
            assert HANGUL.search(text), name
        else:
            assert_korean(text)


class Everything(Schema):
    count = fields.Integer(validate=validate.Range(min=1, max=500))
    ratio = fields.Float(validate=validate.Range(min=0, max=1, min_inclusive=False))
    code = fields.String(validate=validate.Length(min=2, max=3))
    pin = fields.String(validate=validate.Length(equal=4))
    kind = fields.String(validate=validate.OneOf(["smoke", "heat"]))
    tags = fields.List(fields.String(), validate=validate.ContainsOnly(["a", "b"]))
    banned = fields.List(fields.String(), validate=validate.ContainsNoneOf(["x"]))
    word = fields.String(validate=validate.Regexp(r"^\d+$"))
    same = fields.String(validate=validate.Equal("yes"))
    none_of = fields.String(validate=validate.NoneOf(["no"]))
    email = fields.Email()
    url = fields.Url()
    when = fields.DateTime()
    aware = fields.AwareDateTime()
    day = fields.Date()
    time = fields.Time()
    period = fields.TimeDelta()
    flag = fields.Boolean()
    ident = fields.UUID()
    ip = fields.IP()
    pair = fields.Tuple((fields.Integer(), fields.Integer()))
    nested = fields.Nested(lambda: Member())
    members = fields.List(fields.Nested(lambda: Member()))
    mapping = fields.Dict()
    big = fields.Float()
    required = fields.String(required=True)
    never_null = fields.String(allow_none=False)


class Member(Schema):
    name = fields.String(required=True)


def leaves(errors):
    if isinstance(errors, dict):
        for value in errors.values():
            yield from leaves(value)
    elif isinstance(errors, list):
        for value in errors:
            yield from leaves(value)
    else:
        yield errors


def test_a_schema_full_of_errors_answers_only_in_korean():
    bad = {
        "count": 0, "ratio": 0, "code": "abcd", "pin": "1", "kind": "gas", "tags": ["z"],
        "banned": ["x"], "word": "abc", "same": "no", "none_of": "no", "email": "nope",
        "url": "nope", "when": "yesterday", "aware": dt.datetime(2022, 1, 1).isoformat(),
        "day": "2022-13-01", "time": "25:00", "period": "long", "flag": "maybe",
        "ident": "x", "ip": "300.1.1.1", "pair": [1], "nested": 3,
        "members": [{"name": "홍", "extra": 1}, {}], "mapping": [], "big": "nan",
        "never_null": None, "unknown_top": 1,
    }  # fmt: skip
    with pytest.raises(ValidationError) as info:
        Everything().load(bad)
    errors = info.value.messages
    assert len(errors) >= 25
    for message in leaves(errors):
        assert_korean(message, data=("smoke", "heat", "yes", "no"))
    assert errors["count"] == ["1 이상, 500 이하이어야 합니다."]
    assert errors["members"][0]["extra"] == ["알 수 없는 항목입니다."]
