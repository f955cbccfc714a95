"""Staff's pages: open a recruitment (its seed shown once), list and filter its
applications page by page, run the draw, see the waitlist, withdraw a participant."""

import json
import re
from datetime import date

from builders_applicants import application, make_rrn, program
from people import HTML


def _opened(staff, unique, **fields):
    form = {"title": f"화면 모집 {unique}", "year": "2027", "half": "1",
            "quota_safe": "1", "hourly_wage_safe": "9,620", "work_starts_safe": "2027-03-02",
            "work_ends_safe": "2027-06-30", "key": unique, **fields}  # fmt: skip
    staff.get("/applicants/recruitments/new")
    return staff.post("/applicants/recruitments/new", form)


def test_staff_open_a_recruitment_from_the_form_and_see_its_seed_once(people, unique):
    staff = people("staff", "applicants")
    bad = _opened(staff, unique, year="이천", work_ends_safe="2027-01-01", key=unique + "b")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "<title>오류: " in page
    assert 'href="#year"' in page and 'href="#work_ends_safe"' in page
    assert "근무 종료일이 시작일보다 빠릅니다" in page

    opened = _opened(staff, unique)
    page = opened.get_data(as_text=True)
    assert opened.status_code == 201 and "추첨 시드를 지금 적어 두세요" in page
    seed = re.search(r'<code id="seed">([^<]+)</code>', page).group(1)
    seed_hash = re.search(r'<code id="seed-hash">([0-9a-f]{64})</code>', page).group(1)
    again = _opened(staff, unique)  # the same form sent twice opens one recruitment
    assert again.status_code == 303
    listed = staff.get("/applicants/recruitments").get_data(as_text=True)
    assert listed.count(f"화면 모집 {unique}") == 1
    rid = again.headers["Location"].rsplit("/", 1)[-1]
    assert seed_hash in staff.get(f"/applicants/recruitments/{rid}").get_data(as_text=True)
    assert seed not in staff.get(f"/applicants/recruitments/{rid}").get_data(as_text=True)


def test_applications_are_filtered_and_paginated_on_the_page_and_in_the_api(
    stack, people, open_recruitment, apply, unique
):
    rid, _ = open_recruitment([program("safe", 1), program("youth", 1, hourly_wage=10766)])
    bodies = [application(f"{unique}0", priority_groups=["disabled"]), application(f"{unique}1"),
              application(f"{unique}2", preferences=["youth"], rrn=make_rrn(date(1998, 5, 5)))]  # fmt: skip
    bodies.append(application(f"{unique}x", address="경기도 부천시 원미구 1"))  # ineligible
    for body in bodies:
        assert apply(rid, body).status_code == 201
    staff = people("staff", "applicants")
    first = staff.get(f"/applicants/recruitments/{rid}?page_size=3").get_data(as_text=True)
    assert "전체 4건 중 1–3번째" in first and 'aria-current="page"' in first
    assert "page=2" in first and "홍**" not in first.replace("홍*동", "")  # masked names
    second = staff.get(f"/applicants/recruitments/{rid}?page_size=3&page=2").get_data(as_text=True)
    assert "전체 4건 중 4–4번째" in second
    eligible = staff.get(f"/applicants/recruitments/{rid}?status=ineligible").get_data(as_text=True)
    assert "전체 1건 중" in eligible
    youth = staff.get(f"/applicants/recruitments/{rid}?program=youth").get_data(as_text=True)
    assert "전체 1건 중" in youth
    priority = staff.get(f"/applicants/recruitments/{rid}?priority=true").get_data(as_text=True)
    assert "전체 1건 중" in priority
    nonsense = staff.get(f"/applicants/recruitments/{rid}?status=zzz&page=abc")
    assert nonsense.status_code == 200 and "전체 4건 중" in nonsense.get_data(as_text=True)

    api = stack.client("applicants").get(
        f"/applicants/api/v1/recruitments/{rid}/applications?page=2&page_size=3",
        headers=stack.auth("staff"),
    )
    meta = json.loads(api.headers["X-Pagination"])
    assert api.status_code == 200 and len(api.get_json()) == 1
    assert meta["total"] == 4 and meta["total_pages"] == 2 and meta["page"] == 2
    assert all("rrn" not in k and "phone_enc" not in k for k in api.get_json()[0])


def test_staff_draw_with_the_seed_see_the_waitlist_and_withdraw_one(
    people, open_recruitment, apply, unique
):
    rid, seed = open_recruitment([program("safe", 1)])
    for i in range(3):
        assert apply(rid, application(f"{unique}{i}")).status_code == 201
    staff = people("staff", "applicants")
    staff.get(f"/applicants/recruitments/{rid}")
    wrong = staff.post(f"/applicants/recruitments/{rid}/draw", {"seed": "not-the-seed"})
    assert wrong.status_code == 303
    page = staff.get(wrong.headers["Location"]).get_data(as_text=True)
    assert "추첨하지 못했습니다" in page and "추첨 실행" in page

    drawn = staff.post(f"/applicants/recruitments/{rid}/draw", {"seed": seed})
    result = staff.get(drawn.headers["Location"]).get_data(as_text=True)
    assert "추첨했습니다: 선발 1명, 예비 2명" in result and seed in result
    chosen = re.search(r'<td class="num">1</td>\s*<td>선발</td>\s*<td><a href="/applicants/applications/([0-9a-f-]{36})"', result).group(1)  # fmt: skip
    one = staff.get(f"/applicants/applications/{chosen}").get_data(as_text=True)
    assert "점수표" in one and "변경 이력" in one and "포기 처리" in one
    refused = staff.post(f"/applicants/applications/{chosen}/withdrawal", {"reason": ""})
    assert "포기 사유를 적어 주세요" in staff.get(refused.headers["Location"]).get_data(
        as_text=True
    )
    done = staff.post(f"/applicants/applications/{chosen}/withdrawal",
                      {"reason": "<script>개인 사정</script>"})  # fmt: skip
    after = staff.get(done.headers["Location"]).get_data(as_text=True)
    assert "포기 처리했습니다. 예비" in after and "선발되었습니다" in after
    assert "&lt;script&gt;개인 사정" in after and "<script>개인" not in after
    result = staff.get(f"/applicants/recruitments/{rid}/selection").get_data(as_text=True)
    assert "예비에서 선발" in result


def test_staff_pages_are_for_staff(stack, people, open_recruitment):
    rid, _ = open_recruitment([program()])
    finance = people("finance", "applicants")
    for path in ("/applicants/recruitments", f"/applicants/recruitments/{rid}",
                 "/applicants/recruitments/new"):  # fmt: skip
        assert finance.get(path).status_code == 403
    anonymous = stack.client("applicants").get("/applicants/recruitments", headers=HTML)
    assert anonymous.status_code in (302, 303) and anonymous.headers["Location"].startswith(
        "/login?next="
    )
