"""Commands: what a user asks the applicants service to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .model import ProgramOffer


@dataclass(frozen=True)
class OpenRecruitment:
    title: str
    year: int
    half: int
    programs: tuple[ProgramOffer, ...]
    actor: str
    seed_hash: str = ""
    intake_opens: date | None = None
    intake_closes: date | None = None


@dataclass(frozen=True)
class Member:
    relation: str
    birth_year: int


@dataclass(frozen=True)
class SubmitApplication:
    recruitment_id: str
    name: str
    rrn: str
    address: str
    phone: str
    household_size: int
    household_members: tuple[Member, ...]
    property_krw: int
    monthly_income_krw: int
    priority_groups: tuple[str, ...]
    past_participations: int
    preferences: tuple[str, ...]
    kakao: bool = False
    channel: str = field(default="api")  # "api" | "form"
    consent_version: str | None = None


@dataclass(frozen=True)
class RunSelection:
    recruitment_id: str
    seed: str
    actor: str


@dataclass(frozen=True)
class RetractSelection:
    recruitment_id: str
    reason: str
    actor: str


@dataclass(frozen=True)
class Withdraw:
    application_id: str
    reason: str
    actor: str


@dataclass(frozen=True)
class ReplaceRuleSet:
    data: dict
    actor: str
    note: str = ""
