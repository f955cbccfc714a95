from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import Schema, fields

from services.common.envelope import Envelope, InvalidMessage, load_payload

types = st.from_regex(r"\A[a-z_]{1,12}\.[a-z_]{1,20}\Z")
payloads = st.dictionaries(st.text(min_size=1, max_size=8), st.integers() | st.text(max_size=10))


@given(types, payloads, st.integers(min_value=1, max_value=9))
def test_round_trip(event_type, payload, version):
    original = Envelope(event_type, payload, "applicants", version)
    copy = Envelope.from_dict(original.to_dict())
    assert copy == original
    assert copy.occurred_at.tzinfo is not None


@pytest.mark.parametrize(
    "change",
    [
        {"id": "x"},
        {"type": "NoDot"},
        {"version": 0},
        {"payload": []},
        {"occurred_at": "yesterday"},
        {"producer": ""},
    ],
)
def test_invalid_envelopes_are_refused(change):
    data = Envelope("a.b", {}, "p").to_dict() | change
    with pytest.raises(InvalidMessage):
        Envelope.from_dict(data)


def test_unknown_envelope_fields_are_ignored():
    data = Envelope("a.b", {}, "p").to_dict() | {"trace": "t"}
    assert Envelope.from_dict(data).type == "a.b"


def test_naive_time_is_read_as_utc():
    data = Envelope("a.b", {}, "p").to_dict() | {"occurred_at": "2022-08-31T00:00:00"}
    assert Envelope.from_dict(data).occurred_at == datetime(2022, 8, 31, tzinfo=UTC)


class _Reader(Schema):
    amount = fields.Integer(required=True)


def test_tolerant_reader_excludes_unknown_and_rejects_missing():
    env = Envelope("budget.funds_committed", {"amount": 5, "extra": 1}, "budget")
    assert load_payload(_Reader(), env) == {"amount": 5}
    with pytest.raises(InvalidMessage, match="amount"):
        load_payload(_Reader(), Envelope("budget.funds_committed", {}, "budget"))
