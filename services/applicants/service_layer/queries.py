"""Read-only use cases."""

from __future__ import annotations

from services.common.runtime import Runtime

from ..adapters import applications, audit
from .errors import NotFound
from .views import staff_view


def application(runtime: Runtime, application_id: str) -> dict:
    with runtime.db.read() as session:
        row = applications.get(session, application_id)
        if row is None:
            raise NotFound("해당 신청서가 없습니다.")
        trail = audit.trail(session, "application", application_id)
    return staff_view(row, trail)
