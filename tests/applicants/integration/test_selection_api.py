"""The draw through the API: seed commitment, quotas, households, events, retraction."""

from datetime import date, timedelta

import holidays
from builders_applicants import application, make_rrn, program

SELECTED_FIELDS = frozenset(
    {"application_id", "recruitment_id", "selection_id", "program_code", "program_name",
     "recipient", "fiscal_year", "work_starts", "work_ends", "daily_hours",
     "hourly_wage_krw", "working_days", "wage_commitment_krw"}
)  # fmt: skip


def _days(start: date, end: date) -> int:
    off = holidays.KR(years=range(start.year, end.year + 1))
    n = (end - start).days + 1
    return sum(
        1
        for i in range(n)
        if (start + timedelta(i)).weekday() < 5 and (start + timedelta(i)) not in off
    )


def _setup(open_recruitment, apply, unique):
    """safe: 2 places (at most 1 senior), youth: 1 place; eight applicants."""
    rid, seed = open_recruitment(
        [program("safe", 2, senior_cap=1), program("youth", 1, hourly_wage=10766, daily_hours=8)]
    )
    shared_home = f"서울특별시 영등포구 도림로 1 {unique}호"
    people = {
        "priority": application(unique + "p", priority_groups=["disabled"],
                                monthly_income_krw=2_000_000),
        "senior1": application(unique + "s1", rrn=make_rrn(date(1950, 1, 1))),
        "senior2": application(unique + "s2", rrn=make_rrn(date(1951, 1, 1))),
        "home1": application(unique + "h1", address=shared_home, monthly_income_krw=100_000),
        "home2": application(unique + "h2", address=shared_home, monthly_income_krw=1_200_000),
        "young": application(unique + "y", rrn=make_rrn(date(2000, 1, 1)),
                             preferences=["youth", "safe"]),
        "plain": application(unique + "x", preferences=["safe", "youth"]),
        "poor": application(unique + "z", address="마포구 1", preferences=["safe"]),
    }  # fmt: skip
    ids = {}
    for key, body in people.items():
        response = apply(rid, body)
        assert response.status_code == 201, response.get_json()
        ids[key] = response.get_json()["id"]
    return rid, seed, ids


def _draw(stack, rid, seed):
    return stack.client("applicants").post(
        f"/applicants/api/v1/recruitments/{rid}/selection",
        json={"seed": seed},
        headers=stack.auth("staff"),
    )


def test_draw_needs_the_committed_seed(stack, open_recruitment, apply, unique):
    rid, seed, _ = _setup(open_recruitment, apply, unique)
    client = stack.client("applicants")
    assert client.post(f"/applicants/api/v1/recruitments/{rid}/selection",
                       json={"seed": seed}).status_code == 401  # fmt: skip
    wrong = _draw(stack, rid, seed + "x")
    assert wrong.status_code == 422
    assert "seed_hash" in wrong.get_json()["detail"]
    assert client.get(f"/applicants/api/v1/recruitments/{rid}/selection").status_code == 404


def test_draw_respects_priority_quotas_households_and_senior_cap(
    stack, open_recruitment, apply, outbox, unique
):
    rid, seed, ids = _setup(open_recruitment, apply, unique)
    response = _draw(stack, rid, seed)
    assert response.status_code == 201, response.get_json()
    result = response.get_json()
    placed = {p["application_id"]: p["program_code"] for p in result["placements"]}
    assert result["selected_counts"] == {"safe": 2, "youth": 1}
    assert len(placed) == 3
    assert ids["priority"] in placed  # priority first
    assert ids["home1"] in placed  # top score (lowest income) of the shared household
    assert ids["home2"] not in placed  # one per household
    assert ids["poor"] not in placed and ids["poor"] not in {
        w["application_id"] for w in result["waitlist"]
    }  # ineligible people are not in the draw
    seniors = {ids["senior1"], ids["senior2"]}
    assert len(seniors & set(placed)) <= 1
    assert result["waitlisted_count"] == len(result["waitlist"]) == 4
    assert [w["rank"] for w in result["waitlist"]] == [1, 2, 3, 4]
    assert (
        stack.client("applicants")
        .get(f"/applicants/api/v1/recruitments/{rid}/selection")
        .get_json()["placements"]
        == result["placements"]
    )

    [published] = outbox("applicants.selection_published", recruitment_id=rid)
    assert published == {
        "recruitment_id": rid, "selection_id": result["id"], "seed_hash": result["seed_hash"],
        "seed": seed, "selected": {"safe": 2, "youth": 1}, "waitlisted": 4,
    }  # fmt: skip
    selected = outbox("applicants.participant_selected", recruitment_id=rid)
    assert {e["application_id"] for e in selected} == set(placed)
    assert {frozenset(e) for e in selected} == {SELECTED_FIELDS}
    for event in selected:
        code = placed[event["application_id"]]
        assert event["program_code"] == code and event["selection_id"] == result["id"]
        assert event["fiscal_year"] == 2027
        days = _days(date.fromisoformat(event["work_starts"]), date(2027, 6, 30))
        assert event["working_days"] == days
        assert event["wage_commitment_krw"] == (
            event["daily_hours"] * event["hourly_wage_krw"] * days
        )
        wage = {"safe": 9620, "youth": 10766}[code]
        assert event["hourly_wage_krw"] == wage
        senior = event["application_id"] in seniors
        assert event["daily_hours"] == (3 if senior else {"safe": 5, "youth": 8}[code])
        assert event["program_name"] in ("안심일자리", "청년드림나래")
        assert set(event["recipient"]) == {"name_masked", "phone_enc", "email_enc", "kakao"}
    waiting = outbox("applicants.participant_waitlisted", recruitment_id=rid)
    assert {frozenset(e) for e in waiting} == {
        frozenset({"application_id", "recruitment_id", "selection_id", "rank", "recipient"})
    }
    assert sorted(e["rank"] for e in waiting) == [1, 2, 3, 4]
    assert _draw(stack, rid, seed).status_code == 409  # already drawn
    late = apply(rid, application(unique + "late"))
    assert late.status_code == 409  # intake closed by the draw


def test_retract_and_rerun_gives_the_same_result_with_an_audit_record(
    stack, open_recruitment, apply, outbox, unique
):
    rid, seed, ids = _setup(open_recruitment, apply, unique)
    first = _draw(stack, rid, seed).get_json()
    client = stack.client("applicants")
    url = f"/applicants/api/v1/recruitments/{rid}/selection/retraction"
    assert client.post(url, json={}, headers=stack.auth("staff")).status_code == 422
    retracted = client.post(url, json={"reason": "배점 오류 확인"}, headers=stack.auth("staff"))
    assert retracted.status_code == 200
    assert retracted.get_json()["status"] == "retracted"
    assert retracted.get_json()["retract_reason"] == "배점 오류 확인"
    released = outbox("applicants.participant_withdrawn", recruitment_id=rid)
    assert {e["application_id"] for e in released} == {
        p["application_id"] for p in first["placements"]
    }
    second = _draw(stack, rid, seed).get_json()
    assert second["id"] != first["id"]
    strip = lambda r: [(p["application_id"], p["program_code"], p["rank"]) for p in r["placements"]]  # noqa: E731
    assert strip(second) == strip(first)
    assert second["waitlist"] == first["waitlist"]
    staff = client.get(
        f"/applicants/api/v1/applications/{ids['priority']}", headers=stack.auth("staff")
    ).get_json()
    actions = [h["action"] for h in staff["history"]]
    assert actions == ["received", "drawn", "draw_retracted", "drawn"]
    assert staff["history"][2]["actor"] == "test-staff"
    assert staff["history"][2]["before"]["status"] == "selected"
    assert staff["history"][2]["after"]["status"] == "eligible"


def test_withdrawal_promotes_the_next_person_waiting(
    stack, open_recruitment, apply, outbox, unique
):
    rid, seed, ids = _setup(open_recruitment, apply, unique)
    result = _draw(stack, rid, seed).get_json()
    client = stack.client("applicants")
    staff = stack.auth("staff")
    leaving = next(p for p in result["placements"] if p["program_code"] == "safe")
    not_drawn = apply(rid, application(unique + "n"))  # intake is closed after the draw
    assert not_drawn.status_code == 409
    url = f"/applicants/api/v1/applications/{leaving['application_id']}/withdrawal"
    assert client.post(url, json={"reason": "취업"}).status_code == 401
    response = client.post(url, json={"reason": "취업"}, headers=staff)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "withdrawn" and body["promoted"]
    promoted = client.get(f"/applicants/api/v1/applications/{body['promoted']}", headers=staff)
    promoted = promoted.get_json()
    assert promoted["status"] == "selected" and promoted["program_code"] == "safe"
    assert "safe" in promoted["eligible_programs"]
    assert promoted["history"][-1]["action"] == "promoted"
    [gone] = outbox("applicants.participant_withdrawn", application_id=leaving["application_id"])
    assert gone["program_code"] == "safe" and gone["reason"] == "취업"
    assert gone["fiscal_year"] == 2027 and gone["recruitment_id"] == rid
    assert set(gone) == {"application_id", "recruitment_id", "program_code", "reason",
                         "fiscal_year", "recipient", "withdrawn_on"}  # fmt: skip
    [event] = outbox("applicants.participant_promoted", application_id=body["promoted"])
    assert set(event) == SELECTED_FIELDS | {"replaces_application_id"}
    assert event["selection_id"] == result["id"]
    assert event["replaces_application_id"] == leaving["application_id"]
    assert event["wage_commitment_krw"] == (
        event["daily_hours"] * event["hourly_wage_krw"] * event["working_days"]
    )
    assert event["working_days"] > 0
    again = client.post(url, json={"reason": "취업"}, headers=staff)
    assert again.status_code == 409
    after = client.get(f"/applicants/api/v1/recruitments/{rid}/selection").get_json()
    assert after["selected_counts"] == result["selected_counts"]
    kinds = {p["application_id"]: p["kind"] for p in after["placements"]}
    assert kinds[body["promoted"]] == "promoted"
    assert body["promoted"] not in {w["application_id"] for w in after["waitlist"]}


def test_household_placed_in_an_overlapping_recruitment_is_skipped(
    stack, open_recruitment, apply, unique
):
    home = f"서울특별시 영등포구 신길로 9 {unique}호"
    rid1, seed1 = open_recruitment([program("safe", 1)], seed=f"a-{unique}")
    first = apply(rid1, application(unique + "1", address=home)).get_json()
    assert _draw(stack, rid1, seed1).get_json()["placements"][0]["application_id"] == first["id"]
    rid2, seed2 = open_recruitment([program("safe", 1)], seed=f"b-{unique}")
    sibling = apply(rid2, application(unique + "2", address=home)).get_json()
    stranger = apply(rid2, application(unique + "3")).get_json()
    result = _draw(stack, rid2, seed2).get_json()
    assert [p["application_id"] for p in result["placements"]] == [stranger["id"]]
    assert [w["application_id"] for w in result["waitlist"]] == [sibling["id"]]


def test_past_participation_is_counted_from_records(stack, open_recruitment, apply, unique):
    person = application(unique)
    halves = [("2027-01-04", "2027-06-30"), ("2027-07-01", "2027-12-31")]
    for i, (starts, ends) in enumerate(halves):  # not overlapping: the household may return
        rid, seed = open_recruitment(
            [program("safe", 1, work_starts=starts, work_ends=ends)], seed=f"{i}-{unique}"
        )
        assert apply(rid, person).get_json()["status"] == "eligible"
        assert len(_draw(stack, rid, seed).get_json()["placements"]) == 1
    rid, _ = open_recruitment([program("safe", 1)], seed=f"third-{unique}")
    third = apply(rid, person).get_json()  # declared 0, but two places on record
    assert third["status"] == "ineligible"
    assert [r["rule"] for r in third["reasons"]] == ["repeat_limit"]


def test_a_freed_place_goes_to_the_first_waiting_person_who_wants_it(
    stack, open_recruitment, apply, unique
):
    rid, seed = open_recruitment([program("safe", 1), program("youth", 1)])
    young = make_rrn(date(2001, 5, 5))
    a = apply(rid, application(unique + "a", priority_groups=["near_poor"])).get_json()["id"]
    b = apply(rid, application(unique + "b", rrn=young, preferences=["youth"])).get_json()["id"]
    c = apply(rid, application(unique + "c")).get_json()["id"]
    d = apply(rid, application(unique + "d")).get_json()["id"]
    result = _draw(stack, rid, seed).get_json()
    assert {p["application_id"]: p["program_code"] for p in result["placements"]} == {
        a: "safe",
        b: "youth",
    }
    waiting = [w["application_id"] for w in result["waitlist"]]
    assert sorted(waiting) == sorted([c, d])
    client, staff = stack.client("applicants"), stack.auth("staff")
    done = client.post(
        f"/applicants/api/v1/applications/{a}/withdrawal", json={"reason": "이사"}, headers=staff
    ).get_json()
    assert done["promoted"] == waiting[0]
    nobody = client.post(
        f"/applicants/api/v1/applications/{b}/withdrawal", json={"reason": "학업"}, headers=staff
    ).get_json()
    assert nobody == {"application_id": b, "status": "withdrawn", "promoted": None}
    left = client.post(
        f"/applicants/api/v1/applications/{waiting[1]}/withdrawal",
        json={"reason": "연락 두절"},
        headers=staff,
    ).get_json()
    assert left["status"] == "withdrawn"
    assert (
        client.get(f"/applicants/api/v1/recruitments/{rid}/selection").get_json()["waitlist"] == []
    )


def test_concurrent_draws_publish_one_result(stack, open_recruitment, apply, unique):
    from concurrent.futures import ThreadPoolExecutor

    rid, seed, _ = _setup(open_recruitment, apply, unique)
    with ThreadPoolExecutor(4) as pool:
        codes = sorted(pool.map(lambda _: _draw(stack, rid, seed).status_code, range(4)))
    assert codes == [201, 409, 409, 409]


def test_concurrent_withdrawals_promote_different_people(stack, open_recruitment, apply, unique):
    from concurrent.futures import ThreadPoolExecutor

    rid, seed = open_recruitment([program("safe", 2)])
    ids = [apply(rid, application(f"{unique}{i}")).get_json()["id"] for i in range(5)]
    result = _draw(stack, rid, seed).get_json()
    leaving = [p["application_id"] for p in result["placements"]]
    assert len(leaving) == 2 and len(result["waitlist"]) == 3 and len(ids) == 5

    def withdraw(application_id):
        return (
            stack.client("applicants")
            .post(
                f"/applicants/api/v1/applications/{application_id}/withdrawal",
                json={"reason": "동시 포기"},
                headers=stack.auth("staff"),
            )
            .get_json()
        )

    with ThreadPoolExecutor(2) as pool:
        promoted = [r["promoted"] for r in pool.map(withdraw, leaving)]
    assert sorted(promoted) == sorted(w["application_id"] for w in result["waitlist"][:2])
    after = stack.client("applicants").get(f"/applicants/api/v1/recruitments/{rid}/selection")
    assert [w["application_id"] for w in after.get_json()["waitlist"]] == [
        result["waitlist"][2]["application_id"]
    ]


def test_no_promotion_after_the_work_period(stack, open_recruitment, apply, unique):
    past = program("safe", 1, work_starts="2023-01-02", work_ends="2023-06-30")
    rid, seed = open_recruitment([past])
    first = apply(rid, application(unique + "1")).get_json()["id"]
    second = apply(rid, application(unique + "2")).get_json()["id"]
    result = _draw(stack, rid, seed).get_json()
    placed = result["placements"][0]["application_id"]
    assert {placed, result["waitlist"][0]["application_id"]} == {first, second}
    done = (
        stack.client("applicants")
        .post(
            f"/applicants/api/v1/applications/{placed}/withdrawal",
            json={"reason": "중도 포기"},
            headers=stack.auth("staff"),
        )
        .get_json()
    )
    assert done == {"application_id": placed, "status": "withdrawn", "promoted": None}


def test_an_application_waiting_on_a_draw_is_refused_once_the_draw_is_published(
    stack, open_recruitment, apply, unique
):
    """An application that arrives while a draw holds the recruitment waits for it, and
    then sees the published result (on PostgreSQL, the gate reads after the lock, not
    with the snapshot it had before waiting)."""
    import threading
    import time
    import uuid

    from services.applicants.adapters import applications, repository

    rid, seed = open_recruitment([program("safe", 1)])
    assert apply(rid, application(unique + "a")).status_code == 201
    runtime = stack.runtime("applicants")
    answers = []
    late = threading.Thread(target=lambda: answers.append(apply(rid, application(unique + "b"))))
    with runtime.db.transaction() as session:  # what a draw does, held open
        repository.lock(session, rid)
        applications.add_selection(session, {
            "id": str(uuid.uuid4()), "recruitment_id": rid, "seed": seed,
            "seed_hash": "x" * 64, "status": "published", "counts": {"safe": 0},
            "waitlisted": 0, "created_by": "test",
        })  # fmt: skip
        late.start()
        time.sleep(0.5)
        assert late.is_alive()  # waiting for the draw
    late.join(30)
    [answer] = answers
    assert answer.status_code == 409, answer.get_json()
    assert "접수 기간" in answer.get_json()["detail"]
