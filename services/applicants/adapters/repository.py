"""Reading and writing recruitments."""

from __future__ import annotations

from sqlalchemy import select
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
            }
            for p in recruitment.programs
        ],
    )


def list_all(session: Session) -> list[Recruitment]:
    heads = session.execute(
        select(recruitments).order_by(
            recruitments.c.year, recruitments.c.half, recruitments.c.title
        )
    ).all()
    offers: dict[str, list[ProgramOffer]] = {}
    for row in session.execute(select(recruitment_programs)):
        offers.setdefault(row.recruitment_id, []).append(
            ProgramOffer(row.code, row.quota, row.hourly_wage, row.work_starts, row.work_ends)
        )
    return [
        Recruitment(
            h.id, h.title, h.year, h.half, tuple(sorted(offers.get(h.id, []), key=lambda p: p.code))
        )
        for h in heads
    ]


def get(session: Session, recruitment_id: str) -> Recruitment | None:
    return next((r for r in list_all(session) if r.id == recruitment_id), None)
