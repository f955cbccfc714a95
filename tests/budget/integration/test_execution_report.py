"""예산현황 from the ledger: as of 2022-08-31 it reproduces the printed table row by row."""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal

import pytest
from conftest import open_fresh_year, unknown_year
from openpyxl import load_workbook

from services.budget.demo_data import DEMO_FILE
from services.common.report_data import load

pytestmark = pytest.mark.integration
REPORT = load(DEMO_FILE)
URL = "/budget/api/v1/reports/execution"


def get(stack, role="finance", **params):
    params = {"fiscal_year": 2022, "as_of": "2022-08-31", **params}
    return stack.client("budget").get(URL, query_string=params, headers=stack.auth(role))


def test_unit_program_table_as_of_2022_08_31_is_the_printed_one(stack, budget_2022):
    r = get(stack)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    printed = [
        (u["name"], u["budget_thousand"], u["executed_thousand"], u["rate_pct"])
        for u in REPORT["unit_programs"]
    ]
    ours = [
        (row["name"], row["budget_thousand"], row["executed_thousand"], row["rate_pct"])
        for row in body["rows"]
    ]
    assert ours == printed
    total = body["total"]
    assert (total["budget_thousand"], total["executed_thousand"], total["rate_pct"]) == (
        36_118_055,
        26_351_314,
        "73.0",
    )
    assert total["budget_krw"] == 36_118_055_000 and total["executed_krw"] == 26_351_314_000


def test_sub_program_tables_as_of_2022_08_31(stack, budget_2022):
    rows = get(stack, by="sub_program").get_json()["rows"]
    assert len(rows) == len(REPORT["sub_programs"])
    for row, s in zip(rows, REPORT["sub_programs"], strict=True):
        assert row["name"] == f"{s['section']} {s['title']}"
        assert (row["budget_thousand"], row["executed_thousand"]) == (
            s["budget_thousand"],
            s["executed_thousand"],
        )
        if s["section"] == "Ⅱ.5":  # printed 51.8 (truncated); half-up gives 51.9
            assert (s["rate_pct"], row["rate_pct"]) == ("51.8", "51.9")
        else:
            assert Decimal(row["rate_pct"]) == Decimal(s["rate_pct"])


def test_by_funding_source_adds_up_to_the_sub_program_totals(stack, budget_2022):
    body = get(stack, by="source").get_json()
    expected: dict[str, list[int]] = {}
    for s in REPORT["sub_programs"]:
        for source, amount in s["budget_split_thousand"].items():
            expected.setdefault(source, [0, 0])[0] += amount
            expected[source][1] += s["executed_split_thousand"].get(source, 0)
    assert {r["key"]: [r["budget_thousand"], r["executed_thousand"]] for r in body["rows"]} == (
        expected
    )
    assert [r["name"] for r in body["rows"]] == ["국비", "시비", "구비", "기금"]
    assert body["total"]["budget_thousand"] == sum(
        s["budget_thousand"] for s in REPORT["sub_programs"]
    )


def test_before_the_report_date_nothing_is_executed_yet(stack, budget_2022):
    body = get(stack, as_of="2022-08-30").get_json()
    assert body["total"]["executed_krw"] == 0
    assert body["total"]["budget_thousand"] == 36_118_055


def test_csv_and_xlsx_carry_the_same_figures(stack, budget_2022):
    r = get(stack, format="csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert lines[0][:4] == ["구분", "예산액(천원)", "집행액(천원)", "집행률(%)"]
    assert lines[1][:4] == ["희망이 되는 안정적인 일자리 지원", "728991", "465903", "63.9"]
    assert lines[-1][:4] == ["계", "36118055", "26351314", "73.0"]
    r = get(stack, format="xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    values = [tuple(c.value for c in row[:4]) for row in sheet.iter_rows(min_row=3)]
    assert values[0] == ("희망이 되는 안정적인 일자리 지원", 728991, 465903, "63.9")
    assert values[-1] == ("계", 36118055, 26351314, "73.0")
    assert len(values) == 10


def test_unknown_year_is_404_and_staff_may_read(stack, budget_2022):
    assert get(stack, fiscal_year=unknown_year(stack.runtime("budget"))).status_code == 404
    assert get(stack, role="staff").status_code == 200
    assert get(stack, role="contractor").status_code == 403


def test_a_year_stored_before_the_ledger_existed_gets_its_ledger_on_seed(stack):
    from sqlalchemy import delete, select

    from services.budget.adapters.orm import accounts, documents, ledger_entries, program_mappings
    from services.budget.demo_data import budget_from_report, mappings_from_report
    from services.budget.service_layer.programs import open_fiscal_year

    runtime = stack.runtime("budget")
    data = {**REPORT, "fiscal_year": 2059}
    budget = budget_from_report(data)
    assert open_fiscal_year(runtime, budget)
    with runtime.db.transaction() as session:  # as if recorded by the first release
        ids = session.scalars(select(accounts.c.id).where(accounts.c.fiscal_year == 2059)).all()
        session.execute(delete(ledger_entries).where(ledger_entries.c.account_id.in_(ids)))
        session.execute(delete(documents).where(documents.c.fiscal_year == 2059))
        session.execute(delete(accounts).where(accounts.c.fiscal_year == 2059))
        session.execute(delete(program_mappings).where(program_mappings.c.fiscal_year == 2059))
    again = budget_from_report(data)  # new random ids, as a second seed run makes
    assert open_fiscal_year(runtime, again, mappings_from_report(data, again)) is True
    assert open_fiscal_year(runtime, again, mappings_from_report(data, again)) is False
    body = get(stack, fiscal_year=2059, as_of="2059-12-31").get_json()
    assert body["total"]["budget_thousand"] == 36_118_055
    with runtime.db.read() as session:
        assert len(session.execute(
            select(program_mappings).where(program_mappings.c.fiscal_year == 2059)
        ).all()) == 4  # fmt: skip


def test_a_unit_programs_row_moves_with_what_is_posted_on_its_sub_programs(stack, finance_users):
    """The 단위사업's own figures are those stated when the year opened (the report prints
    them, its 세부사업 included); commitments and payments on a 세부사업 move it after."""
    y = open_fresh_year(stack.runtime("budget"), {"district": 800_000}, 2_000_000, linked=True)
    client, finance, payer = stack.client("budget"), finance_users[0], finance_users[1]

    def unit_row():
        body = get(stack, fiscal_year=y.year, as_of=f"{y.year}-12-31", by="unit_program")
        [row] = [r for r in body.get_json()["rows"] if r["name"] == f"단위-{y.year}"]
        return row["budget_krw"], row["committed_krw"], row["executed_krw"]

    assert unit_row() == (2_000_000, 0, 0)
    headers = {**finance, "Idempotency-Key": uuid.uuid4().hex}
    made = client.post("/budget/api/v1/commitments", headers=headers,
                       json={"program_id": y.sub_id, "amount_krw": 300_000})  # fmt: skip
    assert made.status_code == 201, made.get_json()
    paid = client.post("/budget/api/v1/expenditures",
                       headers={**payer, "Idempotency-Key": uuid.uuid4().hex},
                       json={"commitment_id": made.get_json()["commitment_id"], "amount_krw": 100_000})  # fmt: skip
    assert paid.status_code == 201, paid.get_json()
    assert unit_row() == (2_000_000, 300_000, 100_000)
