"""Markets and their safety jobs (work orders): plain Python, no framework imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

JOB_KINDS = {
    "iot_fire_sensor": "IoT 화재감지기 설치",
    "talking_extinguisher": "말하는 소화기 설치",
    "wiring": "노후전선 정비",
    "cctv": "CCTV 설치",
    "fire_equipment": "소방시설 교체",
    "fire_insurance": "화재공제보험 지원",
}
JOB_STATUSES = {"planned": "예정", "done": "완료"}
FUNDING_SOURCES = ("national", "city", "district", "fund")


class DomainError(ValueError):
    """A rule of the domain was broken; the message is Korean, for a person."""


@dataclass(frozen=True)
class Market:
    id: str
    name: str
    store_count: int | None = None


@dataclass(frozen=True)
class JobSite:
    market_id: str
    market_name: str
    units: int | None = None


@dataclass(frozen=True)
class SafetyJob:
    id: str
    code: str
    kind: str
    title: str
    status: str
    sites: tuple[JobSite, ...] = ()
    starts: date | None = None
    ends: date | None = None
    budget_krw: int | None = None
    funding_ratio_pct: dict[str, int] | None = None
    # Totals a report prints when it does not name every site (e.g. "9개 시장, 총418개").
    market_count: int | None = None
    total_units: int | None = None

    @property
    def kind_name(self) -> str:
        return JOB_KINDS[self.kind]

    @property
    def status_name(self) -> str:
        return JOB_STATUSES[self.status]

    @property
    def funding_split_krw(self) -> dict[str, int] | None:
        if self.budget_krw is None or not self.funding_ratio_pct:
            return None
        return split_by_ratio(self.budget_krw, self.funding_ratio_pct)


def check_funding_ratio(ratio: dict[str, int]) -> dict[str, int]:
    """재원비율 in whole percent per source; the shares must add up to 100."""
    unknown = set(ratio) - set(FUNDING_SOURCES)
    if unknown:
        raise DomainError(f"알 수 없는 재원입니다: {', '.join(sorted(unknown))}")
    if any(isinstance(p, bool) or not isinstance(p, int) or p <= 0 for p in ratio.values()):
        raise DomainError("재원비율은 1 이상의 정수(%)여야 합니다.")
    if sum(ratio.values()) != 100:
        raise DomainError(f"재원비율의 합이 100%가 아닙니다: {sum(ratio.values())}%")
    return ratio


def split_by_ratio(amount_krw: int, ratio: dict[str, int]) -> dict[str, int]:
    """Share an amount by 재원비율 in whole KRW; the shares always add up to the amount.

    Each source gets the floor of its share; the won left over go one by one to the
    largest remainders (ties to the source listed first in 국비·시비·구비·기금 order).
    """
    check_funding_ratio(ratio)
    if amount_krw < 0:
        raise DomainError("금액은 0원 이상이어야 합니다.")
    order = [s for s in FUNDING_SOURCES if s in ratio]
    floors = {s: amount_krw * ratio[s] // 100 for s in order}
    remainders = {s: amount_krw * ratio[s] % 100 for s in order}
    left = amount_krw - sum(floors.values())
    for s in sorted(order, key=lambda s: -remainders[s])[:left]:
        floors[s] += 1
    return floors


def plan_safety_job(job: SafetyJob) -> SafetyJob:
    """Check a safety job before it is recorded."""
    if job.kind not in JOB_KINDS:
        raise DomainError(f"알 수 없는 안전사업 종류입니다: {job.kind}")
    if job.status not in JOB_STATUSES:
        raise DomainError(f"안전사업 상태는 예정(planned) 또는 완료(done)입니다: {job.status}")
    if not job.title.strip():
        raise DomainError("안전사업명을 입력해 주세요.")
    if job.starts and job.ends and job.ends < job.starts:
        raise DomainError(f"{job.title}: 종료일이 시작일보다 빠릅니다.")
    if job.budget_krw is not None and job.budget_krw < 0:
        raise DomainError(f"{job.title}: 사업비는 0원 이상이어야 합니다.")
    if job.funding_ratio_pct is not None:
        check_funding_ratio(job.funding_ratio_pct)
    market_ids = [s.market_id for s in job.sites]
    if len(set(market_ids)) != len(market_ids):
        raise DomainError(f"{job.title}: 같은 시장을 두 번 넣을 수 없습니다.")
    if any(s.units is not None and s.units <= 0 for s in job.sites):
        raise DomainError(f"{job.title}: 설치 수량은 1 이상이어야 합니다.")
    if job.market_count is not None and job.market_count < len(job.sites):
        raise DomainError(f"{job.title}: 대상 시장 수가 등록된 시장보다 적습니다.")
    named_units = sum(s.units or 0 for s in job.sites)
    if job.total_units is not None and job.total_units < named_units:
        raise DomainError(f"{job.title}: 총 수량이 시장별 수량의 합보다 적습니다.")
    return job
