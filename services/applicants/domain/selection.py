"""Selection: a pure, reproducible allocation of eligible applicants to program places.

Order: priority-group holders first, then score (high first), then a seeded draw
(sha256 of ``seed:application_id``), so ties are broken by a number nobody chose and
anyone holding the published seed can recompute. Each candidate takes the first of
their preferences that still has a place (and, if 65+, room under the program's senior
cap); one person per household; households already placed elsewhere in the period are
skipped. Everyone eligible but not placed is waitlisted in that same order.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    application_id: str
    household_key: str
    priority: bool
    score: int
    senior: bool
    preferences: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    code: str
    quota: int
    senior_cap: int | None = None


@dataclass(frozen=True)
class Placement:
    application_id: str
    program_code: str
    rank: int  # position in the overall order, 1-based


@dataclass(frozen=True)
class Waitlisted:
    application_id: str
    rank: int  # position on the waitlist, 1-based


@dataclass(frozen=True)
class Allocation:
    selected: tuple[Placement, ...]
    waitlisted: tuple[Waitlisted, ...]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.selected:
            out[p.program_code] = out.get(p.program_code, 0) + 1
        return out


def draw_key(seed: str, application_id: str) -> str:
    return hashlib.sha256(f"{seed}:{application_id}".encode()).hexdigest()


def order(candidates: Iterable[Candidate], seed: str) -> list[Candidate]:
    """Priority first, then score (high first), then the draw: the same order as sorting
    by (not priority, -score, draw_key), with one bytes key per candidate (a million
    tuples of a bool, an int and a 64-character string sort several times slower)."""
    people = list(candidates)
    prefix = f"{seed}:".encode()
    sha256 = hashlib.sha256
    keys = [
        (b"\x00" if c.priority else b"\x01")
        + (2**31 - 1 - c.score).to_bytes(4, "big")  # high score first
        + sha256(prefix + c.application_id.encode()).digest()  # same order as its hex
        for c in people
    ]
    return [people[i] for i in sorted(range(len(people)), key=keys.__getitem__)]


def allocate(
    candidates: Iterable[Candidate],
    slots: Iterable[Slot],
    seed: str,
    excluded_households: frozenset[str] = frozenset(),
) -> Allocation:
    slot_by_code = {s.code: s for s in slots}
    left = {s.code: s.quota for s in slot_by_code.values()}
    seniors = dict.fromkeys(slot_by_code, 0)
    taken = set(excluded_households)
    open_programs = sum(1 for v in left.values() if v > 0)
    selected: list[Placement] = []
    waitlisted: list[Waitlisted] = []
    with _no_gc():  # a million new objects, none of them garbage
        for rank, c in enumerate(order(candidates, seed), start=1):
            placed = None
            if open_programs and c.household_key not in taken:
                placed = _first_fit(c, slot_by_code, left, seniors)
            if placed is None:
                waitlisted.append(Waitlisted(c.application_id, len(waitlisted) + 1))
                continue
            left[placed] -= 1
            open_programs -= left[placed] == 0
            seniors[placed] += c.senior
            taken.add(c.household_key)
            selected.append(Placement(c.application_id, placed, rank))
        return Allocation(tuple(selected), tuple(waitlisted))


@contextmanager
def _no_gc():
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _first_fit(c: Candidate, slots: dict[str, Slot], left: dict, seniors: dict) -> str | None:
    for code in c.preferences:
        slot = slots.get(code)
        if slot is None or left[code] <= 0:
            continue
        if c.senior and slot.senior_cap is not None and seniors[code] >= slot.senior_cap:
            continue
        return code
    return None


def next_in_line(
    waitlist: Iterable[tuple[Candidate, int]],
    program: Slot,
    seniors_in_program: int,
    taken_households: frozenset[str],
) -> Candidate | None:
    """Who a freed place in ``program`` goes to: the best-ranked waitlisted person who
    listed it, whose household has no one placed, and who fits the senior cap."""
    for c, _rank in sorted(waitlist, key=lambda pair: pair[1]):
        if program.code not in c.preferences or c.household_key in taken_households:
            continue
        if c.senior and program.senior_cap is not None and seniors_in_program >= program.senior_cap:
            continue
        return c
    return None
