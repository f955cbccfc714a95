"""Reading and writing recruitments."""

from __future__ import annotations

from sqlalchemy import String, bindparam, func, select
from sqlalchemy.orm import Session

from ..domain.model import ProgramOffer, Recruitment
from .orm import recruitment_programs, recruitments


def add(session: Session, recruitment: Recruitment, actor: str) -> None:
    session.execute(
        recruitments.insert().values(
            id=recruitment.id,
            title=recruitment.title,
            year=recruitment.year,
            half=recruitment.half,
            created_by=actor,
            seed_hash=recruitment.seed_hash,
            intake_opens=recruitment.intake_opens,
            intake_closes=recruitment.intake_closes,
        )
    )
    session.execute(
        recruitment_programs.insert(),
        [
            {
                "recruitment_id": recruitment.id,
                "code": p.code,
                "quota": p.quota,
                "hourly_wage": p.hourly_wage,
                "work_starts": p.work_starts,
                "work_ends": p.work_ends,
                "daily_hours": p.daily_hours,
                "funding_split": p.funding_split or None,
                "senior_cap": p.senior_cap,
            }
            for p in recruitment.programs
        ],
    )


def _offer(row) -> ProgramOffer:
    return ProgramOffer(
        row.code,
        row.quota,
        row.hourly_wage,
        row.work_starts,
        row.work_ends,
        row.daily_hours,
        dict(row.funding_split or {}),
        row.senior_cap,
    )


def _recruitment(head, offers: list[ProgramOffer]) -> Recruitment:
    return Recruitment(
        head.id,
        head.title,
        head.year,
        head.half,
        tuple(sorted(offers, key=lambda p: p.code)),
        head.seed_hash or "",
        head.intake_opens,
        head.intake_closes,
    )


def list_all(session: Session) -> list[Recruitment]:
    heads = session.execute(
        select(recruitments).order_by(
            recruitments.c.year, recruitments.c.half, recruitments.c.title
        )
    ).all()
    offers: dict[str, list[ProgramOffer]] = {}
    for row in session.execute(select(recruitment_programs)):
        offers.setdefault(row.recruitment_id, []).append(_offer(row))
    return [_recruitment(h, offers.get(h.id, [])) for h in heads]


# Built once: intake reads a recruitment on every application.
_HEAD = select(recruitments).where(recruitments.c.id == bindparam("rid"))
_PROGRAMS = select(recruitment_programs).where(
    recruitment_programs.c.recruitment_id == bindparam("rid")
)


def get(session: Session, recruitment_id: str) -> Recruitment | None:
    head = session.execute(_HEAD, {"rid": recruitment_id}).first()
    if head is None:
        return None
    rows = session.execute(_PROGRAMS, {"rid": recruitment_id})
    return _recruitment(head, [_offer(r) for r in rows])


def lock(session: Session, recruitment_id: str, shared: bool = False) -> None:
    """Serialise changes to one recruitment's draw: intake takes the lock shared, draws,
    retractions and withdrawals exclusive, until the transaction ends. Statements after
    it read what the holder before committed: on PostgreSQL each statement reads a fresh
    snapshot, so take the lock in a statement of its own, before the reads it guards.

    PostgreSQL: a transaction-level advisory lock on the recruitment id. Unlike a shared
    row lock it writes nothing (many concurrent intakes share a row lock only through a
    multixact written to the row). SQLite: nothing to do, its writers take turns."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_SHARED if shared else _EXCLUSIVE, {"rid": recruitment_id})


_KEY = func.hashtextextended(bindparam("rid", type_=String), 0)
_SHARED = select(func.pg_advisory_xact_lock_shared(_KEY))
_EXCLUSIVE = select(func.pg_advisory_xact_lock(_KEY))
