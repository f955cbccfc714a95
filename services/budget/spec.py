"""What the budget service is: its tables, API, subscriptions and demo data."""

from pathlib import Path

from services.common.messaging import Subscription
from services.common.runtime import ServiceSpec

from .adapters.orm import common, metadata
from .api.ledger import blp as ledger_blp
from .api.postings import blp as postings_blp
from .api.reports import blp as reports_blp
from .api.sub_programs import blp as sub_programs_blp
from .api.unit_programs import blp as unit_programs_blp
from .api.years import blp as years_blp
from .demo_data import seed_demo
from .pages import pages
from .service_layer.events import commit_wages, release_wages
from .service_layer.work_orders import commit_work_order, pay_installation, release_work_order

SUBSCRIPTIONS = (
    Subscription("applicants.participant_selected", commit_wages, "budget.commit_wages"),
    Subscription("applicants.participant_promoted", commit_wages, "budget.commit_promoted"),
    Subscription("applicants.participant_withdrawn", release_wages, "budget.release_wages"),
    Subscription("markets.work_order_issued", commit_work_order, "budget.commit_work_order"),
    Subscription("markets.installation_completed", pay_installation, "budget.pay_installation"),
    Subscription("markets.work_order_cancelled", release_work_order, "budget.release_work_order"),
)

SPEC = ServiceSpec(
    name="budget",
    title="영등포구 일자리경제과 예산 집행 API",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
    blueprints=(
        unit_programs_blp,
        sub_programs_blp,
        postings_blp,
        ledger_blp,
        reports_blp,
        years_blp,
    ),
    subscriptions=SUBSCRIPTIONS,
    seed_demo=seed_demo,
    pages=(pages,),
    page_links=(
        ("예산현황 (집행률, 내려받기)", "/budget/report"),
        ("지출원인행위 등록", "/budget/commitments/new"),
        ("지출원인행위 목록 (지출·해제·정정)", "/budget/commitments"),
        ("지출 등록", "/budget/expenditures/new"),
        ("전용·이용 요청", "/budget/transfers/new"),
        ("전용·이용 승인 대기 목록", "/budget/transfers"),
        ("원장 검사 (위·변조 확인)", "/budget/ledger/check"),
    ),
)
