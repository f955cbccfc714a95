"""Retry backoff and quiet hours, as pure functions of their inputs."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
QUIET_START, QUIET_END = time(21, 0), time(8, 0)


def backoff(
    attempt: int,
    base: float = 2.0,
    cap: float = 600.0,
    rand: Callable[[float, float], float] = random.uniform,
) -> float:
    """Seconds before retry ``attempt`` (0-based): exponential, capped, with equal jitter
    (half fixed, half random), so it is never zero and never above the cap."""
    ceiling = min(cap, base * 2**attempt)
    return ceiling / 2 + rand(0, ceiling / 2)


def parse_window(spec: str) -> tuple[time, time] | None:
    """``"21:00-08:00"`` -> (21:00, 08:00); ``"off"`` or empty -> None."""
    spec = spec.strip().lower()
    if spec in ("", "off", "none"):
        return None
    start, end = spec.split("-")
    return time.fromisoformat(start), time.fromisoformat(end)


def in_window(local: time, window: tuple[time, time]) -> bool:
    start, end = window
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # the window crosses midnight


def release_at(
    now: datetime, urgent: bool, window: tuple[time, time] | None = (QUIET_START, QUIET_END)
) -> datetime | None:
    """When a message created at ``now`` (aware) may be sent: None means now.

    Urgent messages ignore quiet hours; others created inside the window wait for its end
    (08:00 Asia/Seoul by default), returned in UTC.
    """
    if urgent or window is None:
        return None
    local = now.astimezone(SEOUL)
    if not in_window(local.timetz().replace(tzinfo=None), window):
        return None
    end = datetime.combine(local.date(), window[1], tzinfo=SEOUL)
    if end <= local:
        end += timedelta(days=1)
    return end.astimezone(UTC)
