"""Check the ledger's hash chains: ``python -m services.budget.verify [--year 2022]``.

Exit status 0 when every chain is intact, 1 when anything was edited or deleted.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="예산 원장 위·변조 검사")
    parser.add_argument("--year", type=int, default=None)
    args = parser.parse_args(argv)
    from . import create_app
    from .service_layer.ledger import verify

    runtime = create_app().extensions["runtime"]
    checked, findings = verify(runtime, args.year)
    for f in findings:
        print(f"{f.account_id} #{f.account_seq or '-'}: {f.problem}")
    print(f"검사한 원장 항목 {checked}건, 이상 {len(findings)}건")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
