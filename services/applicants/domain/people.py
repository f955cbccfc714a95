"""Personal facts read from what an applicant typed: RRN, phone, address, masks.

Plain Python; nothing here stores or logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

DISTRICT = "영등포구"
# 영등포구 행정동 (18) and the 법정동 names people also write.
DONGS = (
    "영등포본동", "영등포동", "여의동", "여의도동", "당산1동", "당산2동", "당산동",
    "도림동", "문래동", "양평1동", "양평2동", "양평동", "신길1동", "신길3동", "신길4동",
    "신길5동", "신길6동", "신길7동", "신길동", "대림1동", "대림2동", "대림3동", "대림동",
)  # fmt: skip
_OTHER_GU = re.compile(r"([가-힣]+)구(?![가-힣])")
_PHONE = re.compile(r"^01[016789]\d{7,8}$")


class InvalidPersonalData(ValueError):
    """Input that is not a valid value at all (a 422 on the field, not a decision)."""


@dataclass(frozen=True)
class Identity:
    rrn: str  # 13 digits, no hyphen
    birth_date: date
    sex: str  # "M" | "F"

    def age_on(self, day: date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


# 7th digit → (century, sex). 1-4: 내국인, 5-8: 외국인등록번호, 9/0: born in the 1800s.
_CENTURY_SEX = {
    "1": (1900, "M"), "2": (1900, "F"), "3": (2000, "M"), "4": (2000, "F"),
    "5": (1900, "M"), "6": (1900, "F"), "7": (2000, "M"), "8": (2000, "F"),
    "9": (1800, "M"), "0": (1800, "F"),
}  # fmt: skip


def parse_rrn(value: str, today: date | None = None) -> Identity:
    """Check a 주민등록번호 or 외국인등록번호 and read birth date and sex.

    Since the reform of October 2020 the last six digits are random: no region code and
    no check digit. So only what holds for every number a resident can hold is checked:
    13 digits (a hyphen after the 6th allowed), a real birth date not in the future, and
    the 7th digit (sex and century; 5-8 for 외국인등록번호). Old numbers pass too.
    """
    number = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{13}", number):
        raise InvalidPersonalData(
            "주민등록번호는 숫자 13자리여야 합니다(생년월일 6자리와 뒤 7자리)."
        )
    century, sex = _CENTURY_SEX[number[6]]
    try:
        born = date(century + int(number[:2]), int(number[2:4]), int(number[4:6]))
    except ValueError as exc:
        raise InvalidPersonalData("주민등록번호 앞 6자리가 올바른 생년월일이 아닙니다.") from exc
    if born > (today or date.today()):
        raise InvalidPersonalData(
            "주민등록번호의 생년월일이 미래입니다. 7번째 자리를 확인해 주세요."
        )
    return Identity(number, born, sex)


def normalise_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if not _PHONE.match(digits):
        raise InvalidPersonalData("휴대전화 번호 형식이 아닙니다(예: 010-1234-5678).")
    return digits


def in_district(address: str) -> bool:
    """A simple rule: names 영등포구, or a 영등포구 dong and no other 구."""
    if DISTRICT in address:
        return True
    if any(m.group(1) + "구" != DISTRICT for m in _OTHER_GU.finditer(address)):
        return False
    return any(dong in address for dong in DONGS)


def normalise_address(address: str) -> str:
    """Household key material: no spaces, punctuation or city prefix."""
    text = re.sub(r"[\s,.\-()·]", "", address)
    for prefix in ("서울특별시", "서울시", "서울"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return text


def mask_rrn(rrn: str) -> str:
    return f"{rrn[:6]}-{rrn[6]}******"


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}-****-{phone[-4:]}"


def mask_name(name: str) -> str:
    name = name.strip()
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_address(address: str) -> str:
    words = address.split()
    return " ".join(words[:2] + ["***"]) if len(words) > 2 else "***"
