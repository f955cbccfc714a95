"""Reading and writing applications and placements (rows as plain dicts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from services.common.tables import utcnow

from .orm import applications, placements, recruitment_programs, selections

PLACED = ("selected",)


def add(session: Session, values: dict[str, Any]) -> None:
    session.execute(applications.insert().values(**values))


def get(session: Session, application_id: str) -> dict | None:
    row = session.execute(select(applications).where(applications.c.id == application_id)).first()
    return dict(row._mapping) if row else None


def exists(session: Session, recruitment_id: str, person_key: str) -> bool:
    return (
        session.scalar(
            select(applications.c.id).where(
                applications.c.recruitment_id == recruitment_id,
                applications.c.person_key == person_key,
            )
        )
        is not None
    )


def past_participations(session: Session, person_key: str, recruitment_id: str) -> int:
    """Places this person held in other recruitments (selected, or withdrawn after),
    counting only draws that were not retracted."""
    joined = placements.join(applications, applications.c.id == placements.c.application_id).join(
        selections, selections.c.id == placements.c.selection_id
    )
    return session.scalar(
        select(func.count(func.distinct(placements.c.application_id)))
        .select_from(joined)
        .where(
            applications.c.person_key == person_key,
            applications.c.recruitment_id != recruitment_id,
            selections.c.status == "published",
        )
    )


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
