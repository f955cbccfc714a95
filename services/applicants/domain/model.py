"""Recruitments (모집공고): plain Python, no framework imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PROGRAM_NAMES = {
    "safe": "안심일자리",
    "community": "지역공동체일자리",
    "quarantine": "지역방역일자리",
    "youth": "청년드림나래",
}


class DomainError(ValueError):
    """A rule of the domain was broken; the message is Korean, for a person."""


@dataclass(frozen=True)
class ProgramOffer:
    code: str
    quota: int
    hourly_wage: int
    work_starts: date
    work_ends: date

    @property
    def name(self) -> str:
        return PROGRAM_NAMES[self.code]


@dataclass(frozen=True)
class Recruitment:
    id: str
    title: str
    year: int
    half: int
    programs: tuple[ProgramOffer, ...]

    @property
    def total_quota(self) -> int:
        return sum(p.quota for p in self.programs)


def open_recruitment(
    id: str, title: str, year: int, half: int, programs: list[ProgramOffer]
) -> Recruitment:
    if half not in (1, 2):
        raise DomainError(f"반기는 1(상반기) 또는 2(하반기)여야 합니다: {half}")
    if not programs:
        raise DomainError("모집에는 사업이 하나 이상 있어야 합니다.")
    codes = [p.code for p in programs]
    if len(set(codes)) != len(codes):
        raise DomainError("같은 사업을 한 모집에 두 번 넣을 수 없습니다.")
    for p in programs:
        if p.code not in PROGRAM_NAMES:
            raise DomainError(f"알 수 없는 사업 코드입니다: {p.code}")
        if p.quota <= 0:
            raise DomainError(f"{p.name} 선발인원은 1명 이상이어야 합니다.")
        if p.hourly_wage <= 0:
            raise DomainError(f"{p.name} 시급은 0원보다 커야 합니다.")
        if p.work_ends < p.work_starts:
            raise DomainError(f"{p.name} 근무 종료일이 시작일보다 빠릅니다.")
    return Recruitment(id=id, title=title, year=year, half=half, programs=tuple(programs))
