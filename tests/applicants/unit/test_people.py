from datetime import date

import pytest
from builders_applicants import make_rrn

from services.applicants.domain import people


def test_rrn_gives_birth_date_sex_and_age_at_work_start():
    identity = people.parse_rrn(make_rrn(date(1957, 3, 10), "F"))
    assert identity.birth_date == date(1957, 3, 10)
    assert identity.sex == "F"
    assert identity.age_on(date(2022, 3, 9)) == 64  # the day before the birthday
    assert identity.age_on(date(2022, 3, 10)) == 65


def test_rrn_of_the_2000s_century_digit():
    identity = people.parse_rrn(make_rrn(date(2004, 12, 31), "M"))
    assert (identity.birth_date, identity.sex) == (date(2004, 12, 31), "M")


@pytest.mark.parametrize("bad", ["", "900101-123456", "901301-1234567", "abcdef-1234567"])
def test_malformed_rrn_is_refused_without_echoing_it(bad):
    with pytest.raises(people.InvalidPersonalData) as info:
        people.parse_rrn(bad)
    assert "주민등록번호" in str(info.value)
    assert not bad or bad not in str(info.value)


def test_numbers_issued_since_the_2020_reform_are_accepted():
    """Random last six digits: no region code, no check digit (the old checksum fails)."""
    good = make_rrn(date(1990, 1, 1))
    reissued = good[:-1] + str((int(good[-1]) + 1) % 10)  # checksum no longer holds
    identity = people.parse_rrn(reissued)
    assert (identity.birth_date, identity.sex) == (date(1990, 1, 1), "M")
    assert people.parse_rrn("210315-4000000").birth_date == date(2021, 3, 15)


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [("850607-5123456", date(1985, 6, 7), "M"), ("920211-6000001", date(1992, 2, 11), "F"),
     ("030102-7999999", date(2003, 1, 2), "M"), ("050505-8123123", date(2005, 5, 5), "F")],
)  # fmt: skip
def test_foreigner_registration_numbers_are_accepted(number, born, sex):
    identity = people.parse_rrn(number)
    assert (identity.birth_date, identity.sex) == (born, sex)


@pytest.mark.parametrize("bad", ["900230-1234567", "991231-3000000", "900101-12345678"])
def test_impossible_date_or_future_birth_is_refused(bad):
    with pytest.raises(people.InvalidPersonalData):
        people.parse_rrn(bad, today=date(2026, 11, 25))


def test_masks():
    assert people.mask_rrn("9001011234567") == "900101-1******"
    assert people.mask_phone("01012345678") == "010-****-5678"
    assert people.mask_name("홍길동") == "홍*동"
    assert people.mask_name("남궁민수") == "남**수"
    assert people.mask_name("이훈") == "이*"
    assert people.mask_address("서울특별시 영등포구 당산로 123") == "서울특별시 영등포구 ***"


@pytest.mark.parametrize(
    ("raw", "digits"), [("010-1234-5678", "01012345678"), ("011 234 5678", "0112345678")]
)
def test_phone_is_normalised(raw, digits):
    assert people.normalise_phone(raw) == digits


@pytest.mark.parametrize("bad", ["02-123-4567", "010-12-34", "phone"])
def test_non_mobile_phone_is_refused(bad):
    with pytest.raises(people.InvalidPersonalData):
        people.normalise_phone(bad)


@pytest.mark.parametrize(
    ("address", "inside"),
    [
        ("서울특별시 영등포구 당산로 123", True),
        ("서울 당산2동 12-3", True),
        ("여의도동 1", True),
        ("서울특별시 마포구 양화로 45", False),
        ("인천광역시 남동구 도림동 1", False),  # a 도림동 outside the district
        ("서울특별시 강서구 화곡동 1", False),
    ],
)
def test_district_rule(address, inside):
    assert people.in_district(address) is inside


def test_household_key_material_ignores_spacing_and_city_prefix():
    a = people.normalise_address("서울특별시 영등포구 당산로 123, 101동 202호")
    b = people.normalise_address("영등포구  당산로123 101동202호")
    assert a == b
