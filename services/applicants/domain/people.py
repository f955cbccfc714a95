"""Personal facts read from what an applicant typed: RRN, phone, address, masks.

Plain Python: python-stdnum checks the 주민등록번호; nothing here stores or logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.kr import rrn as stdnum_rrn

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


def parse_rrn(value: str) -> Identity:
    """Check the 주민등록번호 (format, date, checksum) and read birth date and sex."""
    try:
        number = stdnum_rrn.validate(value.strip())
    except StdnumError as exc:
        raise InvalidPersonalData(
            "주민등록번호가 올바르지 않습니다(형식·생년월일·검증번호)."
        ) from exc
    sex = "M" if int(number[6]) % 2 == 1 else "F"
    return Identity(number, stdnum_rrn.get_birth_date(number), sex)


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
