"""Business dates are Asia/Seoul dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


def seoul_today() -> date:
    return datetime.now(SEOUL).date()
