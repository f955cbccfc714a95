"""A year's programs from the finance team's sheet, laid out as the report's 예산현황 and
per-program tables: one row per 단위사업 (예산액) or 세부사업 (국비·시비·구비·기금), in 천원.

Pure checks: every row is read and every error reported (row, column, Korean message)
before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMNS = ("구분", "코드", "사업명", "담당팀", "단위사업", "예산액", "국비", "시비", "구비", "기금")
REQUIRED = ("구분", "사업명")
SOURCE_COLUMNS = {"국비": "national", "시비": "city", "구비": "district", "기금": "fund"}
KINDS = {"단위사업": "unit", "세부사업": "sub"}


@dataclass
class ProgramRow:
    line: int
    kind: str  # unit | sub
    name: str
    section: str = ""
    team: str = ""
    unit_name: str = ""
    budget_krw: int = 0
    sources: dict[str, int] = field(default_factory=dict)


def _thousand(text: str) -> int | None:
    """'1,234' 천원 -> 1,234,000 원; blank -> 0; anything else -> None."""
    cleaned = text.replace(",", "").strip()
    if not cleaned:
        return 0
    if not cleaned.isdigit():
        return None
    return int(cleaned) * 1000


def check_rows(rows: list[dict]) -> tuple[list[ProgramRow], list[dict]]:
    checked: list[ProgramRow] = []
    errors: list[dict] = []
    names: dict[str, int] = {}
    codes: dict[str, int] = {}

    def error(line: int, column: str, message: str) -> None:
        errors.append({"row": line, "column": column, "message": message})

    for raw in rows:
        line = raw["_line"]
        value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
        kind = KINDS.get(value["구분"])
        if kind is None:
            error(line, "구분", "구분은 '단위사업' 또는 '세부사업'이어야 합니다.")
            continue
        if not value["사업명"]:
            error(line, "사업명", "사업명을 입력해 주세요.")
            continue
        row = ProgramRow(line, kind, value["사업명"], value["코드"], value["담당팀"],
                         value["단위사업"])  # fmt: skip
        if kind == "unit":
            budget = _thousand(value["예산액"])
            if budget is None:
                error(line, "예산액", "예산액은 천원 단위의 0 이상 정수여야 합니다.")
                continue
            if value["사업명"] in names:
                error(line, "사업명", f"{names[value['사업명']]}행과 같은 단위사업명입니다.")
                continue
            names[value["사업명"]] = line
            row.budget_krw = budget
        else:
            if not value["코드"]:
                error(line, "코드", "세부사업 코드(예: Ⅱ.2)를 입력해 주세요.")
                continue
            if value["코드"] in codes:
                error(line, "코드", f"{codes[value['코드']]}행과 같은 세부사업 코드입니다.")
                continue
            bad = False
            for column, source in SOURCE_COLUMNS.items():
                amount = _thousand(value[column])
                if amount is None:
                    error(line, column, f"{column}는 천원 단위의 0 이상 정수여야 합니다.")
                    bad = True
                elif amount:
                    row.sources[source] = amount
            if bad:
                continue
            if not row.sources:
                error(
                    line, "국비", "재원(국비·시비·구비·기금) 중 하나 이상에 예산액을 넣어 주세요."
                )
                continue
            codes[value["코드"]] = line
        checked.append(row)
    return checked, errors
