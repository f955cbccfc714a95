"""Completion reports over the API (issue #12.3, #12.4): a contractor reports units of its
own order with photos (EXIF location gone, stored outside the database with hash and size),
staff send one back with a reason, the contractor reports it again; bad input answers a
Korean error and stores nothing; a photo is shown to staff and its contractor only."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from orders_flow import URL, catalogue, contractor, issue, order_body, send_test_signal
from PIL import Image
from sqlalchemy import func, select

from services.common.envelope import Envelope
from services.markets.adapters.orm import (
    completion_photos,
    completion_reports,
    work_order_audit,
    work_order_units,
)

pytestmark = pytest.mark.integration
YEAR = 2039


@pytest.fixture(scope="module")
def cat(stack):
    return catalogue(stack)


def jpeg(colour=(200, 30, 30), gps=True, size=(64, 48)) -> bytes:
    """A small real JPEG carrying a GPS position (and a camera model) in its EXIF."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x0110] = "Phone 15"  # Model
    if gps:
        exif[0x8825] = {1: "N", 2: (37.0, 31.0, 1.0), 3: "E", 4: (126.0, 54.0, 2.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _hangul(text) -> bool:
    return isinstance(text, str) and any("\uac00" <= ch <= "\ud7a3" for ch in text)


def _stored(stack) -> tuple:
    runtime = stack.runtime("markets")
    folder = Path(runtime.settings.upload_dir)
    files = sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    tables = (completion_reports, completion_photos, work_order_audit)
    with runtime.db.read() as session:
        counts = [session.scalar(select(func.count()).select_from(t)) for t in tables]
    return counts, files


def _report(stack, who, oid, photos, **form):
    data = {"serial": f"SN-{uuid.uuid4().hex[:8]}", "note": "", **form}
    data["photos"] = [(io.BytesIO(body), name) for name, body in photos]
    return stack.client("markets").post(f"{URL}/{oid}/completions", data=data,
                                        headers=who.auth, content_type="multipart/form-data")  # fmt: skip


def _committed(stack, oid):
    envelope = Envelope(type="budget.work_order_committed", producer="budget",
                        payload={"work_order_id": oid, "commitment_id": str(uuid.uuid4()),
                                 "split": {"national": 3_000_000}})  # fmt: skip
    assert stack.runtime("markets").consumer.deliver(envelope.to_dict()) == 1


def test_a_contractor_reports_units_with_photos_staff_send_one_back_and_it_comes_again(stack, cat):
    a = contractor(stack)
    order = issue(stack, order_body(cat, a.name, YEAR))
    oid, staff, client = order["id"], stack.auth("staff"), stack.client("markets")
    _committed(stack, oid)

    answer = _report(stack, a, oid, [("현장.jpg", jpeg()), ("b.jpg", jpeg((0, 90, 0)))],
                     unit="1", serial="EXT-0001", note="2층 계단 옆")  # fmt: skip
    assert answer.status_code == 200, answer.get_json()
    unit = answer.get_json()["units"][0]
    assert (unit["code"], unit["status"], unit["serial"], unit["note"]) == (
        "1", "reported", "EXT-0001", "2층 계단 옆")  # fmt: skip
    assert unit["status_name"] == "완료 보고 (검수 대기)" and unit["reported_by"] == a.name
    assert [p["content_type"] for p in unit["photos"]] == ["image/jpeg", "image/jpeg"]
    assert answer.get_json()["audit"][-1]["action"] == "unit_reported"

    # The stored file has no EXIF at all (no GPS), and its hash and size are in the database.
    photo = unit["photos"][0]
    got = client.get(photo["url"], headers=a.auth)
    assert got.status_code == 200 and got.mimetype == "image/jpeg"
    assert len(got.data) == photo["size_bytes"]
    import hashlib

    assert hashlib.sha256(got.data).hexdigest() == photo["sha256"]
    stored = Image.open(io.BytesIO(got.data))
    assert not stored.getexif() and "exif" not in stored.info
    assert stored.size == (64, 48)
    assert client.get(photo["url"], headers=staff).status_code == 200
    other = contractor(stack, "남")
    assert client.get(photo["url"], headers=other.auth).status_code == 404
    missing = client.get(f"{URL}/{oid}/photos/{uuid.uuid4()}", headers=a.auth)
    assert missing.status_code == 404 and _hangul(missing.get_json()["detail"])

    # Partial reports (기성): unit 2 by its store number only.
    second = _report(stack, a, oid, [("c.png", _png())], store_number=2)
    assert second.status_code == 200, second.get_json()
    units = {u["code"]: u for u in second.get_json()["units"]}
    assert (units["2"]["status"], units["3"]["status"]) == ("reported", "pending")
    assert units["2"]["photos"][0]["content_type"] == "image/png"

    # Staff send unit 2 back; verification waits for the new report; unit 1 is verified.
    back = client.post(f"{URL}/{oid}/units/2/return", json={"reason": "사진이 흐립니다"},
                       headers=staff)  # fmt: skip
    assert back.status_code == 200, back.get_json()
    unit2 = next(u for u in back.get_json()["units"] if u["code"] == "2")
    assert (unit2["status"], unit2["return_reason"]) == ("returned", "사진이 흐립니다")
    assert client.post(f"{URL}/{oid}/units/2/verification", headers=staff).status_code == 409
    assert client.post(f"{URL}/{oid}/units/2/return", json={"reason": "다시"},
                       headers=staff).status_code == 409  # fmt: skip
    send_test_signal(stack, oid, "1")  # a detector: its test reached the merchant
    assert client.post(f"{URL}/{oid}/units/1/verification", headers=staff).status_code == 200
    seen = client.get(f"{URL}/{oid}", headers=a.auth).get_json()
    assert next(u for u in seen["units"] if u["code"] == "2")["return_reason"] == "사진이 흐립니다"

    again = _report(stack, a, oid, [("d.jpg", jpeg((5, 5, 200)))], unit="2",
                    serial=unit2["serial"], note="다시 찍었습니다")  # fmt: skip
    assert again.status_code == 200, again.get_json()
    unit2 = next(u for u in again.get_json()["units"] if u["code"] == "2")
    assert (unit2["status"], unit2["return_reason"], unit2["reports"]) == ("reported", None, 2)
    send_test_signal(stack, oid, "2")
    assert client.post(f"{URL}/{oid}/units/2/verification", headers=staff).status_code == 200

    # A verified unit is not reported again (409), and nothing is stored.
    before = _stored(stack)
    done = _report(stack, a, oid, [("e.jpg", jpeg((1, 2, 3)))], unit="1", serial="EXT-0001")
    assert done.status_code == 409 and _hangul(done.get_json()["detail"])
    assert _stored(stack) == before
    # Staff cannot send back what is not reported; a contractor cannot send back at all.
    assert client.post(f"{URL}/{oid}/units/3/return", json={"reason": "x"},
                       headers=staff).status_code == 409  # fmt: skip
    assert client.post(f"{URL}/{oid}/units/1/return", json={"reason": "x"},
                       headers=a.auth).status_code == 403  # fmt: skip


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (1, 2, 3, 100)).save(out, "PNG")
    return out.getvalue()


def test_bad_reports_answer_in_korean_and_store_nothing(stack, cat):
    a, b = contractor(stack, "갑"), contractor(stack, "을")
    order = issue(stack, order_body(cat, a.name, YEAR, quantity=2,
                                    units=[{"store_number": 1}]))  # fmt: skip
    theirs = issue(stack, order_body(cat, b.name, YEAR))
    oid = order["id"]
    first = _report(stack, a, oid, [("a.jpg", jpeg())], unit="1", serial="DUP-1")
    assert first.status_code == 200, first.get_json()

    big = bytearray(jpeg())
    big += b"\0" * (30 * 1024 * 1024 - len(big))  # a 30 MB photo
    cases = [
        (413, "10 MB", [("big.jpg", bytes(big))], {"store_number": 5}),
        (422, "사진 파일이 아닙니다", [("note.jpg", "그냥 글입니다".encode())],
         {"store_number": 5}),
        (422, "이미 다른 설치 단위에 보고", [("a.jpg", jpeg())],
         {"unit": "2", "serial": "DUP-1"}),
        (422, "발주 수량", [("a.jpg", jpeg())], {"store_number": 5, "serial": "Q-1"}),
        (422, "설치 단위 9", [("a.jpg", jpeg())], {"unit": "9"}),
        (422, "한 장 이상", [], {"unit": "1"}),
    ]  # fmt: skip
    # The order has room for one more unit: fill it, so a third is above the quantity.
    fill = _report(stack, a, oid, [("f.jpg", jpeg((7, 7, 7)))], store_number=2)
    assert fill.status_code == 200, fill.get_json()
    before = _stored(stack)
    for status, words, photos, form in cases:
        answer = _report(stack, a, oid, photos, **form)
        body = answer.get_json()
        assert answer.status_code == status, (words, body)
        assert answer.content_type == "application/problem+json"
        assert words in str(body) and _hangul(body["detail"]), body
        assert _stored(stack) == before, words
    # Someone else's order: the same 404 as no order at all.
    for target in (theirs["id"], str(uuid.uuid4())):
        answer = _report(stack, a, target, [("a.jpg", jpeg())], unit="1")
        assert answer.status_code == 404 and _hangul(answer.get_json()["detail"])
    assert _stored(stack) == before
    with stack.runtime("markets").db.read() as session:
        serials = session.scalars(
            select(work_order_units.c.serial).where(work_order_units.c.work_order_id == oid)
        ).all()
    assert sorted(serials) == ["DUP-1", serials[1] if serials[0] == "DUP-1" else serials[0]]


def test_a_request_larger_than_the_route_allows_is_413_in_korean(stack, cat):
    a = contractor(stack)
    order = issue(stack, order_body(cat, a.name, YEAR))
    photos = [(f"{i}.jpg", b"\xff" * (11 * 1024 * 1024)) for i in range(5)]
    answer = _report(stack, a, order["id"], photos, unit="1")
    assert answer.status_code == 413 and "MiB" in answer.get_json()["detail"]
    # Every other route keeps its 1 MiB limit.
    other = stack.client("markets").post(URL, data=b"x" * (2 * 1024 * 1024),
                                         headers={**stack.auth("staff"),
                                                  "Content-Type": "application/json"})  # fmt: skip
    assert other.status_code == 413 and "1 MiB" in other.get_json()["detail"]


def test_an_extinguisher_or_camera_is_verified_only_after_its_report(stack, cat):
    """Not a detector (no test signal): the serial and photos of a report are the proof."""
    from orders_flow import report_unit

    firm = contractor(stack)
    body = order_body(cat, firm.name, 2036, job_id=cat.job["2022-fire_equipment_replacement"],
                      quantity=1, amount_krw=500_000, units=[{"store_number": 5}])  # fmt: skip
    oid = issue(stack, body)["id"]
    _committed(stack, oid)
    staff, client = stack.auth("staff"), stack.client("markets")
    early = client.post(f"{URL}/{oid}/units/5/verification", headers=staff)
    assert early.status_code == 409 and "완료 보고" in early.get_json()["detail"]
    assert report_unit(stack, firm.auth, oid, "5").status_code == 200
    done = client.post(f"{URL}/{oid}/units/5/verification", headers=staff)
    assert done.status_code == 200, done.get_json()
