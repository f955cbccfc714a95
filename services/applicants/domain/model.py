"""Recruitments (모집공고): plain Python, no framework imports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

PROGRAM_NAMES = {
    "safe": "안심일자리",
    "community": "지역공동체일자리",
    "quarantine": "지역방역일자리",
    "youth": "청년드림나래",
}
FUNDING_SOURCES = {"national": "국비", "city": "시비", "district": "구비", "fund": "기금"}
DAILY_HOURS_MIN, DAILY_HOURS_MAX = 3, 8


class DomainError(ValueError):
    """A rule of the domain was broken; the message is Korean, for a person."""


def seed_hash_of(seed: str) -> str:
    """The published commitment to a draw seed: sha256 of its UTF-8 bytes, hex."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ProgramOffer:
    code: str
    quota: int
    hourly_wage: int
    work_starts: date
    work_ends: date
    daily_hours: int = 8
    funding_split: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    senior_cap: int | None = None  # most participants aged 65+ this program takes

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
    seed_hash: str = ""
    intake_opens: date | None = None
    intake_closes: date | None = None

    @property
    def total_quota(self) -> int:
        return sum(p.quota for p in self.programs)

    @property
    def work_starts(self) -> date:
        """The recruitment's first working day: ages are reckoned on this date."""
        return min(p.work_starts for p in self.programs)

    def program(self, code: str) -> ProgramOffer:
        for p in self.programs:
            if p.code == code:
                return p
        raise DomainError(f"이 모집에 없는 사업입니다: {code}")

    def intake_open_on(self, day: date) -> bool:
        if self.intake_opens and day < self.intake_opens:
            return False
        return not (self.intake_closes and day > self.intake_closes)


def _check_offer(p: ProgramOffer) -> None:
    if p.code not in PROGRAM_NAMES:
        raise DomainError(f"알 수 없는 사업 코드입니다: {p.code}")
    if p.quota <= 0:
        raise DomainError(f"{p.name} 선발인원은 1명 이상이어야 합니다.")
    if p.hourly_wage <= 0:
        raise DomainError(f"{p.name} 시급은 0원보다 커야 합니다.")
    if p.work_ends < p.work_starts:
        raise DomainError(f"{p.name} 근무 종료일이 시작일보다 빠릅니다.")
    if not DAILY_HOURS_MIN <= p.daily_hours <= DAILY_HOURS_MAX:
        raise DomainError(f"{p.name} 1일 근로시간은 3~8시간이어야 합니다: {p.daily_hours}")
    if p.funding_split:
        unknown = set(p.funding_split) - set(FUNDING_SOURCES)
        if unknown:
            raise DomainError(f"{p.name} 재원 구분이 올바르지 않습니다: {', '.join(unknown)}")
        if sum(p.funding_split.values()) != 100 or min(p.funding_split.values()) < 0:
            raise DomainError(f"{p.name} 재원비율의 합은 100이어야 합니다.")
    if p.senior_cap is not None and not 0 <= p.senior_cap <= p.quota:
        raise DomainError(f"{p.name} 65세 이상 선발 상한은 0명 이상 선발인원 이하여야 합니다.")


def open_recruitment(
    id: str,
    title: str,
    year: int,
    half: int,
    programs: list[ProgramOffer],
    seed_hash: str = "",
    intake_opens: date | None = None,
    intake_closes: date | None = None,
) -> Recruitment:
    if half not in (1, 2):
        raise DomainError(f"반기는 1(상반기) 또는 2(하반기)여야 합니다: {half}")
    if not programs:
        raise DomainError("모집에는 사업이 하나 이상 있어야 합니다.")
    codes = [p.code for p in programs]
    if len(set(codes)) != len(codes):
        raise DomainError("같은 사업을 한 모집에 두 번 넣을 수 없습니다.")
    for p in programs:
        _check_offer(p)
    if intake_opens and intake_closes and intake_closes < intake_opens:
        raise DomainError("접수 마감일이 접수 시작일보다 빠릅니다.")
    if seed_hash and (len(seed_hash) != 64 or set(seed_hash) - set("0123456789abcdef")):
        raise DomainError("추첨 시드 해시는 소문자 16진수 64자리(sha256)여야 합니다.")
    return Recruitment(
        id=id,
        title=title,
        year=year,
        half=half,
        programs=tuple(programs),
        seed_hash=seed_hash,
        intake_opens=intake_opens,
        intake_closes=intake_closes,
    )
