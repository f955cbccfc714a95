from datetime import date

import pytest

from services.applicants.demo_data import demo_command
from services.applicants.domain.model import (
    DomainError,
    ProgramOffer,
    open_recruitment,
    seed_hash_of,
)


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


@pytest.mark.parametrize(
    ("offer_kwargs", "message"),
    [
        ({"daily_hours": 2}, "3~8시간"),
        ({"daily_hours": 9}, "3~8시간"),
        ({"funding_split": {"city": 70, "district": 20}}, "합은 100"),
        ({"funding_split": {"bank": 100}}, "재원 구분"),
        ({"senior_cap": 11}, "65세 이상"),
    ],
)
def test_program_terms_are_checked(offer_kwargs, message):
    bad = ProgramOffer("safe", 10, 9160, date(2022, 1, 1), date(2022, 6, 30), **offer_kwargs)
    with pytest.raises(DomainError, match=message):
        open_recruitment("r", "t", 2022, 1, [bad])


def test_intake_window_and_seed_hash():
    with pytest.raises(DomainError, match="접수 마감일"):
        open_recruitment(
            "r", "t", 2022, 1, [offer()], intake_opens=date(2022, 2, 1),
            intake_closes=date(2022, 1, 1),
        )  # fmt: skip
    with pytest.raises(DomainError, match="sha256"):
        open_recruitment("r", "t", 2022, 1, [offer()], seed_hash="abc")
    r = open_recruitment(
        "r", "t", 2022, 1, [offer()], seed_hash=seed_hash_of("s"),
        intake_opens=date(2021, 12, 1), intake_closes=date(2021, 12, 15),
    )  # fmt: skip
    assert r.seed_hash == "043a718774c572bd8a25adbeb1bfcd5c0256ae11cecf9f9c3f925d0e52beaf89"
    assert not r.intake_open_on(date(2021, 11, 30))
    assert r.intake_open_on(date(2021, 12, 1)) and r.intake_open_on(date(2021, 12, 15))
    assert not r.intake_open_on(date(2021, 12, 16))


def test_demo_terms_follow_the_report():
    cmd = demo_command()
    by_code = {p.code: p for p in cmd.programs}
    assert by_code["safe"].funding_split == {"city": 70, "district": 30}
    assert by_code["quarantine"].funding_split == {"national": 50, "city": 25, "district": 25}
    assert by_code["youth"].funding_split == {"district": 100}
    assert {p.daily_hours for p in cmd.programs} == {8}
    assert cmd.seed_hash == seed_hash_of("ydp-2022-demo-seed")
    assert open_recruitment(
        "r", cmd.title, cmd.year, cmd.half, list(cmd.programs)
    ).work_starts == date(2022, 1, 1)
