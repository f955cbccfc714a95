"""예산현황 (집행률) as of a date, computed from the ledger alone."""

from __future__ import annotations

from datetime import date

from ..adapters import ledger_repo as repo
from ..adapters import repository
from ..domain.model import SOURCE_NAMES, SOURCE_ORDER, UnknownFiscalYear
from ..domain.report import ExecutionRow, total_row

GROUPINGS = ("unit_program", "sub_program", "source")
# A 단위사업's own balance states its budget and 집행액 as opened (the report prints them,
# its 세부사업 included); what happens later on its 세부사업 moves it too.
STATED_AT_OPENING = ("appropriation", "opening")


def execution(
    runtime, year: int, as_of: date, by: str = "unit_program"
) -> tuple[list[ExecutionRow], ExecutionRow]:
    """Rows (budget and executed as of ``as_of``) and their total."""
    later: dict[str, tuple[int, int, int]] = {}
    unit_of: dict[str, str | None] = {}
    with runtime.db.read() as session:
        if not repository.fiscal_year_exists(session, year):
            raise UnknownFiscalYear(year)
        sums = repo.sums_as_of(session, year, as_of)
        accounts = repo.account_rows(session, year)
        if by == "unit_program":
            programs = [(u.id, u.name) for u in repository.list_unit_programs(session, year)]
            later = repo.sums_as_of(session, year, as_of, leave_out=STATED_AT_OPENING)
            unit_of = {s.id: s.unit_program_id for s in repository.list_sub_programs(session, year)}
        else:
            programs = [
                (s.id, f"{s.section} {s.title}")
                for s in repository.list_sub_programs(session, year)
            ]

    def figures(selected, moved=()) -> tuple[int, int, int]:
        sums_of = [sums.get(a["id"], (0, 0, 0)) for a in selected]
        sums_of += [later.get(a["id"], (0, 0, 0)) for a in moved]
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
            moved = [a for a in accounts if a["program_kind"] == "sub"
                     and by == "unit_program" and unit_of.get(a["program_id"]) == program_id]  # fmt: skip
            budget, spent, committed = figures(mine, moved)
            rows.append(ExecutionRow(label, budget, spent, program_id, committed))
    return rows, total_row(rows)
