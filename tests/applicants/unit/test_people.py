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


def test_wrong_check_digit_is_refused():
    good = make_rrn(date(1990, 1, 1))
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(people.InvalidPersonalData):
        people.parse_rrn(wrong)


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
