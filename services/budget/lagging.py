"""``python -m services.budget.lagging --year 2022 --as-of 2022-08-31 --expected 60``:
alert finance (``budget.execution_lagging``) for each 단위사업 whose 집행률 lags."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from decimal import Decimal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="집행률 부진 사업 알림")
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--expected", type=Decimal, required=True, help="기대 집행률(%)")
    args = parser.parse_args(argv)
    from . import create_app
    from .service_layer.events import check_execution_lag

    runtime = create_app().extensions["runtime"]
    for r in check_execution_lag(runtime, args.year, args.as_of, args.expected):
        print(f"{r.label}: {r.rate_pct}% < {args.expected}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
