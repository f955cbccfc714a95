"""Read the 2022 report transcribed as TOML, and recompute its rates.

Pure stdlib: the demo data files under ``services/*/demo/`` are read with
:mod:`tomllib`, and rates are recomputed the way the report prints them
(percent, rounded half-up to one decimal).
"""

from __future__ import annotations

import tomllib
from decimal import ROUND_HALF_UP, Decimal
from os import PathLike
from typing import Any

_ONE_DECIMAL = Decimal("0.1")


def load(path: str | PathLike[str]) -> dict[str, Any]:
    """Parse one TOML data file and return its top-level table."""
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def rate_pct(executed: int, budget: int) -> Decimal:
    """집행률: ``executed / budget`` in percent, rounded half-up to one decimal.

    A budget of 0 gives ``Decimal("0.0")`` rather than an error.
    """
    if budget == 0:
        return Decimal("0.0")
    return (Decimal(executed) * 100 / Decimal(budget)).quantize(_ONE_DECIMAL, ROUND_HALF_UP)
