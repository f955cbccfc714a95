"""Backoff with jitter and quiet hours (21:00-08:00 Asia/Seoul) as pure functions."""

from datetime import UTC, datetime, time

from hypothesis import given
from hypothesis import strategies as st

from services.notifications.domain.policy import SEOUL, backoff, parse_window, release_at


def test_backoff_grows_exponentially_then_caps():
    low = [backoff(n, base=2, cap=600, rand=lambda a, b: a) for n in range(12)]
    high = [backoff(n, base=2, cap=600, rand=lambda a, b: b) for n in range(12)]
    assert low[:4] == [1, 2, 4, 8]
    assert high[:4] == [2, 4, 8, 16]
    assert high[-1] == 600 and low[-1] == 300


@given(st.integers(min_value=0, max_value=40), st.floats(0.1, 10), st.floats(1, 1000))
def test_backoff_within_bounds(attempt, base, cap):
    wait = backoff(attempt, base, cap)
    ceiling = min(cap, base * 2**attempt)
    assert ceiling / 2 <= wait <= ceiling


def seoul(h, m=0, day=24):
    return datetime(2026, 11, day, h, m, tzinfo=SEOUL)


def test_daytime_sends_now():
    assert release_at(seoul(8, 0), urgent=False) is None
    assert release_at(seoul(20, 59), urgent=False) is None


def test_evening_is_held_until_next_morning_eight():
    held = release_at(seoul(21, 0), urgent=False)
    assert held == seoul(8, 0, day=25).astimezone(UTC)
    assert held.tzinfo == UTC


def test_small_hours_are_held_until_same_morning():
    assert release_at(seoul(3, 30), urgent=False) == seoul(8, 0).astimezone(UTC)
    assert release_at(seoul(7, 59), urgent=False) == seoul(8, 0).astimezone(UTC)


def test_urgent_and_disabled_window_are_never_held():
    assert release_at(seoul(23, 0), urgent=True) is None
    assert release_at(seoul(23, 0), urgent=False, window=None) is None


def test_window_parsing():
    assert parse_window("21:00-08:00") == (time(21), time(8))
    assert parse_window("off") is None
    assert release_at(seoul(13, 0), False, parse_window("12:00-14:00")) == seoul(14).astimezone(UTC)


@given(st.datetimes(timezones=st.just(UTC)))
def test_release_is_eight_in_seoul_and_within_eleven_hours(now):
    held = release_at(now, urgent=False)
    if held is not None:
        local = held.astimezone(SEOUL)
        assert (local.hour, local.minute) == (8, 0)
        assert now < held
        assert (held - now).total_seconds() <= 11 * 3600
