from datetime import date

import pytest

from services.applicants.demo_data import demo_command
from services.applicants.domain.model import DomainError, ProgramOffer, open_recruitment


def offer(code="safe", quota=10, wage=9160, starts=date(2022, 1, 1), ends=date(2022, 6, 30)):
    return ProgramOffer(code, quota, wage, starts, ends)


def test_demo_recruitment_matches_the_report():
    cmd = demo_command()
    recruitment = open_recruitment("r", cmd.title, cmd.year, cmd.half, list(cmd.programs))
    assert {p.name: p.quota for p in recruitment.programs} == {
        "안심일자리": 414,
        "지역공동체일자리": 29,
        "지역방역일자리": 71,
        "청년드림나래": 46,
    }
    assert recruitment.total_quota == 560
    assert {p.code: p.hourly_wage for p in recruitment.programs}["youth"] == 10766


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"half": 3}, "반기"),
        ({"programs": []}, "하나 이상"),
        ({"programs": [offer(), offer()]}, "두 번"),
        ({"programs": [offer(code="golf")]}, "사업 코드"),
        ({"programs": [offer(quota=0)]}, "선발인원"),
        ({"programs": [offer(wage=0)]}, "시급"),
        ({"programs": [offer(starts=date(2022, 7, 1))]}, "종료일"),
    ],
)
def test_broken_rules_are_explained_in_korean(kwargs, message):
    args = {"id": "r", "title": "t", "year": 2022, "half": 1, "programs": [offer()]} | kwargs
    with pytest.raises(DomainError, match=message):
        open_recruitment(**args)
