"""Alarm lifecycle (ThingsBoard's statuses) and escalation policies as data (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ACTIVE_UNACK, ACTIVE_ACK = "ACTIVE_UNACK", "ACTIVE_ACK"
CLEARED_UNACK, CLEARED_ACK = "CLEARED_UNACK", "CLEARED_ACK"
ACTIVE = (ACTIVE_UNACK, ACTIVE_ACK)
SEVERITY = {"confirmed": "CRITICAL", "suspected": "MAJOR", "device_offline": "MINOR",
            "battery_low": "WARNING"}  # fmt: skip
CLEARANCES = ("real_fire", "false_alarm", "test", "resolved")

# Who is told at each step. ``recipients`` are people markets knows (merchant, 상인회);
# ``roles`` are resolved by notifications from its configuration.
DEFAULT_POLICY = {
    "confirmed": {
        "steps": [
            {"after_s": 0, "recipients": ["merchant", "association"], "roles": ["station"],
             "channels": ["alimtalk", "sms"]},
            {"after_s": 60, "recipients": [], "roles": ["market_team", "duty"],
             "channels": ["sms", "voice"]},
        ],
        "repeat_every_s": 180,
        "max_repeats": 20,
    },
    "suspected": {
        "steps": [
            {"after_s": 0, "recipients": ["merchant"], "roles": [],
             "channels": ["alimtalk", "sms"]},
            {"after_s": 120, "recipients": [], "roles": ["market_team"], "channels": ["sms"]},
        ],
        "repeat_every_s": 600,
        "max_repeats": 3,
    },
    "test": {
        "steps": [{"after_s": 0, "recipients": ["merchant"], "roles": [],
                   "channels": ["alimtalk", "sms"]}],
        "repeat_every_s": 0,
        "max_repeats": 0,
    },
    "device_offline": {
        "steps": [{"after_s": 0, "recipients": [], "roles": ["market_team", "contractor"],
                   "channels": ["sms"]}],
        "repeat_every_s": 0,
        "max_repeats": 0,
    },
    "battery_low": {
        "steps": [{"after_s": 0, "recipients": [], "roles": ["market_team", "contractor"],
                   "channels": ["sms"]}],
        "repeat_every_s": 0,
        "max_repeats": 0,
    },
}  # fmt: skip


class InvalidTransition(ValueError):
    pass


def acknowledge(status: str) -> str:
    if status == ACTIVE_UNACK:
        return ACTIVE_ACK
    if status == CLEARED_UNACK:
        return CLEARED_ACK
    raise InvalidTransition("이미 확인된 경보입니다.")


def clear(status: str) -> str:
    if status == ACTIVE_UNACK:
        return CLEARED_UNACK
    if status == ACTIVE_ACK:
        return CLEARED_ACK
    raise InvalidTransition("이미 해제된 경보입니다.")


def policy_for(policy: dict, alarm_type: str, stage: str | None, test: bool) -> dict:
    if test:
        return policy["test"]
    if alarm_type == "fire":
        return policy[stage or "suspected"]
    return policy[alarm_type]


@dataclass(frozen=True)
class Step:
    index: int
    repeat: int
    recipients: tuple[str, ...]
    roles: tuple[str, ...]
    channels: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """What to send now, and when (and from where) to look again."""

    due: tuple[Step, ...]
    next_step: int | None
    next_repeat: int
    next_at: datetime | None


def step_time(rules: dict, started_at: datetime, step: int, repeat: int) -> datetime:
    """Step ``i`` of round ``r``: ``r`` × (the last step's delay + ``repeat_every_s``)
    + the step's ``after_s`` after the alarm started (GoAlert repeats the whole policy)."""
    steps = rules["steps"]
    round_len = steps[-1]["after_s"] + rules["repeat_every_s"]
    return started_at + timedelta(seconds=repeat * round_len + steps[step]["after_s"])


def due_steps(rules: dict, started_at: datetime, step: int, repeat: int, now: datetime) -> Plan:
    """Every step due by ``now`` from (``step``, ``repeat``), and where to continue."""
    steps = rules["steps"]
    due: list[Step] = []
    while True:
        if step >= len(steps):
            if repeat >= rules["max_repeats"] or rules["repeat_every_s"] <= 0:
                return Plan(tuple(due), None, repeat, None)
            step, repeat = 0, repeat + 1
        at = step_time(rules, started_at, step, repeat)
        if at > now:
            return Plan(tuple(due), step, repeat, at)
        s = steps[step]
        due.append(
            Step(step, repeat, tuple(s["recipients"]), tuple(s["roles"]), tuple(s["channels"]))
        )
        step += 1
