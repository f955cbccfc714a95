"""Stores: the demo's 110, the list staff read, imports all or nothing (issue #9.1)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from services.markets.adapters.orm import markets

pytestmark = pytest.mark.integration


@pytest.fixture
def market_ids(stack):
    runtime = stack.runtime("markets")
    runtime.spec.seed_demo(runtime)
    with runtime.db.read() as session:
        return dict(session.execute(select(markets.c.name, markets.c.id)).all())


def _stores(stack, market_id, **query):
    response = stack.client("markets").get(
        f"/markets/api/v1/markets/{market_id}/stores", query_string=query,
        headers=stack.auth("staff"),
    )  # fmt: skip
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _upload(stack, market_id, name, data):
    return stack.client("markets").post(
        f"/markets/api/v1/markets/{market_id}/stores/import",
        data={"file": (io.BytesIO(data), name)}, headers=stack.auth("staff"),
        content_type="multipart/form-data",
    )  # fmt: skip


def test_the_demo_has_the_reports_110_stores_marked_generated(stack, market_ids):
    dongnam = _stores(stack, market_ids["동남상가"], page_size=500)
    samgu = _stores(stack, market_ids["삼구시장"], page_size=500)
    assert (dongnam["total"], samgu["total"]) == (56, 54)
    first = dongnam["items"][0]
    assert first["number"] == 1 and first["name_generated"] is True
    assert first["merchant_phone_masked"].startswith("010-****-")
    assert "0001" not in first["merchant_phone_masked"][:8]
    assert (
        stack.client("markets")
        .get(f"/markets/api/v1/markets/{market_ids['동남상가']}/stores")
        .status_code
        == 401
    )


def test_csv_import_then_a_change_of_tenant_keeps_the_number(stack, market_ids):
    market = market_ids["영일시장"]
    csv_text = "번호,상호,통로,층,x,y,점포주,휴대전화,알림톡\n1,영일떡집,가열,1층,1,2,김영일,010-2222-3333,Y\n2,영일상회,가열,1층,2,2,,,\n"
    response = _upload(stack, market, "stores.csv", csv_text.encode("cp949"))
    assert response.status_code == 200 and response.get_json() == {"created": 2, "updated": 0}
    changed = "번호,상호\n1,새주인 분식\n"
    assert _upload(stack, market, "s.csv", changed.encode()).get_json() == {
        "created": 0,
        "updated": 1,
    }
    items = _stores(stack, market)["items"]
    assert [(s["number"], s["name"]) for s in items] == [(1, "새주인 분식"), (2, "영일상회")]


def test_xlsx_with_one_bad_row_imports_nothing_and_says_where(stack, market_ids):
    market = market_ids["대림중앙시장"]
    book = Workbook()
    sheet = book.active
    sheet.append(["번호", "상호", "휴대전화"])
    sheet.append([1, "대림수산", "010-1234-5678"])
    sheet.append(["둘", "", "02-123"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(stack, market, "stores.xlsx", buffer.getvalue())
    assert response.status_code == 422
    rows = response.get_json()["rows"]
    assert {(r["row"], r["column"]) for r in rows} == {(3, "번호"), (3, "상호"), (3, "휴대전화")}
    assert all("\uac00" <= r["message"][0] <= "\ud7a3" or r["message"] for r in rows)
    assert _stores(stack, market)["total"] == 0  # nothing half-imported


def test_a_text_file_is_refused(stack, market_ids):
    response = _upload(stack, market_ids["영일시장"], "notes.txt", b"hello")
    assert response.status_code == 422 and "CSV" in response.get_json()["detail"]
