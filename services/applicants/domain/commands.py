"""Commands: what a user asks the applicants service to do."""

from __future__ import annotations

from dataclasses import dataclass

from .model import ProgramOffer


@dataclass(frozen=True)
class OpenRecruitment:
    title: str
    year: int
    half: int
    programs: tuple[ProgramOffer, ...]
    actor: str
