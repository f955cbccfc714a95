"""Working days and the wage commitment of one participant."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _kr_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.KR(years=year))


def working_days(start: date, end: date) -> int:
    """Days from ``start`` to ``end`` inclusive, less weekends and KR public holidays."""
    count = 0
    day = start
    while day <= end:
        if day.weekday() < 5 and day not in _kr_holidays(day.year):
            count += 1
        day += timedelta(days=1)
    return count


def daily_hours_for(program_hours: int, age: int, senior_age: int, senior_hours: int) -> int:
    """65세 이상 1일 3시간: seniors work the shorter of the two."""
    return min(program_hours, senior_hours) if age >= senior_age else program_hours


def wage_commitment(daily_hours: int, hourly_wage: int, days: int) -> int:
    return daily_hours * hourly_wage * days
