"""Events: what has happened in the applicants service (past tense)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class RecruitmentOpened:
    type = "applicants.recruitment_opened"
    recruitment_id: str
    title: str
    year: int
    half: int
    total_quota: int
    programs: tuple[dict, ...]

    def payload(self) -> dict:
        data = asdict(self)
        data["programs"] = list(self.programs)
        return data
