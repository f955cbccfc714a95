"""예산현황 (집행률) as of a date, computed from the ledger alone."""

from __future__ import annotations

from datetime import date

from ..adapters import ledger_repo as repo
from ..adapters import repository
from ..domain.model import SOURCE_NAMES, SOURCE_ORDER, UnknownFiscalYear
from ..domain.report import ExecutionRow, total_row

GROUPINGS = ("unit_program", "sub_program", "source")


def execution(
    runtime, year: int, as_of: date, by: str = "unit_program"
) -> tuple[list[ExecutionRow], ExecutionRow]:
    """Rows (budget and executed as of ``as_of``) and their total."""
    with runtime.db.read() as session:
        if not repository.fiscal_year_exists(session, year):
            raise UnknownFiscalYear(year)
        sums = repo.sums_as_of(session, year, as_of)
        accounts = repo.account_rows(session, year)
        if by == "unit_program":
            programs = [(u.id, u.name) for u in repository.list_unit_programs(session, year)]
        else:
            programs = [
                (s.id, f"{s.section} {s.title}")
                for s in repository.list_sub_programs(session, year)
            ]

    def figures(selected) -> tuple[int, int, int]:
        sums_of = [sums.get(a["id"], (0, 0, 0)) for a in selected]
        budget, committed, spent = (sum(f[i] for f in sums_of) for i in range(3))
        return budget, spent, committed

    rows: list[ExecutionRow] = []
    if by == "source":
        subs = [a for a in accounts if a["program_kind"] == "sub"]
        for source in SOURCE_ORDER:
            mine = [a for a in subs if a["source"] == source]
            if mine:
                rows.append(
                    ExecutionRow(SOURCE_NAMES[source], *figures(mine)[:2], source, figures(mine)[2])
                )
    else:
        for program_id, label in programs:
            mine = [a for a in accounts if a["program_id"] == program_id]
            rows.append(ExecutionRow(label, *figures(mine)[:2], program_id, figures(mine)[2]))
    return rows, total_row(rows)
