"""Events: what has happened in the applicants service (past tense).

Payloads follow docs/events.md exactly (version 1).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class Event:
    type = ""

    def payload(self) -> dict:
        data = asdict(self)
        for f in fields(self):
            if isinstance(data[f.name], tuple):
                data[f.name] = list(data[f.name])
        return data


@dataclass(frozen=True)
class RecruitmentOpened(Event):
    type = "applicants.recruitment_opened"
    recruitment_id: str
    title: str
    year: int
    half: int
    total_quota: int
    programs: tuple[dict, ...]


@dataclass(frozen=True)
class ApplicationReceived(Event):
    type = "applicants.application_received"
    application_id: str
    recruitment_id: str
    recruitment_title: str
    preferences: tuple[str, ...]
    recipient: dict


@dataclass(frozen=True)
class ApplicationRejected(Event):
    type = "applicants.application_rejected"
    application_id: str
    recruitment_id: str
    recruitment_title: str
    recipient: dict
    reasons: tuple[dict, ...]
    rule_version: int


@dataclass(frozen=True)
class SelectionPublished(Event):
    type = "applicants.selection_published"
    recruitment_id: str
    selection_id: str
    seed_hash: str
    seed: str
    selected: dict
    waitlisted: int


@dataclass(frozen=True)
class ParticipantSelected(Event):
    type = "applicants.participant_selected"
    application_id: str
    recruitment_id: str
    selection_id: str
    program_code: str
    program_name: str
    recipient: dict
    fiscal_year: int
    work_starts: str
    work_ends: str
    daily_hours: int
    hourly_wage_krw: int
    working_days: int
    wage_commitment_krw: int


@dataclass(frozen=True)
class ParticipantPromoted(ParticipantSelected):
    type = "applicants.participant_promoted"
    replaces_application_id: str = ""


@dataclass(frozen=True)
class ParticipantWaitlisted(Event):
    type = "applicants.participant_waitlisted"
    application_id: str
    recruitment_id: str
    selection_id: str
    rank: int
    recipient: dict


@dataclass(frozen=True)
class ParticipantWithdrawn(Event):
    type = "applicants.participant_withdrawn"
    application_id: str
    recruitment_id: str
    program_code: str | None
    reason: str
    fiscal_year: int
    recipient: dict
