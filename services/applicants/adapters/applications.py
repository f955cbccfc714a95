"""Reading and writing applications and placements (rows as plain dicts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Text, and_, bindparam, exists, func, select, update
from sqlalchemy.orm import Session

from services.common.db import insert_of
from services.common.tables import utcnow

from . import repository
from .orm import (
    applications,
    placements,
    recruitment_programs,
    recruitments,
    rule_sets,
    selections,
)

PLACED = ("selected",)


def prepared(values: dict[str, Any]):
    """(INSERT, parameters) of one application, every column given, for the caller to
    run with its other writes (``db.execute_all``)."""
    return _INSERT, {f"ap_{k}": v for k, v in values.items()}


def get(session: Session, application_id: str) -> dict | None:
    row = session.execute(select(applications).where(applications.c.id == application_id)).first()
    return dict(row._mapping) if row else None


# Intake's statements, built once (an application runs each of them).
_INSERT = insert_of(applications, "ap")
_PAST = (
    select(func.count(func.distinct(placements.c.application_id)))
    .select_from(
        placements.join(applications, applications.c.id == placements.c.application_id).join(
            selections, selections.c.id == placements.c.selection_id
        )
    )
    .where(
        applications.c.person_key == bindparam("pk"),
        applications.c.recruitment_id != bindparam("rid"),
        selections.c.status == "published",
    )
)
_GATE = select(
    recruitments.c.id,
    exists()
    .where(selections.c.recruitment_id == bindparam("rid"), selections.c.status == "published")
    .label("drawn"),
    exists()
    .where(
        applications.c.recruitment_id == bindparam("rid"),
        applications.c.person_key == bindparam("pk"),
    )
    .label("applied"),
    _PAST.scalar_subquery().label("past"),
    select(func.max(rule_sets.c.version)).scalar_subquery().label("rule_version"),
).where(recruitments.c.id == bindparam("rid"))


def intake_gate(session: Session, recruitment_id: str, person_key: str):
    """What an application is stored under, read in one statement after the recruitment's
    shared lock (a draw holds it exclusive): whether its draw is published (``drawn``),
    whether this person applied already (``applied``), their places in other recruitments
    (``past``: selected, or withdrawn after, in draws that were not retracted) and the
    current rule version (``rule_version``); None if there is no such recruitment."""
    repository.lock(session, recruitment_id, shared=True)
    return session.execute(_GATE, {"rid": recruitment_id, "pk": person_key}).first()


def in_recruitment(session: Session, recruitment_id: str, statuses: Iterable[str]) -> list[dict]:
    rows = session.execute(
        select(applications).where(
            applications.c.recruitment_id == recruitment_id,
            applications.c.status.in_(list(statuses)),
        )
    )
    return [dict(r._mapping) for r in rows]


def households_placed_elsewhere(session: Session, recruitment_id: str, starts, ends) -> set[str]:
    """Households with someone placed in another recruitment whose work overlaps."""
    overlapping = (
        select(recruitment_programs.c.recruitment_id)
        .where(
            recruitment_programs.c.recruitment_id != recruitment_id,
            recruitment_programs.c.work_starts <= ends,
            recruitment_programs.c.work_ends >= starts,
        )
        .distinct()
    )
    rows = session.execute(
        select(applications.c.household_key).where(
            and_(
                applications.c.recruitment_id.in_(overlapping),
                applications.c.status.in_(PLACED),
            )
        )
    )
    return {r.household_key for r in rows}


def set_state(session: Session, application_id: str, **values: Any) -> None:
    session.execute(
        update(applications)
        .where(applications.c.id == application_id)
        .values(updated_at=utcnow(), **values)
    )


def add_placements(session: Session, rows: list[dict]) -> None:
    if rows:
        session.execute(placements.insert(), rows)


def placement_of(session: Session, application_id: str) -> dict | None:
    row = session.execute(
        select(placements)
        .where(placements.c.application_id == application_id)
        .order_by(placements.c.id.desc())
        .limit(1)
    ).first()
    return dict(row._mapping) if row else None


def active_selection(session: Session, recruitment_id: str) -> dict | None:
    row = session.execute(
        select(selections).where(
            selections.c.recruitment_id == recruitment_id, selections.c.status == "published"
        )
    ).first()
    return dict(row._mapping) if row else None


def add_selection(session: Session, values: dict[str, Any]) -> None:
    session.execute(selections.insert().values(**values))


def update_selection(session: Session, selection_id: str, **values: Any) -> None:
    session.execute(update(selections).where(selections.c.id == selection_id).values(**values))


def latest_selection(session: Session, recruitment_id: str) -> dict | None:
    row = session.execute(
        select(selections)
        .where(selections.c.recruitment_id == recruitment_id)
        .order_by(selections.c.created_at.desc())
        .limit(1)
    ).first()
    return dict(row._mapping) if row else None


def selection_placements(session: Session, selection_id: str) -> list[dict]:
    rows = session.execute(
        select(placements)
        .where(placements.c.selection_id == selection_id)
        .order_by(placements.c.id)
    )
    return [dict(r._mapping) for r in rows]


def search(recruitment_id: str, filters: dict[str, Any]):
    """Staff's list of a recruitment's applications: filtered, best first (as the draw
    ranks them: priority, then score), masked columns only."""
    columns = [applications.c[name] for name in LISTED]
    query = select(*columns).where(applications.c.recruitment_id == recruitment_id)
    if filters.get("status"):
        query = query.where(applications.c.status == filters["status"])
    if filters.get("priority") is not None:
        query = query.where(applications.c.priority == filters["priority"])
    if filters.get("min_score") is not None:
        query = query.where(applications.c.score >= filters["min_score"])
    if filters.get("program"):  # placed in it, or asked for it (a JSON list, as text)
        code = filters["program"]
        wanted = func.cast(applications.c.preferences, Text).like(f'%"{code}"%')
        query = query.where((applications.c.program_code == code) | wanted)
    return query.order_by(
        applications.c.priority.desc(), applications.c.score.desc(), applications.c.created_at
    )


LISTED = ("id", "name_masked", "phone_masked", "age", "status", "priority", "score",
          "preferences", "program_code", "waitlist_rank", "channel", "created_at")  # fmt: skip


def status_counts(session: Session, recruitment_id: str) -> dict[str, int]:
    rows = session.execute(
        select(applications.c.status, func.count())
        .where(applications.c.recruitment_id == recruitment_id)
        .group_by(applications.c.status)
    )
    return {status: count for status, count in rows}
