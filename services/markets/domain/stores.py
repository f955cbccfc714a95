"""One row of a store import, checked (pure): Korean messages per column."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PHONE = re.compile(r"^01[016789]\d{7,8}$")


@dataclass(frozen=True)
class StoreRow:
    number: int
    name: str
    lane: str | None
    floor: str | None
    map_x: float | None
    map_y: float | None
    merchant_masked: str | None
    phone: str | None
    kakao: bool


def _mask_name(name: str) -> str:
    name = name.strip()
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def check_row(raw: dict) -> tuple[StoreRow | None, list[dict]]:
    errors = []

    def get(column: str) -> str:
        return (raw.get(column) or "").strip()

    number = None
    try:
        number = int(float(get("번호")))
        if number <= 0:
            raise ValueError
    except ValueError:
        errors.append({"column": "번호", "message": "점포 번호는 1 이상의 정수여야 합니다."})
    name = get("상호")
    if not name or len(name) > 100:
        errors.append({"column": "상호", "message": "상호는 1~100자여야 합니다."})
    coords = []
    for column in ("x", "y"):
        try:
            coords.append(float(get(column)) if get(column) else None)
        except ValueError:
            errors.append({"column": column, "message": "배치도 좌표는 숫자여야 합니다."})
            coords.append(None)
    phone = re.sub(r"\D", "", get("휴대전화")) or None
    if phone and not _PHONE.match(phone):
        errors.append(
            {"column": "휴대전화", "message": "휴대전화 번호 형식이 아닙니다(예: 010-1234-5678)."}
        )
    kakao = get("알림톡").upper() in ("Y", "예", "O", "TRUE", "1")
    if errors or number is None:
        return None, errors
    owner = get("점포주")
    return StoreRow(number, name, get("통로") or None, get("층") or None, coords[0], coords[1],
                    _mask_name(owner) if owner else None, phone, kakao), []  # fmt: skip
