"""Selection at scale: the pure allocation of 560 places in 4 programs.

    .venv/bin/python bench/applicants_selection.py [N ...]     (default: 100000 1000000)

Synthetic applicants (fixed random seed): 20 % priority-group holders, scores 0–60,
15 % aged 65+, one to four preferences, one household per 1.5 applicants on average
(so households collide). Quotas are the 2022 report's (안심 414, 공동체 29, 방역 71,
청년 46), each program capped at 30 % seniors. Time is measured on a plain run; peak
memory on a second run under tracemalloc (which slows it), allocations of the inputs
excluded. Baseline in the same run: a plain sort of (not priority, -score, id) tuples of
the same applicants. Prints measured figures only; last line ``ratio = X.XX`` (allocation
time / plain sort time, at the largest size).
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from services.applicants.domain.selection import Candidate, Slot, allocate  # noqa: E402

SLOTS = [Slot("safe", 414, 124), Slot("community", 29, 8), Slot("quarantine", 71, 21),
         Slot("youth", 46, 13)]  # fmt: skip
CODES = [s.code for s in SLOTS]


def candidates(n: int) -> list[Candidate]:
    rng = random.Random(20221)
    households = max(1, int(n / 1.5))
    out = []
    for i in range(n):
        prefs = rng.sample(CODES, rng.randint(1, 4))
        out.append(
            Candidate(
                application_id=f"{i:08d}-{rng.getrandbits(64):016x}",
                household_key=f"h{rng.randrange(households)}",
                priority=rng.random() < 0.2,
                score=rng.randint(0, 60),
                senior=rng.random() < 0.15,
                preferences=tuple(prefs),
            )
        )
    return out


def main(sizes: list[int]) -> None:
    ratio = None
    for n in sizes:
        people = candidates(n)
        started = time.perf_counter()
        plain = sorted((not c.priority, -c.score, c.application_id) for c in people)
        baseline = time.perf_counter() - started
        del plain
        started = time.perf_counter()
        result = allocate(people, SLOTS, "bench-seed")
        elapsed = time.perf_counter() - started
        ratio = elapsed / baseline
        tracemalloc.start()
        allocate(people, SLOTS, "bench-seed")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"applicants={n:>9,}  selected={len(result.selected)}  "
            f"waitlisted={len(result.waitlisted):,}  counts={result.counts()}  "
            f"time={elapsed:.2f}s  peak_memory={peak / 2**20:.1f} MiB  "
            f"plain sort of the same tuples={baseline:.2f}s"
        )
    print(f"ratio = {ratio:.2f}")  # the largest size: allocation time / plain sort time


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
