"""Use cases for recruitments: one transaction each, events through the outbox."""

from __future__ import annotations

import secrets
import uuid

from services.common.runtime import Runtime

from ..adapters import audit, repository
from ..domain import commands, events, model
from .errors import NotFound


def open_recruitment(
    runtime: Runtime, cmd: commands.OpenRecruitment
) -> tuple[model.Recruitment, str | None]:
    """Open it; without a published seed hash, a seed is made and returned once."""
    seed = None
    seed_hash = cmd.seed_hash
    if not seed_hash:
        seed = secrets.token_urlsafe(24)
        seed_hash = model.seed_hash_of(seed)
    recruitment = model.open_recruitment(
        str(uuid.uuid4()),
        cmd.title,
        cmd.year,
        cmd.half,
        list(cmd.programs),
        seed_hash=seed_hash,
        intake_opens=cmd.intake_opens,
        intake_closes=cmd.intake_closes,
    )
    event = events.RecruitmentOpened(
        recruitment_id=recruitment.id,
        title=recruitment.title,
        year=recruitment.year,
        half=recruitment.half,
        total_quota=recruitment.total_quota,
        programs=tuple(
            {"code": p.code, "name": p.name, "quota": p.quota} for p in recruitment.programs
        ),
    )
    with runtime.db.transaction() as session:
        repository.add(session, recruitment, cmd.actor)
        audit.record(
            session, "recruitment", recruitment.id, "opened", cmd.actor, None, event.payload()
        )
        runtime.emit(session, event.type, event.payload())
    return recruitment, seed


def list_recruitments(runtime: Runtime) -> list[model.Recruitment]:
    with runtime.db.read() as session:
        return repository.list_all(session)


def get_recruitment(runtime: Runtime, recruitment_id: str) -> model.Recruitment:
    with runtime.db.read() as session:
        found = repository.get(session, recruitment_id)
    if found is None:
        raise NotFound("해당 모집공고가 없습니다.")
    return found
