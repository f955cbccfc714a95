"""Alarm rules as versioned data, evaluated on a window of readings (pure, clock injected).

A reading is a *fire signal* when it shows flame, smoke at or above the threshold, heat at
or above the threshold, or a rate of rise at or above the limit since the previous reading.
A signal is ``confirmed`` (119 is called) when one of these holds, else ``suspected``
(the merchant only):

- ``repeated``: at least ``confirm_repeats`` signals from this detector within
  ``confirm_window_s`` seconds;
- ``smoke_heat``: this detector has reported smoke *and* heat for ``smoke_heat_s`` seconds
  (a store may have a single detector);
- ``neighbour``: another detector of the same store, or of a store within
  ``neighbour_distance`` store numbers in the same market, signalled within
  ``neighbour_window_s`` seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

DEFAULT_RULES = {
    "fire": {
        "smoke_threshold": 0.5,
        "heat_c": 57.0,
        "rise_c_per_min": 8.0,
        "confirm_repeats": 3,
        "confirm_window_s": 30,
        "smoke_heat_s": 5,
        "neighbour_window_s": 60,
        "neighbour_distance": 1,
    },
    "health": {
        "offline_after_s": 300,
        "battery_low_pct": 20,
        "false_alarms_for_ticket": 3,
        "false_alarm_days": 30,
    },
}


@dataclass(frozen=True)
class Reading:
    ts: datetime
    smoke: float | None = None
    temperature_c: float | None = None
    flame: bool | None = None
    battery_pct: int | None = None
    test: bool = False

    @property
    def is_heartbeat(self) -> bool:
        return self.smoke is None and self.temperature_c is None and self.flame is None


@dataclass(frozen=True)
class Decision:
    signal: bool
    stage: str | None  # "suspected" | "confirmed" | None
    reasons: tuple[str, ...]


def _smoke(r: Reading, rules: dict) -> bool:
    return r.smoke is not None and r.smoke >= rules["smoke_threshold"]


def _heat(r: Reading, previous: Reading | None, rules: dict) -> bool:
    if r.temperature_c is None:
        return False
    if r.temperature_c >= rules["heat_c"]:
        return True
    if previous is None or previous.temperature_c is None:
        return False
    minutes = (r.ts - previous.ts).total_seconds() / 60
    return (
        minutes > 0
        and (r.temperature_c - previous.temperature_c) / minutes >= rules["rise_c_per_min"]
    )


def signals(history: Sequence[Reading], rules: dict) -> list[tuple[Reading, bool, bool, bool]]:
    """(reading, smoke, heat, fire signal) for each reading in time order."""
    ordered = sorted(history, key=lambda r: r.ts)
    out = []
    for i, r in enumerate(ordered):
        smoke, heat = _smoke(r, rules), _heat(r, ordered[i - 1] if i else None, rules)
        out.append((r, smoke, heat, bool(r.flame) or smoke or heat))
    return out


def evaluate(
    rules_data: dict,
    reading: Reading,
    history: Sequence[Reading],
    neighbour_signals: Sequence[datetime],
) -> Decision:
    """Decide on ``reading`` given this detector's recent ``history`` (which may include it)
    and the times of recent fire signals from neighbouring detectors."""
    rules = rules_data["fire"]
    window = [r for r in history if r.ts <= reading.ts and r is not reading]
    marked = signals([*window, reading], rules)
    current = next(m for m in marked if m[0] is reading)
    if not current[3]:
        return Decision(False, None, ())
    reasons = []
    recent = [
        m
        for m in marked
        if m[3] and (reading.ts - m[0].ts).total_seconds() <= rules["confirm_window_s"]
    ]
    if len(recent) >= rules["confirm_repeats"]:
        reasons.append("repeated")
    run_start = None
    for r, smoke, heat, _ in marked:  # the latest unbroken run of smoke-and-heat readings
        run_start = (run_start or r.ts) if smoke and heat else None
    if run_start is not None and (reading.ts - run_start).total_seconds() >= rules["smoke_heat_s"]:
        reasons.append("smoke_heat")
    if any(
        abs((reading.ts - t).total_seconds()) <= rules["neighbour_window_s"]
        for t in neighbour_signals
    ):
        reasons.append("neighbour")
    return Decision(True, "confirmed" if reasons else "suspected", tuple(reasons))


def battery_low(rules_data: dict, reading: Reading) -> bool:
    limit = rules_data["health"]["battery_low_pct"]
    return reading.battery_pct is not None and reading.battery_pct < limit
