"""Selection use cases: draw (checked against the published seed hash), read, retract."""

from __future__ import annotations

import uuid
from datetime import date

from services.common.runtime import Runtime
from services.common.tables import utcnow

from ..adapters import applications, audit, repository, rule_sets
from ..domain import commands, events, model
from ..domain.rules import RuleSet
from ..domain.selection import Candidate, Slot, allocate
from ..domain.wages import daily_hours_for, wage_commitment, working_days
from .errors import Conflict, Invalid, NotFound
from .views import audit_state, recipient


def candidate(row: dict, rules: RuleSet) -> Candidate:
    return Candidate(
        application_id=row["id"],
        household_key=row["household_key"],
        priority=bool(row["priority"]),
        score=row["score"],
        senior=row["age"] >= rules["senior_age"],
        preferences=tuple(row["eligible_programs"]),
    )


def slot(offer: model.ProgramOffer) -> Slot:
    return Slot(offer.code, offer.quota, offer.senior_cap)


def placement_terms(
    recruitment: model.Recruitment, code: str, row: dict, rules: RuleSet, starts: date
) -> dict:
    """Hours, days and the wage commitment of one place, per docs/events.md."""
    offer = recruitment.program(code)
    hours = daily_hours_for(
        offer.daily_hours, row["age"], rules["senior_age"], rules["senior_daily_hours"]
    )
    days = working_days(starts, offer.work_ends)
    return {
        "program_code": code,
        "program_name": offer.name,
        "fiscal_year": recruitment.year,
        "work_starts": starts,
        "work_ends": offer.work_ends,
        "daily_hours": hours,
        "hourly_wage_krw": offer.hourly_wage,
        "working_days": days,
        "wage_commitment_krw": wage_commitment(hours, offer.hourly_wage, days),
    }


def selected_event(cls, row, recruitment, selection_id, terms, **extra):
    return cls(
        application_id=row["id"],
        recruitment_id=recruitment.id,
        selection_id=selection_id,
        recipient=recipient(row),
        **{**terms, "work_starts": terms["work_starts"].isoformat(),
           "work_ends": terms["work_ends"].isoformat()},
        **extra,
    )  # fmt: skip


def run(runtime: Runtime, cmd: commands.RunSelection) -> dict:
    with runtime.db.transaction() as session:
        recruitment = repository.get(session, cmd.recruitment_id)
        if recruitment is None:
            raise NotFound("해당 모집공고가 없습니다.")
        repository.lock(session, recruitment.id)
        if model.seed_hash_of(cmd.seed) != recruitment.seed_hash:
            message = "추첨 시드가 모집공고에 공개한 해시(seed_hash)와 맞지 않습니다."
            raise Invalid(message, {"seed": [message]})
        if applications.active_selection(session, recruitment.id):
            raise Conflict("이미 선발 결과가 있습니다. 다시 하려면 먼저 선발을 취소하세요.")
        rules = rule_sets.current(session)
        rows = {
            r["id"]: r for r in applications.in_recruitment(session, recruitment.id, ["eligible"])
        }
        starts = recruitment.work_starts
        ends = max(p.work_ends for p in recruitment.programs)
        elsewhere = applications.households_placed_elsewhere(session, recruitment.id, starts, ends)
        result = allocate(
            (candidate(r, rules) for r in rows.values()),
            [slot(p) for p in recruitment.programs],
            cmd.seed,
            frozenset(elsewhere),
        )
        selection_id = str(uuid.uuid4())
        counts = {p.code: 0 for p in recruitment.programs} | result.counts()
        applications.add_selection(
            session,
            {
                "id": selection_id,
                "recruitment_id": recruitment.id,
                "seed": cmd.seed,
                "seed_hash": recruitment.seed_hash,
                "status": "published",
                "counts": counts,
                "waitlisted": len(result.waitlisted),
                "created_by": cmd.actor,
            },
        )
        placed_rows, audits = [], []
        for p in result.selected:
            row = rows[p.application_id]
            offer = recruitment.program(p.program_code)
            terms = placement_terms(recruitment, p.program_code, row, rules, offer.work_starts)
            placed_rows.append(_placement(selection_id, row["id"], "drawn", p.rank, terms))
            after = {"status": "selected", "program_code": p.program_code, "waitlist_rank": None}
            applications.set_state(session, row["id"], **after)
            audits.append((row, after))
            event = selected_event(
                events.ParticipantSelected, row, recruitment, selection_id, terms
            )
            runtime.emit(session, event.type, event.payload())
        applications.add_placements(session, placed_rows)
        for w in result.waitlisted:
            row = rows[w.application_id]
            after = {"status": "waitlisted", "program_code": None, "waitlist_rank": w.rank}
            applications.set_state(session, row["id"], **after)
            audits.append((row, after))
            event = events.ParticipantWaitlisted(
                row["id"], recruitment.id, selection_id, w.rank, recipient(row)
            )
            runtime.emit(session, event.type, event.payload())
        for row, after in audits:
            audit.record(
                session, "application", row["id"], "drawn", cmd.actor, audit_state(row), after
            )
        audit.record(
            session, "selection", selection_id, "published", cmd.actor, None,
            {"recruitment_id": recruitment.id, "counts": counts,
             "waitlisted": len(result.waitlisted), "rule_version": rules.version},
        )  # fmt: skip
        published = events.SelectionPublished(
            recruitment.id, selection_id, recruitment.seed_hash, cmd.seed, counts,
            len(result.waitlisted),
        )  # fmt: skip
        runtime.emit(session, published.type, published.payload())
    return result_of(runtime, recruitment.id)


def _placement(selection_id, application_id, kind, rank, terms, replaces=None) -> dict:
    return {
        "selection_id": selection_id,
        "application_id": application_id,
        "kind": kind,
        "program_code": terms["program_code"],
        "rank": rank,
        "work_starts": terms["work_starts"],
        "work_ends": terms["work_ends"],
        "daily_hours": terms["daily_hours"],
        "working_days": terms["working_days"],
        "wage_commitment_krw": terms["wage_commitment_krw"],
        "replaces_application_id": replaces,
    }


def result_of(runtime: Runtime, recruitment_id: str) -> dict:
    with runtime.db.read() as session:
        if repository.get(session, recruitment_id) is None:
            raise NotFound("해당 모집공고가 없습니다.")
        selection = applications.latest_selection(session, recruitment_id)
        if selection is None:
            raise NotFound("아직 선발하지 않았습니다.")
        places = applications.selection_placements(session, selection["id"])
        current = {
            r["id"]: r
            for r in applications.in_recruitment(
                session, recruitment_id, ["selected", "waitlisted", "withdrawn"]
            )
        }
    waitlist = sorted(
        (r for r in current.values() if r["status"] == "waitlisted"),
        key=lambda r: r["waitlist_rank"],
    )
    return {
        **{k: selection[k] for k in ("id", "recruitment_id", "seed", "seed_hash", "status")},
        "selected_counts": selection["counts"],
        "waitlisted_count": selection["waitlisted"],
        "created_by": selection["created_by"],
        "created_at": selection["created_at"],
        "retracted_at": selection["retracted_at"],
        "retract_reason": selection["retract_reason"],
        "placements": [
            {
                "application_id": p["application_id"],
                "program_code": p["program_code"],
                "kind": p["kind"],
                "rank": p["rank"],
                "status": current.get(p["application_id"], {}).get("status", "eligible"),
                "replaces_application_id": p["replaces_application_id"],
            }
            for p in places
        ],
        "waitlist": [{"application_id": r["id"], "rank": r["waitlist_rank"]} for r in waitlist]
        if selection["status"] == "published"
        else [],
    }


def retract(runtime: Runtime, cmd: commands.RetractSelection) -> dict:
    """Undo a draw (with an audit record); the recruitment can then be drawn again."""
    with runtime.db.transaction() as session:
        recruitment = repository.get(session, cmd.recruitment_id)
        if recruitment is None:
            raise NotFound("해당 모집공고가 없습니다.")
        repository.lock(session, recruitment.id)
        selection = applications.active_selection(session, recruitment.id)
        if selection is None:
            raise Conflict("취소할 선발 결과가 없습니다.")
        applications.update_selection(
            session, selection["id"], status="retracted", retracted_by=cmd.actor,
            retracted_at=utcnow(), retract_reason=cmd.reason,
        )  # fmt: skip
        for row in applications.in_recruitment(session, recruitment.id, ["selected", "waitlisted"]):
            after = {"status": "eligible", "program_code": None, "waitlist_rank": None}
            applications.set_state(session, row["id"], **after)
            audit.record(
                session, "application", row["id"], "draw_retracted", cmd.actor,
                audit_state(row), after,
            )  # fmt: skip
            if row["status"] == "selected":
                event = events.ParticipantWithdrawn(
                    row["id"], recruitment.id, row["program_code"],
                    f"선발 취소: {cmd.reason}", recruitment.year, recipient(row),
                )  # fmt: skip
                runtime.emit(session, event.type, event.payload())
        audit.record(
            session, "selection", selection["id"], "retracted", cmd.actor,
            {"status": "published"}, {"status": "retracted", "reason": cmd.reason},
        )  # fmt: skip
    return result_of(runtime, cmd.recruitment_id)
