"""Postings planned as pure functions, and an in-memory book that applies them.

The database service layer uses the same ``plan_*`` functions and enforces the same
limits with conditional UPDATEs; :class:`Book` is the executable specification the
property-based tests run random sequences against.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from .ledger import Balance, Delta, InsufficientFunds, delta_for
from .model import DomainError
from .split import source_rank, split_krw


def plan_commitment(amount: int, weights: Mapping[str, int]) -> dict[str, int]:
    """The commitment's share per source (sources with a zero share left out)."""
    return {s: a for s, a in split_krw(amount, weights).items() if a}


def plan_expenditure(amount: int, outstanding: Mapping[str, int]) -> dict[str, int]:
    """Split a payment across what is left of a commitment, source by source."""
    left = sum(outstanding.values())
    if amount <= 0:
        raise DomainError("지출액은 1원 이상이어야 합니다.")
    if amount > left:
        raise InsufficientFunds(amount, left, "지출원인행위 잔액")
    return {s: a for s, a in split_krw(amount, outstanding).items() if a}


def plan_release(outstanding: Mapping[str, int]) -> dict[str, int]:
    """Release everything a commitment still holds."""
    plan = {s: a for s, a in sorted(outstanding.items(), key=lambda i: source_rank(i[0])) if a}
    if not plan:
        raise DomainError("해제할 지출원인행위 잔액이 없습니다.")
    return plan


@dataclass(frozen=True)
class Entry:
    id: int
    document: str
    program: str
    source: str
    kind: str
    delta: Delta
    commitment: str | None = None
    reverses: int | None = None


class Book:
    """Balances per (program, source) derived from immutable entries."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.balances: dict[tuple[str, str], Balance] = {}
        self.reversed: set[str] = set()
        self._ids = itertools.count(1)

    def _post(self, document: str, program: str, lines: list[tuple[str, str, Delta]], **kw):
        """Apply all lines or none (checks first, then records)."""
        after = dict(self.balances)
        for source, _kind, delta in lines:
            key = (program, source)
            after[key] = after.get(key, Balance()).apply(delta)
        self.balances = after
        for source, kind, delta in lines:
            self.entries.append(
                Entry(next(self._ids), document, program, source, kind, delta, **kw)
            )

    def appropriate(self, program: str, source: str, amount: int, doc: str) -> None:
        self._post(doc, program, [(source, "appropriation", delta_for("appropriation", amount))])

    def commit(self, doc: str, program: str, amount: int, weights: Mapping[str, int]) -> None:
        plan = plan_commitment(amount, weights)
        lines = [(s, "commitment", delta_for("commitment", a)) for s, a in plan.items()]
        self._post(doc, program, lines, commitment=doc)

    def outstanding(self, commitment: str) -> dict[str, int]:
        left: dict[str, int] = {}
        for e in self.entries:
            if e.commitment == commitment:
                left[e.source] = left.get(e.source, 0) + e.delta.committed - e.delta.spent
        return left

    def program_of(self, commitment: str) -> str:
        return next(e.program for e in self.entries if e.document == commitment)

    def spend(self, doc: str, commitment: str, amount: int) -> None:
        plan = plan_expenditure(amount, self.outstanding(commitment))
        lines = [(s, "expenditure", delta_for("expenditure", a)) for s, a in plan.items()]
        self._post(doc, self.program_of(commitment), lines, commitment=commitment)

    def release(self, doc: str, commitment: str) -> None:
        plan = plan_release(self.outstanding(commitment))
        lines = [(s, "release", delta_for("release", a)) for s, a in plan.items()]
        self._post(doc, self.program_of(commitment), lines, commitment=commitment)

    def transfer(self, doc: str, src: tuple[str, str], dst: tuple[str, str], amount: int):
        out = (src[1], "transfer_out", delta_for("transfer_out", amount))
        self._post(doc, src[0], [out])
        try:
            self._post(doc, dst[0], [(dst[1], "transfer_in", delta_for("transfer_in", amount))])
        except DomainError:  # cannot happen for a positive amount; keep all-or-nothing
            raise

    def reverse(self, document: str) -> None:
        """Reverse every entry of a document (once); a commitment only while untouched."""
        if document in self.reversed:
            raise DomainError("이미 정정(역분개)된 전표입니다.")
        mine = [e for e in self.entries if e.document == document and e.reverses is None]
        if not mine:
            raise DomainError("전표를 찾을 수 없습니다.")
        if mine[0].kind == "commitment":
            others = [
                e for e in self.entries if e.commitment == document and e.document != document
            ]
            if any(e.document not in self.reversed for e in others):
                raise DomainError("지출 또는 해제가 있는 지출원인행위는 정정할 수 없습니다.")
        by_program: dict[str, list] = {}
        for e in mine:
            by_program.setdefault(e.program, []).append((e.source, "reversal", e.delta.negated()))
        for program, lines in by_program.items():
            self._post(document + ":rev", program, lines, commitment=mine[0].commitment)
        self.reversed.add(document)

    def totals(self, program: str) -> Balance:
        out = Balance()
        for (p, _s), b in self.balances.items():
            if p == program:
                out = Balance(
                    out.appropriated + b.appropriated,
                    out.committed + b.committed,
                    out.spent + b.spent,
                )
        return out
