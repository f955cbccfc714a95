"""Use cases for recruitments: one transaction each, events through the outbox."""

from __future__ import annotations

import uuid

from services.common.runtime import Runtime

from ..adapters import repository
from ..domain import commands, events, model


def open_recruitment(runtime: Runtime, cmd: commands.OpenRecruitment) -> model.Recruitment:
    recruitment = model.open_recruitment(
        str(uuid.uuid4()), cmd.title, cmd.year, cmd.half, list(cmd.programs)
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
        runtime.emit(session, event.type, event.payload())
    return recruitment


def list_recruitments(runtime: Runtime) -> list[model.Recruitment]:
    with runtime.db.read() as session:
        return repository.list_all(session)
