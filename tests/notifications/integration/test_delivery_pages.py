"""Staff's delivery log page: filters (a person found by the keyed hash of their address,
which never reaches the page's address), a page at a time, retry state and times in
Asia/Seoul, one delivery with its text, escaping, roles; and the API list, paged."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from services.common.tables import utcnow
from services.notifications.adapters.orm import deliveries
from services.notifications.domain.masking import mask
from services.notifications.service_layer.delivery_log import recipient_key

pytestmark = pytest.mark.integration
PAGE, API = "/notifications/deliveries", "/notifications/api/v1/deliveries"


def phone_of(unique: str) -> str:
    return f"010-{int(unique[:6], 16) % 10000:04d}-{int(unique[6:], 16) % 10000:04d}"


def letters(unique: str) -> str:
    return unique.translate(str.maketrans("0123456789", "ghijklmnop"))


def add(stack, message_id: str, address: str | None = None, name: str | None = None, **values):
    """A delivery row as the service writes it: a person under the keyed hash of their
    address, a configured name as it is."""
    runtime = stack.runtime("notifications")
    key = recipient_key(runtime, address) if address else None
    row = {
        "id": str(uuid.uuid4()),
        "message_id": message_id,
        "event_type": "applicants.application_received",
        "recipient": f"h:{key}" if key else name,
        "recipient_hash": key,
        "recipient_masked": mask(address) if address else name,
        "channel": "sms",
        "template": "application_received",
        "template_version": 1,
        "body": "[영등포구 일자리경제과] 신청을 접수했습니다.",
        "status": "sent",
        "attempts": 1,
        "urgent": False,
        "created_at": utcnow(),
        "updated_at": utcnow(),
        **values,
    }
    with runtime.db.transaction() as session:
        session.execute(deliveries.insert().values(**row))
    return row["id"]


def ids_on(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/notifications/deliveries/([0-9a-f-]+)"', page)


def test_the_log_is_paged_on_the_page_and_in_the_api(stack, people):
    message_id = str(uuid.uuid4())
    start = utcnow()
    mine = [
        add(stack, message_id, f"p{n}@example.kr", created_at=start + timedelta(seconds=n))
        for n in range(3)
    ]
    staff = people("staff", "notifications")

    first = staff.get(f"{PAGE}?message_id={message_id}&page_size=2").get_data(as_text=True)
    second = staff.get(f"{PAGE}?message_id={message_id}&page_size=2&page=2").get_data(as_text=True)
    assert ids_on(first) == [mine[2], mine[1]] and ids_on(second) == [mine[0]]
    assert "전체 3건 중 1–2번째" in first and "전체 3건 중 3–3번째" in second
    assert f'href="{PAGE}?message_id={message_id}&amp;page_size=2&amp;page=2"' in first

    client, auth = stack.client("notifications"), stack.auth("staff")
    api = client.get(f"{API}?message_id={message_id}&page_size=2", headers=auth)
    assert [d["id"] for d in api.get_json()] == [mine[2], mine[1]]
    meta = json.loads(api.headers["X-Pagination"])
    assert meta == {"total": 3, "total_pages": 2, "first_page": 1, "last_page": 2,
                    "page": 1, "next_page": 2}  # fmt: skip
    api2 = client.get(f"{API}?message_id={message_id}&page_size=2&page=2", headers=auth)
    assert [d["id"] for d in api2.get_json()] == [mine[0]]
    old = client.get(f"{API}?message_id={message_id}&limit=1", headers=auth)  # the old name
    assert len(old.get_json()) == 1 and json.loads(old.headers["X-Pagination"])["total_pages"] == 3
    both = client.get(f"{API}?message_id={message_id}&limit=1&page_size=2", headers=auth)
    assert len(both.get_json()) == 2  # page_size wins
    assert client.get(f"{API}?page_size=501", headers=auth).status_code == 422
    assert client.get(f"{API}?limit=501", headers=auth).status_code == 422
    beyond = client.get(f"{API}?message_id={message_id}&page={10**30}", headers=auth)
    assert beyond.status_code == 200 and beyond.get_json() == []


def test_filters_find_a_person_by_keyed_hash_without_their_address_in_the_url(
    stack, people, unique
):
    phone = phone_of(unique)
    message_id, other_message = str(uuid.uuid4()), str(uuid.uuid4())
    sms = add(stack, message_id, phone)
    kakao = add(stack, other_message, phone, channel="kakao", status="failed",
                event_type="applicants.participant_selected", template="participant_selected",
                reason="알림톡 미가입", failed_at=utcnow())  # fmt: skip
    add(stack, message_id, f"{unique}@example.kr", channel="email")  # someone else
    staff = people("staff", "notifications")
    staff.get(PAGE)

    found = staff.post(PAGE, {"recipient": phone, "status": "", "channel": ""})
    assert found.status_code == 303
    location = found.headers["Location"]
    digits = phone.replace("-", "")
    assert digits not in location and phone not in location
    key = recipient_key(stack.runtime("notifications"), digits)
    assert parse_qs(urlsplit(location).query) == {"recipient_key": [key]}
    page = staff.get(location).get_data(as_text=True)
    assert ids_on(page) == [kakao, sms]
    assert mask(phone) in page and digits not in page and phone not in page
    assert "입력한 수신자(전화번호·이메일)로 찾은 결과입니다" in page

    narrowed = staff.post(PAGE, {"recipient_key": key, "channel": "kakao"}).headers["Location"]
    page = staff.get(narrowed).get_data(as_text=True)
    assert ids_on(page) == [kakao]
    assert "알림톡" in page and "실패" in page and "알림톡 미가입" in page and "선발" in page

    by_event = f"{PAGE}?recipient_key={key}&event_type=applicants.application_received"
    assert ids_on(staff.get(by_event).get_data(as_text=True)) == [sms]
    by_status = staff.get(f"{PAGE}?recipient_key={key}&status=failed").get_data(as_text=True)
    assert ids_on(by_status) == [kakao]
    by_message = staff.get(f"{PAGE}?message_id={other_message}").get_data(as_text=True)
    assert ids_on(by_message) == [kakao]

    name = f"staff:시험팀{letters(unique)}"  # a configured name is searched as it is
    team = add(stack, message_id, name=name, channel="local", status="delivered")
    to_team = staff.post(PAGE, {"recipient": name}).headers["Location"]
    assert parse_qs(urlsplit(to_team).query) == {"recipient": [name]}
    assert ids_on(staff.get(to_team).get_data(as_text=True)) == [team]

    wrong = staff.get(f"{PAGE}?status=lost&channel=pigeon")
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "<title>오류: 발송 기록" in text
    assert "상태는 목록에서 고르세요." in text and "채널은 목록에서 고르세요." in text


def test_retry_state_times_in_seoul_and_the_detail_with_its_text(stack, people):
    message_id = str(uuid.uuid4())
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    failed = add(stack, message_id, "a@example.kr", channel="kakao", status="failed",
                 created_at=created, failed_at=created + timedelta(minutes=1))  # fmt: skip
    retry = add(stack, message_id, "010-5555-6666", status="queued", attempts=2,
                reason="일시 오류: 연결 시간 초과", fallback_of=failed,
                # far ahead: a due queued row in the shared database would be sent by
                # another test's dispatch_due sweep
                not_before=datetime(2099, 1, 2, 15, 30, tzinfo=UTC), created_at=created,
                sent_at=None)  # fmt: skip
    acked = add(stack, message_id, "010-5555-7777", status="delivered", urgent=True,
                created_at=created, sent_at=created, delivered_at=created,
                acknowledged_at=datetime(2026, 1, 2, 14, 59, 59, tzinfo=UTC))  # fmt: skip
    staff = people("staff", "notifications")

    page = staff.get(f"{PAGE}?message_id={message_id}").get_data(as_text=True)
    assert set(ids_on(page)) == {failed, retry, acked}
    row = page.split(f"/notifications/deliveries/{retry}")[1].split("</tr>")[0]
    assert "대기" in row and "2회" in row and "다음 시도 2099-01-03 00:30:00" in row
    assert "일시 오류: 연결 시간 초과" in row and f"/notifications/deliveries/{failed}" in row
    assert "2026-01-02 12:04:05" in page  # 03:04:05 UTC
    ack_row = page.split(f"/notifications/deliveries/{acked}")[1].split("</tr>")[0]
    assert "전달됨" in ack_row and "(긴급)" in ack_row and "확인 2026-01-02 23:59:59" in ack_row

    detail = staff.get(f"{PAGE}/{retry}")
    text = detail.get_data(as_text=True)
    assert detail.status_code == 200
    assert "010-****-6666" in text and "5555-6666" not in text
    assert "신청을 접수했습니다." in text and "2099-01-03 00:30:00" in text
    assert "<dt>발송</dt><dd>—</dd>" in text and "<dt>접수</dt><dd>2026-01-02 12:04:05</dd>" in text
    assert f'href="/notifications/deliveries/{failed}"' in text
    assert f"/notifications/deliveries?message_id={message_id}" in text

    missing = staff.get(f"{PAGE}/{uuid.uuid4()}")
    assert missing.status_code == 404 and "해당 발송 기록이 없습니다" in missing.get_data(
        as_text=True
    )


def test_stored_html_is_shown_escaped(stack, people):
    message_id = str(uuid.uuid4())
    delivery = add(stack, message_id, "x@example.kr", status="failed",
                   body='모집 <script>alert("x")</script> 안내 & <img src=x onerror=alert(1)>',
                   reason="<b>provider</b> said no", subject="<i>제목</i>")  # fmt: skip
    staff = people("staff", "notifications")
    page = staff.get(f"{PAGE}?message_id={message_id}").get_data(as_text=True)
    assert "<b>provider</b>" not in page and "&lt;b&gt;provider&lt;/b&gt; said no" in page
    detail = staff.get(f"{PAGE}/{delivery}").get_data(as_text=True)
    assert "<script>alert" not in detail and "<img src=x" not in detail and "<i>제목" not in detail
    assert "모집 &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; 안내 &amp; &lt;img" in detail
    assert "&lt;i&gt;제목&lt;/i&gt;" in detail


def test_staff_find_it_from_the_start_page_and_finance_is_refused(stack, people):
    delivery = add(stack, str(uuid.uuid4()), "y@example.kr")
    staff = people("staff", "notifications")
    assert f'href="{PAGE}"' in staff.get("/notifications/").get_data(as_text=True)

    finance = people("finance", "notifications")
    for path in (PAGE, f"{PAGE}/{delivery}"):
        refused = finance.get(path)
        assert refused.status_code == 403 and "text/html" in refused.content_type
    assert finance.post(PAGE, {"recipient": "y@example.kr"}).status_code == 403
    api = stack.client("notifications").get(API, headers=stack.auth("finance"))
    assert api.status_code == 403
