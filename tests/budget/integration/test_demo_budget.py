"""The 2022 report loaded into the budget service and read back over its API."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest import unknown_year
from sqlalchemy import func, select

from services.budget.adapters import orm
from services.budget.demo_data import DEMO_FILE
from services.common.report_data import load, rate_pct

pytestmark = pytest.mark.integration

REPORT = load(DEMO_FILE)
TABLES = (
    orm.fiscal_years,
    orm.unit_programs,
    orm.reported_execution,
    orm.sub_programs,
    orm.sub_program_sources,
)
UNITS_URL = "/budget/api/v1/unit-programs"
SUBS_URL = "/budget/api/v1/sub-programs"


def counts(runtime) -> dict[str, int]:
    with runtime.db.read() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def has_2022(runtime) -> bool:
    with runtime.db.read() as session:
        return (
            session.scalar(select(orm.fiscal_years.c.year).where(orm.fiscal_years.c.year == 2022))
            is not None
        )


@pytest.fixture(scope="module")
def seeded(stack):
    runtime = stack.runtime("budget")
    had, before = has_2022(runtime), counts(runtime)
    first = runtime.spec.seed_demo(runtime)
    return SimpleNamespace(runtime=runtime, had=had, before=before, first=first)


def get(stack, url, role="finance", **params):
    return stack.client("budget").get(url, query_string=params, headers=stack.auth(role))


def test_seed_demo_loads_the_report_then_does_nothing(seeded):
    runtime = seeded.runtime
    assert seeded.first is (not seeded.had)
    loaded = counts(runtime)
    if seeded.first:
        sources = sum(len(s["budget_split_thousand"]) for s in REPORT["sub_programs"])
        assert {k: loaded[k] - seeded.before[k] for k in loaded} == {
            "fiscal_years": 1,
            "unit_programs": 9,
            "reported_execution": 9,
            "sub_programs": 9,
            "sub_program_sources": sources,
        }
    assert runtime.spec.seed_demo(runtime) is False
    assert counts(runtime) == loaded


def test_unit_programs_reproduce_the_report(stack, seeded):
    response = get(stack, UNITS_URL, fiscal_year=2022)
    assert response.status_code == 200, response.get_json()
    rows = response.get_json()
    assert [r["name"] for r in rows] == [u["name"] for u in REPORT["unit_programs"]]
    assert [r["position"] for r in rows] == list(range(1, 10))
    assert sum(r["budget_krw"] for r in rows) == 36_118_055_000
    assert sum(r["reported_executed_krw"] for r in rows) == 26_351_314_000
    for row, printed in zip(rows, REPORT["unit_programs"], strict=True):
        assert row["budget_krw"] == printed["budget_thousand"] * 1000
        assert row["reported_executed_krw"] == printed["executed_thousand"] * 1000
        assert row["rate_pct"] == printed["rate_pct"], row["name"]
        assert row["reported_as_of"] == "2022-08-31"


def test_sub_programs_split_by_source_add_up_to_printed_totals(stack, seeded):
    rows = get(stack, SUBS_URL, role="staff", fiscal_year=2022).get_json()
    assert [r["section"] for r in rows] == [s["section"] for s in REPORT["sub_programs"]]
    for row, printed in zip(rows, REPORT["sub_programs"], strict=True):
        assert sum(s["budget_krw"] for s in row["sources"]) == printed["budget_thousand"] * 1000
        assert (
            sum(s["reported_executed_krw"] for s in row["sources"])
            == printed["executed_thousand"] * 1000
        )
        assert row["budget_krw"] == printed["budget_thousand"] * 1000
        assert {s["source"]: s["budget_krw"] for s in row["sources"]} == {
            k: v * 1000 for k, v in printed["budget_split_thousand"].items()
        }
        assert row["team"] == printed["team"]
    by_section = {r["section"]: r for r in rows}
    assert [(s["source"], s["name"]) for s in by_section["Ⅱ.2"]["sources"]] == [
        ("national", "국비"),
        ("city", "시비"),
        ("district", "구비"),
    ]
    assert by_section["Ⅲ.2"]["note"] == "용역 추진 사업으로 준공기한 미도래로 인한 미집행"


def test_sub_program_rates_are_recomputed_not_copied(stack, seeded):
    rows = {r["section"]: r for r in get(stack, SUBS_URL, fiscal_year=2022).get_json()}
    # Ⅱ.5 prints 51.8, but 3,581,505 / 6,902,600 rounds half-up to 51.9.
    assert rows["Ⅱ.5"]["rate_pct"] == "51.9"
    assert rows["Ⅲ.2"]["rate_pct"] == "0.0"
    for printed in REPORT["sub_programs"]:
        if printed["section"] not in ("Ⅱ.5", "Ⅲ.2"):
            assert rows[printed["section"]]["rate_pct"] == printed["rate_pct"]


def test_only_section_II_1_is_linked_to_a_unit_program(stack, seeded):
    units = get(stack, UNITS_URL, fiscal_year=2022).get_json()
    subs = get(stack, SUBS_URL, fiscal_year=2022).get_json()
    linked = {s["section"]: s["unit_program_id"] for s in subs if s["unit_program_id"]}
    assert linked == {"Ⅱ.1": units[0]["id"]}


@pytest.mark.parametrize("url", [UNITS_URL, SUBS_URL])
def test_unknown_fiscal_year_is_a_korean_404_problem(stack, seeded, url):
    year = unknown_year(stack.runtime("budget"))
    response = get(stack, url, fiscal_year=year)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 404
    assert body["detail"] == f"{year}회계연도 예산이 등록되어 있지 않습니다."


@pytest.mark.parametrize("params", [{}, {"fiscal_year": "이천이십이"}, {"fiscal_year": 1999}])
def test_bad_fiscal_year_query_is_422(stack, seeded, params):
    response = get(stack, UNITS_URL, **params)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "fiscal_year" in response.get_json()["errors"]["query"]


@pytest.mark.parametrize("url", [UNITS_URL, SUBS_URL])
def test_budget_needs_a_token(stack, seeded, url):
    response = stack.client("budget").get(url, query_string={"fiscal_year": 2022})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["title"] == "인증이 필요합니다"


@pytest.mark.parametrize("role", ["contractor", "device"])
@pytest.mark.parametrize("url", [UNITS_URL, SUBS_URL])
def test_budget_is_closed_to_other_roles(stack, seeded, url, role):
    response = get(stack, url, role=role, fiscal_year=2022)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "finance, staff" in response.get_json()["detail"]


def test_reported_total_rate_matches_the_printed_total(stack, seeded):
    rows = get(stack, UNITS_URL, role="admin", fiscal_year=2022).get_json()
    executed = sum(r["reported_executed_krw"] for r in rows)
    budget = sum(r["budget_krw"] for r in rows)
    assert str(rate_pct(executed, budget)) == REPORT["total"]["rate_pct"]
