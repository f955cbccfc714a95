"""Commands: what a user asks the markets service to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RegisterMarket:
    name: str
    store_count: int | None = None


@dataclass(frozen=True)
class Site:
    market: str  # the market's name
    units: int | None = None


@dataclass(frozen=True)
class PlanSafetyJob:
    code: str
    kind: str
    title: str
    status: str
    sites: tuple[Site, ...] = ()
    starts: date | None = None
    ends: date | None = None
    budget_krw: int | None = None
    funding_ratio_pct: dict[str, int] | None = None
    market_count: int | None = None
    total_units: int | None = None
