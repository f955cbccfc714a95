"""Builders the applicants tests share: valid 주민등록번호, applications, recruitments."""

from __future__ import annotations

import random
from datetime import date

from stdnum.kr import rrn as stdnum_rrn


def make_rrn(birth: date, sex: str = "M", rng: random.Random | None = None) -> str:
    """A checksum-valid RRN for a birth date and sex (random place and serial)."""
    rng = rng or random.Random()
    century = {1900: ("1", "2"), 2000: ("3", "4")}[birth.year // 100 * 100]
    digit = century[0] if sex == "M" else century[1]
    body = f"{birth:%y%m%d}{digit}{rng.randint(0, 96):02d}{rng.randint(0, 999):03d}"
    return f"{body[:6]}-{body[6:]}{stdnum_rrn.calc_check_digit(body)}"


def application(unique: str, **overrides) -> dict:
    """A valid, eligible application body (a unique person and household)."""
    rng = random.Random(unique + str(sorted(overrides.items())))
    body = {
        "name": "홍길동",
        "rrn": make_rrn(date(1980, rng.randint(1, 12), rng.randint(1, 28)), "M", rng),
        "address": f"서울특별시 영등포구 당산로 {rng.randint(1, 99999)} {unique}호",
        "phone": f"010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        "household_size": 2,
        "household_members": [{"relation": "배우자", "birth_year": 1981}],
        "property_krw": 50_000_000,
        "monthly_income_krw": 1_500_000,
        "priority_groups": [],
        "past_participations": 0,
        "preferences": ["safe"],
    }
    body.update(overrides)
    return body


def program(code="safe", quota=3, **overrides) -> dict:
    return {
        "code": code,
        "quota": quota,
        "hourly_wage": 9620,
        "work_starts": "2027-03-02",
        "work_ends": "2027-06-30",
        "daily_hours": 5,
        **overrides,
    }
