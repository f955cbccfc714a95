"""Alarm rules and escalation on a fake clock (pure domain, issue #9.4/#9.6)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.markets.domain import alarms
from services.markets.domain.rules import DEFAULT_RULES, Reading, battery_low, evaluate

T0 = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def at(seconds: float, **values) -> Reading:
    return Reading(ts=T0 + timedelta(seconds=seconds), **values)


def test_a_quiet_reading_is_no_signal():
    r = at(0, smoke=0.1, temperature_c=21.0)
    assert evaluate(DEFAULT_RULES, r, [r], []).signal is False


def test_a_single_spike_is_only_suspected():
    r = at(0, smoke=0.9)
    decision = evaluate(DEFAULT_RULES, r, [at(-10, smoke=0.0)], [])
    assert (decision.signal, decision.stage) == (True, "suspected")


def test_repeated_signals_within_the_window_confirm():
    history = [at(0, smoke=0.8), at(10, smoke=0.8)]
    third = at(20, smoke=0.8)
    assert evaluate(DEFAULT_RULES, third, history, []).reasons == ("repeated",)
    late = at(45, smoke=0.8)  # the first two are out of the 30 s window
    assert evaluate(DEFAULT_RULES, late, [*history, third], []).stage == "suspected"


def test_one_detector_with_smoke_and_heat_for_seconds_confirms_on_its_own():
    rules = copy.deepcopy(DEFAULT_RULES)
    rules["fire"]["confirm_repeats"] = 99
    first = at(0, smoke=0.9, temperature_c=60.0)
    assert evaluate(rules, first, [], []).stage == "suspected"
    later = at(6, smoke=0.9, temperature_c=61.0)
    assert evaluate(rules, later, [first], []).reasons == ("smoke_heat",)
    broken = [first, at(3, smoke=0.9, temperature_c=25.0)]  # heat gone: the run restarts
    assert evaluate(rules, later, broken, []).stage == "suspected"


def test_rate_of_rise_is_a_signal_below_the_heat_threshold():
    previous = at(0, temperature_c=25.0)
    rising = at(30, temperature_c=30.0)  # 10 °C per minute
    assert evaluate(DEFAULT_RULES, rising, [previous], []).signal
    slow = at(30, temperature_c=26.0)
    assert not evaluate(DEFAULT_RULES, slow, [previous], []).signal


def test_a_neighbouring_detector_agreeing_confirms():
    r = at(0, flame=True)
    assert evaluate(DEFAULT_RULES, r, [], [T0 - timedelta(seconds=20)]).reasons == ("neighbour",)
    assert evaluate(DEFAULT_RULES, r, [], [T0 - timedelta(seconds=200)]).stage == "suspected"


def test_battery_and_heartbeat():
    assert battery_low(DEFAULT_RULES, at(0, battery_pct=12))
    assert not battery_low(DEFAULT_RULES, at(0, battery_pct=80))
    assert at(0, battery_pct=80).is_heartbeat and not at(0, smoke=0.0).is_heartbeat


def test_lifecycle_follows_thingsboard():
    assert alarms.acknowledge(alarms.ACTIVE_UNACK) == alarms.ACTIVE_ACK
    assert alarms.clear(alarms.ACTIVE_ACK) == alarms.CLEARED_ACK
    assert alarms.clear(alarms.ACTIVE_UNACK) == alarms.CLEARED_UNACK
    assert alarms.acknowledge(alarms.CLEARED_UNACK) == alarms.CLEARED_ACK
    with pytest.raises(alarms.InvalidTransition):
        alarms.acknowledge(alarms.ACTIVE_ACK)
    with pytest.raises(alarms.InvalidTransition):
        alarms.clear(alarms.CLEARED_ACK)


def test_confirmed_policy_escalates_after_60_s_then_repeats():
    rules = alarms.DEFAULT_POLICY["confirmed"]
    now = T0
    plan = alarms.due_steps(rules, T0, 0, 0, now)
    assert [(s.index, s.roles) for s in plan.due] == [(0, ("station",))]
    assert (plan.next_step, plan.next_at) == (1, T0 + timedelta(seconds=60))
    plan = alarms.due_steps(rules, T0, 1, 0, T0 + timedelta(seconds=59))
    assert plan.due == () and plan.next_step == 1
    plan = alarms.due_steps(rules, T0, 1, 0, T0 + timedelta(seconds=60))
    assert plan.due[0].roles == ("market_team", "duty") and "voice" in plan.due[0].channels
    assert (plan.next_step, plan.next_repeat) == (0, 1)
    assert plan.next_at == T0 + timedelta(seconds=60 + 180)


def test_test_signals_never_reach_the_station_and_do_not_repeat():
    rules = alarms.policy_for(alarms.DEFAULT_POLICY, "fire", "confirmed", test=True)
    plan = alarms.due_steps(rules, T0, 0, 0, T0 + timedelta(hours=5))
    assert [s.roles for s in plan.due] == [()] and plan.next_at is None
    for stage in ("suspected",):
        policy = alarms.policy_for(alarms.DEFAULT_POLICY, "fire", stage, test=False)
        assert all("station" not in s["roles"] for s in policy["steps"])


@given(st.integers(0, 4000), st.integers(0, 4000))
def test_every_step_fires_once_however_the_sweeps_fall(first, second):
    """Sweeping at any two moments (then late) fires each step exactly once, in order."""
    rules = alarms.DEFAULT_POLICY["confirmed"]
    fired, step, repeat = [], 0, 0
    for t in sorted((first, second)) + [10_000]:
        plan = alarms.due_steps(rules, T0, step, repeat, T0 + timedelta(seconds=t))
        fired += [(s.repeat, s.index) for s in plan.due]
        if plan.next_step is None:
            break
        step, repeat = plan.next_step, plan.next_repeat
    assert fired == sorted(set(fired))
    assert (
        fired[: 2 * (rules["max_repeats"] + 1)]
        == [(r, i) for r in range(rules["max_repeats"] + 1) for i in (0, 1)][: len(fired)]
    )
