"""Read-only use cases."""

from __future__ import annotations

import hmac

from services.common import paging
from services.common.runtime import Runtime

from ..adapters import applications, audit, repository
from ..adapters.pii import PiiVault
from .errors import NotFound
from .views import public_view, staff_view


def application(runtime: Runtime, application_id: str) -> dict:
    with runtime.db.read() as session:
        row = applications.get(session, application_id)
        if row is None:
            raise NotFound("해당 신청서가 없습니다.")
        trail = audit.trail(session, "application", application_id)
    return staff_view(row, trail)


def applications_of(runtime: Runtime, recruitment_id: str, filters: dict, page: int, size: int):
    """One page of a recruitment's applications (masked), with the total."""
    with runtime.db.read() as session:
        if repository.get(session, recruitment_id) is None:
            raise NotFound("해당 모집공고가 없습니다.")
        return paging.fetch(session, applications.search(recruitment_id, filters), page, size)


def counts_of(runtime: Runtime, recruitment_id: str) -> dict[str, int]:
    """How many applications a recruitment has in each status."""
    with runtime.db.read() as session:
        return applications.status_counts(session, recruitment_id)


def status_for(runtime: Runtime, application_id: str, phone: str) -> dict | None:
    """An applicant's own result, only when the phone given is the one on the application
    (the same ``None`` for a wrong number and for no such application)."""
    vault = PiiVault.from_settings(runtime.settings)
    with runtime.db.read() as session:
        row = applications.get(session, application_id)
        if row is None or not hmac.compare_digest(vault.decrypt(row["phone_enc"]), phone):
            return None
        recruitment = repository.get(session, row["recruitment_id"])
    return {**public_view(row), "program_code": row["program_code"],
            "waitlist_rank": row["waitlist_rank"], "recruitment_title": recruitment.title}  # fmt: skip
