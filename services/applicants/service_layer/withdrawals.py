"""Withdrawal of a participant (staff), and promotion of the next person waiting."""

from __future__ import annotations

from datetime import date

from services.common.runtime import Runtime

from ..adapters import applications, audit, repository, rule_sets
from ..domain import commands, events
from ..domain.selection import next_in_line
from .clock import seoul_today
from .errors import Conflict, NotFound
from .selection import _placement, candidate, placement_terms, selected_event, slot
from .views import audit_state, recipient


def withdraw(runtime: Runtime, cmd: commands.Withdraw, today: date | None = None) -> dict:
    """Withdraw a selected or waitlisted person; a freed place goes to the waitlist."""
    today = today or seoul_today()
    with runtime.db.transaction() as session:
        row = applications.get(session, cmd.application_id)
        if row is None:
            raise NotFound("해당 신청서가 없습니다.")
        repository.lock(session, row["recruitment_id"])
        row = applications.get(session, cmd.application_id)  # as of the lock
        if row["status"] not in ("selected", "waitlisted"):
            raise Conflict(
                f"선발되었거나 대기 중인 신청만 포기 처리할 수 있습니다(현재: {row['status']})."
            )
        recruitment = repository.get(session, row["recruitment_id"])
        selection = applications.active_selection(session, recruitment.id)
        after = {"status": "withdrawn", "program_code": row["program_code"], "waitlist_rank": None}
        applications.set_state(session, row["id"], status="withdrawn", waitlist_rank=None)
        audit.record(
            session, "application", row["id"], "withdrawn", cmd.actor, audit_state(row),
            {**after, "reason": cmd.reason},
        )  # fmt: skip
        promoted = None
        if row["status"] == "selected":
            gone = events.ParticipantWithdrawn(
                row["id"], recruitment.id, row["program_code"], cmd.reason, recruitment.year,
                recipient(row),
            )  # fmt: skip
            payload = gone.payload() | {"withdrawn_on": today.isoformat()}
            runtime.emit(session, gone.type, payload)
            promoted = _promote(runtime, session, recruitment, selection, row, cmd.actor, today)
        result = applications.get(session, row["id"])
    return {"application_id": result["id"], "status": result["status"], "promoted": promoted}


def _promote(runtime, session, recruitment, selection, gone, actor, today) -> str | None:
    rules = rule_sets.current(session)
    offer = recruitment.program(gone["program_code"])
    if max(offer.work_starts, today) > offer.work_ends:
        return None  # the work has ended: nothing left to give
    placed = applications.in_recruitment(session, recruitment.id, ["selected"])
    seniors = sum(
        1 for r in placed if r["program_code"] == offer.code and r["age"] >= rules["senior_age"]
    )
    starts = recruitment.work_starts
    ends = max(p.work_ends for p in recruitment.programs)
    taken = {r["household_key"] for r in placed}
    taken |= applications.households_placed_elsewhere(session, recruitment.id, starts, ends)
    waiting = {
        r["id"]: r for r in applications.in_recruitment(session, recruitment.id, ["waitlisted"])
    }
    chosen = next_in_line(
        ((candidate(r, rules), r["waitlist_rank"]) for r in waiting.values()),
        slot(offer),
        seniors,
        frozenset(taken),
    )
    if chosen is None:
        return None
    row = waiting[chosen.application_id]
    terms = placement_terms(recruitment, offer.code, row, rules, max(offer.work_starts, today))
    applications.add_placements(
        session,
        [
            _placement(
                selection["id"], row["id"], "promoted", row["waitlist_rank"], terms, gone["id"]
            )
        ],
    )
    after = {"status": "selected", "program_code": offer.code, "waitlist_rank": None}
    applications.set_state(session, row["id"], **after)
    audit.record(
        session, "application", row["id"], "promoted", actor, audit_state(row),
        {**after, "replaces_application_id": gone["id"]},
    )  # fmt: skip
    event = selected_event(
        events.ParticipantPromoted, row, recruitment, selection["id"], terms,
        replaces_application_id=gone["id"],
    )  # fmt: skip
    runtime.emit(session, event.type, event.payload())
    return row["id"]
