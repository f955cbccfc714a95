"""What a caller asks the ledger to do: small frozen dataclasses (imperative names)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import DomainError


@dataclass(frozen=True)
class CommitFunds:
    """지출원인행위: reserve ``amount_krw`` of a program, split by source."""

    program_id: str
    amount_krw: int
    user: str
    idempotency_key: str
    reference: str | None = None
    application_id: str | None = None
    split: dict[str, int] | None = None  # explicit KRW per source
    ratio: dict[str, int] | None = None  # weights per source (else the appropriation's)
    extra: dict = field(default_factory=dict)  # echoed in the events


@dataclass(frozen=True)
class PostExpenditure:
    """지출: pay ``amount_krw`` out of a commitment (wholly or partly)."""

    commitment_id: str
    amount_krw: int
    user: str
    idempotency_key: str
    reference: str | None = None
    weights: dict[str, int] | None = None  # 재원비율 of the payment (else what is left)


@dataclass(frozen=True)
class ReleaseCommitment:
    commitment_id: str
    user: str
    reason: str
    expected_krw: int | None = None  # the amount the person confirmed (refused if changed)


@dataclass(frozen=True)
class ReverseDocument:
    document_id: str
    user: str
    reason: str


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    """Segregation of duties: the same person may not do both steps."""


class Conflict(DomainError):
    pass
