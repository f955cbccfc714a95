"""SMS vs LMS: the 90-byte EUC-KR rule."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.notifications.domain.sms import (
    LMS_MAX_BYTES,
    SMS_MAX_BYTES,
    MessageTooLong,
    euc_kr_bytes,
    message_kind,
)


def test_hangul_is_two_bytes_ascii_one():
    assert euc_kr_bytes("가") == 2
    assert euc_kr_bytes("a") == 1
    assert euc_kr_bytes("영등포구 123") == 4 * 2 + 1 + 3


def test_boundary_at_90_bytes():
    assert message_kind("가" * 45) == "SMS"  # exactly 90 bytes
    assert message_kind("가" * 45 + "a") == "LMS"  # 91
    assert message_kind("a" * 90) == "SMS"
    assert message_kind("a" * 89 + "가") == "LMS"


def test_hangul_outside_ks_x_1001_is_two_bytes_too():
    assert euc_kr_bytes("똠") == euc_kr_bytes("풊") == 2
    assert message_kind("똠" * 45) == "SMS"


def test_unencodable_character_counts_two_bytes():
    assert euc_kr_bytes("😀") == 2
    assert message_kind("a" * 88 + "😀") == "SMS"
    assert message_kind("a" * 89 + "😀") == "LMS"


def test_too_long_for_lms():
    assert message_kind("가" * 1000) == "LMS"
    with pytest.raises(MessageTooLong):
        message_kind("가" * 1001)


@given(st.text(max_size=300))
def test_kind_follows_byte_count(text):
    size = euc_kr_bytes(text)
    if size <= SMS_MAX_BYTES:
        assert message_kind(text) == "SMS"
    elif size <= LMS_MAX_BYTES:
        assert message_kind(text) == "LMS"
    assert len(text) <= size <= 2 * len(text)


@given(st.text(max_size=100), st.text(max_size=100))
def test_byte_count_is_additive(a, b):
    assert euc_kr_bytes(a + b) == euc_kr_bytes(a) + euc_kr_bytes(b)
