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


def plan_payment(
    amount: int, outstanding: Mapping[str, int], weights: Mapping[str, int] | None = None
) -> dict[str, int]:
    """A payment split by ``weights`` (the commitment's 재원비율) in whole won, where every
    source still holds its share; else, and for the payment that closes the commitment,
    across what is left of it (:func:`plan_expenditure`), so nothing is left over."""
    if weights and 0 < amount < sum(outstanding.values()):
        plan = {s: a for s, a in split_krw(amount, weights).items() if a}
        if all(a <= outstanding.get(s, 0) for s, a in plan.items()):
            return plan
    return plan_expenditure(amount, outstanding)


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

    def _post(self, document: str, lines: list[tuple[str, str, str, Delta]], **kw) -> None:
        """Apply all lines (program, source, kind, delta) or none: check, then record."""
        after = dict(self.balances)
        for program, source, _kind, delta in lines:
            key = (program, source)
            after[key] = after.get(key, Balance()).apply(delta)
        self.balances = after
        for program, source, kind, delta in lines:
            self.entries.append(
                Entry(next(self._ids), document, program, source, kind, delta, **kw)
            )

    def appropriate(self, program: str, source: str, amount: int, doc: str) -> None:
        self._post(doc, [(program, source, "appropriation", delta_for("appropriation", amount))])

    def commit(self, doc: str, program: str, amount: int, weights: Mapping[str, int]) -> None:
        plan = plan_commitment(amount, weights)
        lines = [(program, s, "commitment", delta_for("commitment", a)) for s, a in plan.items()]
        self._post(doc, lines, commitment=doc)

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
        program = self.program_of(commitment)
        lines = [(program, s, "expenditure", delta_for("expenditure", a)) for s, a in plan.items()]
        self._post(doc, lines, commitment=commitment)

    def release(self, doc: str, commitment: str) -> None:
        plan = plan_release(self.outstanding(commitment))
        program = self.program_of(commitment)
        lines = [(program, s, "release", delta_for("release", a)) for s, a in plan.items()]
        self._post(doc, lines, commitment=commitment)

    def transfer(self, doc: str, src: tuple[str, str], dst: tuple[str, str], amount: int):
        if src == dst:
            raise DomainError("같은 예산 과목으로는 전용할 수 없습니다.")
        out = (*src, "transfer_out", delta_for("transfer_out", amount))
        self._post(doc, [out, (*dst, "transfer_in", delta_for("transfer_in", amount))])

    def reverse(self, document: str) -> None:
        """Reverse every entry of a document (once); a commitment only while untouched."""
        if document in self.reversed:
            raise DomainError("이미 정정(역분개)된 전표입니다.")
        mine = [e for e in self.entries if e.document == document and e.reverses is None]
        if not mine:
            raise DomainError("전표를 찾을 수 없습니다.")
        if mine[0].kind == "commitment":
            others = [
                e
                for e in self.entries
                if e.commitment == document and e.document != document and e.kind != "reversal"
            ]
            if any(e.document not in self.reversed for e in others):
                raise DomainError("지출 또는 해제가 있는 지출원인행위는 정정할 수 없습니다.")
        lines = [(e.program, e.source, "reversal", e.delta.negated()) for e in mine]
        self._post(document + ":rev", lines, commitment=mine[0].commitment)
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
