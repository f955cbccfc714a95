"""Budget domain rules as pure functions, and the 2022 report read into them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from services.budget.demo_data import DEMO_FILE, budget_from_report
from services.budget.domain import model
from services.common.report_data import load

AS_OF = date(2022, 8, 31)


def unit(position=1, name="기본경비", budget=1000, executed=500, **kw):
    return model.UnitProgram(f"u{position}", position, name, budget, executed, AS_OF, **kw)


def sub(position=1, section="Ⅱ.1", sources=None, unit_program_id=None):
    sources = sources or (model.SourceAmount("district", 1000, 400),)
    return model.SubProgram(
        f"s{position}", position, section, "세부사업", "팀", sources, AS_OF, unit_program_id
    )


def year(units=None, subs=()):
    units = (unit(),) if units is None else units
    return model.FiscalYearBudget(2022, AS_OF, tuple(units), tuple(subs))


def test_thousand_to_krw():
    assert model.thousand_to_krw(728_991) == 728_991_000
    assert model.thousand_to_krw(0) == 0


@pytest.mark.parametrize("bad", [1.5, "1000", True, None])
def test_thousand_to_krw_refuses_non_integers(bad):
    with pytest.raises(model.DomainError, match="정수"):
        model.thousand_to_krw(bad)


def test_rate_is_half_up_to_one_decimal_and_none_without_execution():
    assert model.execution_rate(1, 8) == Decimal("12.5")
    assert model.execution_rate(3_581_505, 6_902_600) == Decimal("51.9")
    assert model.execution_rate(None, 1000) is None
    assert unit(budget=728_991_000, executed=465_903_000).rate_pct == Decimal("63.9")
    assert unit(executed=None).rate_pct is None


def test_split_by_source_orders_sources_and_fills_missing_execution():
    split = model.split_by_source({"district": 30, "fund": 40, "city": 20}, {"city": 5})
    assert [(a.source, a.name) for a in split] == [
        ("city", "시비"),
        ("district", "구비"),
        ("fund", "기금"),
    ]
    assert [a.reported_executed_krw for a in split] == [5, 0, 0]


def test_split_by_source_rejects_unknown_and_orphan_sources():
    with pytest.raises(model.DomainError, match="알 수 없는 재원"):
        model.split_by_source({"lottery": 1}, {})
    with pytest.raises(model.DomainError, match="국비"):
        model.split_by_source({"city": 1}, {"national": 1})


def test_sub_program_totals_are_the_sum_of_its_sources():
    s = sub(
        sources=(
            model.SourceAmount("city", 325_000_000, 325_000_000),
            model.SourceAmount("district", 403_991_000, 140_903_000),
        )
    )
    assert s.budget_krw == 728_991_000
    assert s.reported_executed_krw == 465_903_000
    assert s.rate_pct == Decimal("63.9")


def test_open_fiscal_year_accepts_a_consistent_year():
    budget = year(subs=[sub(unit_program_id="u1")])
    assert model.open_fiscal_year(budget) is budget


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        (year(units=[]), "단위사업이 하나 이상"),
        (replace(year(), year=1999), "회계연도"),
        (year(units=[unit(1, "가"), unit(1, "나")]), "단위사업 순번"),
        (year(units=[unit(1, "가"), unit(2, "가")]), "단위사업명"),
        (year(units=[unit(budget=100, executed=101)]), "집행액이 예산액을 넘을 수 없습니다"),
        (year(units=[unit(budget=-1, executed=None)]), "0원 이상"),
        (year(subs=[sub(1, "Ⅱ.1"), sub(2, "Ⅱ.1")]), "세부사업 절"),
        (year(subs=[sub(unit_program_id="nowhere")]), "단위사업이 이 회계연도에 없습니다"),
        (
            year(subs=[sub(sources=(model.SourceAmount("city", 10, 20),))]),
            "시비: 집행액이 예산액을 넘을 수 없습니다",
        ),
        (
            year(
                subs=[
                    sub(
                        sources=(
                            model.SourceAmount("city", 10, 0),
                            model.SourceAmount("city", 5, 0),
                        )
                    )
                ]
            ),
            "재원이\\(가\\) 중복",
        ),
    ],
)
def test_open_fiscal_year_rejects(budget, message):
    with pytest.raises(model.DomainError, match=message):
        model.open_fiscal_year(budget)


def test_unknown_fiscal_year_message_is_korean():
    assert str(model.UnknownFiscalYear(2023)) == "2023회계연도 예산이 등록되어 있지 않습니다."


# --- the 2022 report, read into the domain (no database) ---------------------------------

REPORT = load(DEMO_FILE)


def test_report_reads_into_a_valid_fiscal_year():
    budget = model.open_fiscal_year(budget_from_report(REPORT))
    assert budget.year == 2022
    assert budget.reported_as_of == date(2022, 8, 31)
    assert [u.position for u in budget.unit_programs] == list(range(1, 10))
    assert sum(u.budget_krw for u in budget.unit_programs) == 36_118_055_000
    assert sum(u.reported_executed_krw for u in budget.unit_programs) == 26_351_314_000
    for u, printed in zip(budget.unit_programs, REPORT["unit_programs"], strict=True):
        assert str(u.rate_pct) == printed["rate_pct"], u.name


def test_report_links_only_section_II_1_to_its_unit_program():
    budget = budget_from_report(REPORT)
    linked = {s.section: s.unit_program_id for s in budget.sub_programs if s.unit_program_id}
    first = budget.unit_programs[0]
    assert linked == {"Ⅱ.1": first.id}
    assert first.name == "희망이 되는 안정적인 일자리 지원"


def test_report_sub_program_sources_add_up_to_printed_totals():
    budget = budget_from_report(REPORT)
    for s, printed in zip(budget.sub_programs, REPORT["sub_programs"], strict=True):
        assert s.budget_krw == printed["budget_thousand"] * 1000, s.section
        assert s.reported_executed_krw == printed["executed_thousand"] * 1000, s.section
