"""The contractor's pages (issue #12.3): their own orders only, one order with its units,
the completion report form from a phone (photos, serial, note) posting → 303 → GET with a
message, errors in a linked summary beside each field, the reason of a unit sent back."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from orders_flow import URL, catalogue, contractor, issue, order_body
from people import HTML
from PIL import Image

pytestmark = pytest.mark.integration
YEAR = 2039
PAGE = "/markets/contractor/"


@pytest.fixture(scope="module")
def cat(stack):
    return catalogue(stack)


def jpeg(colour=(10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()


def _send(person, oid, photos, **form):
    data = {"csrf_token": person.token, "serial": "", "note": "", **form,
            "photos": [(io.BytesIO(body), name) for name, body in photos]}  # fmt: skip
    return person.client.post(f"{PAGE}orders/{oid}/report", data=data,
                              content_type="multipart/form-data", headers=HTML)  # fmt: skip


def test_the_contractor_sees_their_orders_and_reports_a_unit_from_the_form(stack, cat, people):
    person = people("contractor", "markets")
    home = person.get("/markets/")
    assert home.status_code == 200 and PAGE in home.get_data(as_text=True)
    mine = issue(stack, order_body(cat, person.name, YEAR))
    theirs = issue(stack, order_body(cat, contractor(stack).name, YEAR))

    listing = person.get(PAGE)
    text = listing.get_data(as_text=True)
    assert listing.status_code == 200 and mine["id"] in text and theirs["id"] not in text
    assert person.get(f"{PAGE}orders/{theirs['id']}").status_code == 404
    assert person.get(f"{PAGE}orders/{uuid.uuid4()}").status_code == 404

    page = person.get(f"{PAGE}orders/{mine['id']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "완료 보고" in html
    assert re.search(r'<input[^>]*type="file"[^>]*accept="image/\*"[^>]*capture="environment"'
                     r'[^>]*multiple', html)  # fmt: skip
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html

    # Errors: the summary links each field, the title says 오류, nothing is stored.
    wrong = _send(person, mine["id"], [], unit="1")
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and html.count("<title>오류: ") == 1
    assert 'href="#serial"' in html and 'href="#photos"' in html
    assert 'aria-invalid="true"' in html
    bad = _send(person, mine["id"], [("메모.jpg", "사진이 아닙니다".encode())], unit="1",
                serial="SN-A1")  # fmt: skip
    assert bad.status_code == 422 and "사진 파일이 아닙니다" in bad.get_data(as_text=True)
    assert stack.client("markets").get(f"{URL}/{mine['id']}", headers=stack.auth("staff")
                                       ).get_json()["units"][0]["status"] == "pending"  # fmt: skip

    # Without the CSRF token: refused.
    person.token = "nope"
    assert _send(person, mine["id"], [("a.jpg", jpeg())], unit="1", serial="X").status_code == 400
    person.get(f"{PAGE}orders/{mine['id']}")

    serial = f"SN-{uuid.uuid4().hex[:8]}"
    done = _send(person, mine["id"], [("a.jpg", jpeg())], unit="1", serial=serial,
                 note="소화기함 안")  # fmt: skip
    assert done.status_code == 303, done.get_data(as_text=True)
    assert done.headers["Location"].endswith(f"{PAGE}orders/{mine['id']}")
    after = person.get(f"{PAGE}orders/{mine['id']}").get_data(as_text=True)
    assert "완료 보고를 보냈습니다" in after and serial in after and "소화기함 안" in after
    photo = re.search(r'<img src="([^"]+)"', after).group(1)
    assert person.client.get(photo).status_code == 200

    # Staff send it back: the contractor reads the reason and reports again.
    staff, client = stack.auth("staff"), stack.client("markets")
    back = client.post(f"{URL}/{mine['id']}/units/1/return", json={"reason": "번호판이 안 보입니다"},
                       headers=staff)  # fmt: skip
    assert back.status_code == 200
    seen = person.get(f"{PAGE}orders/{mine['id']}").get_data(as_text=True)
    assert "번호판이 안 보입니다" in seen and "반려" in seen
    again = _send(person, mine["id"], [("b.jpg", jpeg((1, 1, 1)))], unit="1", serial=serial)
    assert again.status_code == 303
    assert "번호판이 안 보입니다" not in person.get(f"{PAGE}orders/{mine['id']}").get_data(
        as_text=True)  # fmt: skip
    # Another contractor's order through the form: 404.
    assert _send(person, theirs["id"], [("a.jpg", jpeg())], unit="1", serial="Z").status_code == 404


def test_staff_do_not_use_the_contractor_pages(stack, people):
    person = people("staff", "markets")
    assert person.get(PAGE).status_code == 403
    assert PAGE not in person.get("/markets/").get_data(as_text=True)
