"""Staff's page of every service's dead letters: listed a page at a time, filtered, replayed
once from a button (POST → 303 → a message), refused to other roles, stored text escaped;
and the API list of the same store, paged with an X-Pagination header."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from services.common.envelope import Envelope

pytestmark = pytest.mark.integration
SERVICES = ("applicants", "budget", "markets", "notifications")


def dead_letter(stack, service: str, kind: str, error: str = "필드 누락", attempts: int = 1):
    """A dead letter as a worker records it; the envelope is valid and of a type no one
    handles, so replaying it has no effect when a worker later takes it."""
    envelope = Envelope(kind, {"n": 1}, "test").to_dict()
    row_id = stack.runtime(service).dead_letters.record(envelope, "invalid", error, attempts)
    return row_id, envelope["id"]


def replay_forms(page: str) -> list[str]:
    return re.findall(r'action="(/[a-z]+/dead-letters/[0-9a-f-]+/replay)"', page)


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_links_and_serves_its_dead_letters(people, service):
    staff = people("staff", service)
    home = staff.get(f"/{service}/").get_data(as_text=True)
    assert f'href="/{service}/dead-letters"' in home
    page = staff.get(f"/{service}/dead-letters")
    assert page.status_code == 200
    assert "처리하지 못한 메시지" in page.get_data(as_text=True)


def test_the_list_is_paged_on_the_page_and_in_the_api(stack, people, unique):
    kind = f"tests.paging_{unique}"
    mine = [dead_letter(stack, "applicants", kind, error=f"오류 {n}")[0] for n in range(3)]
    staff = people("staff", "applicants")

    first = staff.get("/applicants/dead-letters?page_size=2").get_data(as_text=True)
    second = staff.get("/applicants/dead-letters?page_size=2&page=2").get_data(as_text=True)
    assert [f"/applicants/dead-letters/{i}/replay" for i in mine[::-1][:2]] == replay_forms(first)
    assert f"/applicants/dead-letters/{mine[0]}/replay" in replay_forms(second)
    assert "오류 0" not in first and "오류 0" in second
    assert 'href="/applicants/dead-letters?page_size=2&amp;page=2"' in first  # filters kept
    assert 'aria-current="page"' in second

    client, auth = stack.client("applicants"), stack.auth("staff")
    api = client.get("/applicants/api/v1/dead-letters?page_size=2", headers=auth)
    assert api.status_code == 200
    assert [row["id"] for row in api.get_json()] == mine[::-1][:2]
    meta = json.loads(api.headers["X-Pagination"])
    assert meta["total"] >= 3 and meta["page"] == 1 and meta["next_page"] == 2
    assert meta["total_pages"] == (meta["total"] + 1) // 2
    api2 = client.get("/applicants/api/v1/dead-letters?page_size=2&page=2", headers=auth)
    assert mine[0] in [row["id"] for row in api2.get_json()]
    assert json.loads(api2.headers["X-Pagination"])["previous_page"] == 1
    whole = client.get("/applicants/api/v1/dead-letters", headers=auth)
    assert json.loads(whole.headers["X-Pagination"])["total"] == meta["total"]
    too_big = client.get("/applicants/api/v1/dead-letters?page_size=501", headers=auth)
    assert too_big.status_code == 422
    beyond = client.get(f"/applicants/api/v1/dead-letters?page={10**30}", headers=auth)
    assert beyond.status_code == 200 and beyond.get_json() == []
    assert json.loads(beyond.headers["X-Pagination"])["total"] == meta["total"]
    assert staff.get(f"/applicants/dead-letters?page={10**30}").status_code == 200


def test_replay_from_the_page_once_then_listed_as_replayed(stack, people, unique):
    kind = f"tests.replay_{unique}"
    row_id, message_id = dead_letter(stack, "notifications", kind, attempts=4)
    staff = people("staff", "notifications")
    listed = staff.get("/notifications/dead-letters").get_data(as_text=True)
    action = f"/notifications/dead-letters/{row_id}/replay"
    assert action in replay_forms(listed) and "형식 오류" in listed and "4회" in listed

    sent = staff.post(action, {"page": "1", "include_replayed": "1"})
    assert sent.status_code == 303
    assert sent.headers["Location"] == "/notifications/dead-letters?include_replayed=1"
    after = staff.get(sent.headers["Location"]).get_data(as_text=True)
    assert f"재처리하도록 다시 보냈습니다: {kind} (메시지 {message_id})" in after
    assert action not in replay_forms(after)  # no button: it shows who replayed it
    assert staff.name in after.split(f"{kind}<br>")[1].split("</tr>")[0]
    assert kind not in staff.get("/notifications/dead-letters").get_data(as_text=True)

    again = staff.post(action, {})
    assert again.status_code == 303 and again.headers["Location"] == "/notifications/dead-letters"
    assert "이미 재처리한 메시지입니다" in staff.get("/notifications/dead-letters").get_data(
        as_text=True
    )
    row = stack.runtime("notifications").dead_letters.get(row_id)
    assert row["replayed_by"] == staff.name

    missing = staff.post(f"/notifications/dead-letters/{uuid.uuid4()}/replay", {})
    assert missing.status_code == 303
    assert "해당 메시지가 없습니다" in staff.get("/notifications/dead-letters").get_data(
        as_text=True
    )


def test_replay_needs_the_csrf_token(stack, people, unique):
    row_id, _ = dead_letter(stack, "markets", f"tests.csrf_{unique}")
    staff = people("staff", "markets")
    staff.token = "forged"
    refused = staff.post(f"/markets/dead-letters/{row_id}/replay", {})
    assert refused.status_code == 400
    assert stack.runtime("markets").dead_letters.get(row_id)["replayed_at"] is None


def test_a_finance_person_is_refused_and_not_shown_the_link(stack, people, unique):
    row_id, _ = dead_letter(stack, "budget", f"tests.refused_{unique}")
    finance = people("finance", "budget")
    assert "/budget/dead-letters" not in finance.get("/budget/").get_data(as_text=True)
    page = finance.get("/budget/dead-letters")
    assert page.status_code == 403 and "text/html" in page.content_type
    assert finance.post(f"/budget/dead-letters/{row_id}/replay", {}).status_code == 403
    assert stack.runtime("budget").dead_letters.get(row_id)["replayed_at"] is None
    api = stack.client("budget").get("/budget/api/v1/dead-letters", headers=stack.auth("finance"))
    assert api.status_code == 403


def test_stored_text_is_shown_escaped(stack, people, unique):
    kind = f"tests.<b>{unique}</b>"
    error = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    row_id, _ = dead_letter(stack, "markets", kind, error=error)
    staff = people("staff", "markets")
    page = staff.get("/markets/dead-letters").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page and f"<b>{unique}" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img" in page
    assert f"tests.&lt;b&gt;{unique}&lt;/b&gt;" in page

    staff.post(f"/markets/dead-letters/{row_id}/replay", {})
    flashed = staff.get("/markets/dead-letters").get_data(as_text=True)
    assert f"tests.&lt;b&gt;{unique}" in flashed and f"<b>{unique}" not in flashed
