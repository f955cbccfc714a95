from datetime import date

from services.applicants.domain.wages import daily_hours_for, wage_commitment, working_days


def test_working_days_exclude_weekends_and_korean_holidays():
    # January 2022: 21 weekdays; 1/31 is 설날 연휴 (Monday) -> 20
    assert working_days(date(2022, 1, 1), date(2022, 1, 31)) == 20
    # 2022-03-01 삼일절 (Tuesday), 2022-03-09 대통령선거일 (Wednesday): 23 weekdays - 2
    assert working_days(date(2022, 3, 1), date(2022, 3, 31)) == 21
    assert working_days(date(2022, 3, 5), date(2022, 3, 6)) == 0  # a weekend
    assert working_days(date(2022, 3, 7), date(2022, 3, 1)) == 0  # empty period


def test_seniors_work_three_hours():
    assert daily_hours_for(8, 64, 65, 3) == 8
    assert daily_hours_for(8, 65, 65, 3) == 3
    assert daily_hours_for(3, 70, 65, 3) == 3


def test_commitment_is_hours_times_wage_times_days():
    assert wage_commitment(8, 9160, 20) == 1_465_600
