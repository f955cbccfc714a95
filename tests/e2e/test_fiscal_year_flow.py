"""A year after 2022, end to end with real workers: a 2027 draw before finance opened 2027
waits; finance opens 2027 by API, links `safe` and `youth`; the waiting wage is committed
once; a second draw's wages are committed; the report shows them as 지출원인행위액; a
withdrawal releases."""

from __future__ import annotations

import hashlib
import random
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from infra import wait_until

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "applicants"))
from builders_applicants import application, make_rrn, program  # noqa: E402

from services.budget.adapters.orm import commitments, documents  # noqa: E402

pytestmark = pytest.mark.integration


def _free_year(stack) -> int:
    """2027, unless another test of this session (the API fuzzer) opened it already."""
    from services.budget.adapters import repository

    with stack.runtime("budget").db.read() as session:
        return next(y for y in range(2027, 2101) if not repository.fiscal_year_exists(session, y))


def _program(code: str, year: int) -> dict:
    return program(code, quota=1, work_starts=f"{year}-03-02", work_ends=f"{year}-06-30")


def _draw(stack, unique: str, programs: list[dict], people: list[dict], YEAR: int) -> str:
    client, seed = stack.client("applicants"), f"seed-{unique}"
    opened = client.post("/applicants/api/v1/recruitments", json={
        "title": f"{YEAR} 상반기 공공일자리 {unique}", "year": YEAR, "half": 1,
        "seed_hash": hashlib.sha256(seed.encode()).hexdigest(), "programs": programs,
    }, headers=stack.auth("staff"))  # fmt: skip
    assert opened.status_code == 201, opened.get_json()
    rid = opened.get_json()["id"]
    for body in people:
        sent = client.post(f"/applicants/api/v1/recruitments/{rid}/applications", json=body)
        assert sent.status_code == 201 and sent.get_json()["status"] == "eligible", sent.get_json()
    draw = client.post(f"/applicants/api/v1/recruitments/{rid}/selection", json={"seed": seed},
                       headers=stack.auth("staff"))  # fmt: skip
    assert draw.status_code == 201, draw.get_json()
    return rid


def _selected(stack, rid: str) -> list[dict]:
    runtime = stack.runtime("applicants")
    outbox = runtime.spec.tables.outbox
    with runtime.db.read() as session:
        rows = session.execute(
            select(outbox.c.envelope).where(outbox.c.type == "applicants.participant_selected")
        )
        return [r.envelope for r in rows if r.envelope["payload"]["recruitment_id"] == rid]


def _commitments(stack, application_id: str) -> list:
    with stack.runtime("budget").db.read() as session:
        return session.execute(
            select(commitments.c.amount_krw, commitments.c.released_krw, commitments.c.program_id)
            .join(documents, documents.c.id == commitments.c.id)
            .where(documents.c.application_id == application_id)
        ).all()


def _outstanding(stack, program_id: str) -> int:
    c = commitments.c
    with stack.runtime("budget").db.read() as session:
        return session.scalar(
            select(func.coalesce(func.sum(c.amount_krw - c.released_krw - c.reversed_krw), 0))
            .where(c.program_id == program_id)
        )  # fmt: skip


def test_a_2027_draw_is_committed_once_finance_opens_2027(stack, worker_factory, unique):
    worker_factory("budget")
    YEAR = _free_year(stack)  # noqa: N806 (the issue's "2027")
    finance = stack.auth("finance")
    budget = stack.client("budget")
    rng = random.Random(unique)

    # A draw for 2027 before finance opened 2027: its wage waits, listed for finance.
    early = _draw(stack, unique + "a", [_program("safe", YEAR)], [application(unique + "a")], YEAR)
    [waiting] = _selected(stack, early)
    early_app = waiting["payload"]["application_id"]
    wait_until(lambda: any(
        w["application_id"] == early_app for w in budget.get(
            f"/budget/api/v1/waiting-commitments?fiscal_year={YEAR}", headers=finance).get_json()
    ), timeout=60)  # fmt: skip
    assert _commitments(stack, early_app) == []

    # Finance opens 2027: a 단위사업, two 세부사업, and the links of `safe` and `youth`.
    assert budget.post("/budget/api/v1/fiscal-years", json={"year": YEAR},
                       headers=finance).status_code == 201  # fmt: skip
    unit = budget.post("/budget/api/v1/unit-programs", json={
        "fiscal_year": YEAR, "name": "일자리 창출 및 취업 지원", "budget_krw": 0},
        headers=finance).get_json()  # fmt: skip
    subs = {}
    for code, section, title, sources, ratio in (
        ("safe", "Ⅱ.2", "취업취약계층 공공일자리", {"city": 7_000_000_000, "district": 3_000_000_000},
         {"city": 70, "district": 30}),
        ("youth", "Ⅱ.4", "청년드림나래", {"national": 5_000_000_000, "city": 5_000_000_000},
         {"national": 50, "city": 50}),
    ):  # fmt: skip
        sub = budget.post("/budget/api/v1/sub-programs", json={
            "fiscal_year": YEAR, "section": section, "title": title, "team": "일자리창출팀",
            "unit_program_id": unit["id"], "sources": sources}, headers=finance)  # fmt: skip
        assert sub.status_code == 201, sub.get_json()
        subs[code] = sub.get_json()["id"]
        link = budget.put(f"/budget/api/v1/program-links/{YEAR}/{code}", json={
            "sub_program_id": subs[code], "ratio_pct": ratio}, headers=finance)  # fmt: skip
        assert link.status_code == 200, link.get_json()

    # The waiting wage is committed, once.
    [first] = _commitments(stack, early_app)
    assert first.amount_krw == waiting["payload"]["wage_commitment_krw"]
    assert first.program_id == subs["safe"]

    # A second draw, both programs: every selected wage is committed on its 세부사업.
    youth = application(unique + "y", preferences=["youth"],
                        rrn=make_rrn(date(1999, 5, 5), "F", rng))  # fmt: skip
    later = _draw(stack, unique + "b", [_program("safe", YEAR), _program("youth", YEAR)],
                  [application(unique + "b"), youth], YEAR)  # fmt: skip
    chosen = _selected(stack, later)
    assert {e["payload"]["program_code"] for e in chosen} == {"safe", "youth"}
    for envelope in chosen:
        p = envelope["payload"]
        [row] = wait_until(lambda p=p: _commitments(stack, p["application_id"]), timeout=60)
        assert row.amount_krw == p["wage_commitment_krw"]
        assert row.program_id == subs[p["program_code"]]
    assert len(_commitments(stack, early_app)) == 1  # still once

    report = budget.get(f"/budget/api/v1/reports/execution?fiscal_year={YEAR}&by=sub_program",
                        headers=finance).get_json()  # fmt: skip
    rows = {r["key"]: r for r in report["rows"]}
    for code in ("safe", "youth"):
        assert rows[subs[code]]["committed_krw"] == _outstanding(stack, subs[code]) > 0
        assert rows[subs[code]]["executed_krw"] == 0
    wages = sum(e["payload"]["wage_commitment_krw"] for e in chosen if
                e["payload"]["program_code"] == "safe") + first.amount_krw  # fmt: skip
    assert rows[subs["safe"]]["committed_krw"] >= wages

    # A withdrawal releases what is unpaid.
    [gone] = [e["payload"] for e in chosen if e["payload"]["program_code"] == "youth"]
    answer = stack.client("applicants").post(
        f"/applicants/api/v1/applications/{gone['application_id']}/withdrawal",
        json={"reason": "취업"}, headers=stack.auth("staff"))  # fmt: skip
    assert answer.status_code in (200, 201), answer.get_json()
    wait_until(lambda: _commitments(stack, gone["application_id"])[0].released_krw
               == gone["wage_commitment_krw"], timeout=60)  # fmt: skip
    after = budget.get(f"/budget/api/v1/reports/execution?fiscal_year={YEAR}&by=sub_program",
                       headers=finance).get_json()  # fmt: skip
    youth_row = {r["key"]: r for r in after["rows"]}[subs["youth"]]
    assert youth_row["committed_krw"] == _outstanding(stack, subs["youth"])
    assert youth_row["committed_krw"] == rows[subs["youth"]]["committed_krw"] - gone[
        "wage_commitment_krw"]  # fmt: skip
