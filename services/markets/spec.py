"""What the markets service is: its tables, API, subscriptions and demo data."""

from pathlib import Path

from services.common.messaging import Subscription
from services.common.runtime import ServiceSpec

from .adapters.orm import common, metadata
from .api.alarms import blp as alarms_blp
from .api.alarms import rules_blp
from .api.completions import blp as completions_blp
from .api.coverage import blp as coverage_blp
from .api.devices import blp as devices_blp
from .api.markets import blp as markets_blp
from .api.safety_jobs import blp as safety_jobs_blp
from .api.work_orders import blp as work_orders_blp
from .demo_data import seed_demo
from .pages import pages
from .service_layer import handlers, work_order_events
from .tasks import device_verifier, register_tasks

SPEC = ServiceSpec(
    name="markets",
    title="영등포구 전통시장 안전관리 API",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
    blueprints=(
        markets_blp,
        safety_jobs_blp,
        work_orders_blp,
        coverage_blp,
        completions_blp,
        devices_blp,
        alarms_blp,
        rules_blp,
    ),
    register_tasks=register_tasks,
    pages=(pages,),
    page_links=(
        ("안전사업 발주 (검수, 취소)", "/markets/work-orders", ("staff",)),
        ("발주 등록", "/markets/work-orders/new", ("staff",)),
        ("안전사업 이행 현황 (목표·검수·지급, 내려받기)", "/markets/coverage", ("staff",)),
        ("내 발주 (완료 보고)", "/markets/contractor/", ("contractor",)),
    ),
    bearer_verifiers=(device_verifier,),
    subscriptions=(
        Subscription(
            "notifications.notification_acknowledged",
            handlers.on_notification_acknowledged,
            name="markets.notification_acknowledged",
            emergency=True,
        ),
        Subscription(
            "notifications.message_delivered",
            handlers.on_delivery_report,
            name="markets.message_delivered",
            emergency=True,
        ),
        Subscription(
            "notifications.message_failed",
            handlers.on_delivery_report,
            name="markets.message_failed",
            emergency=True,
        ),
        # Budget's answers about work orders (bulk queue).
        Subscription(
            "budget.work_order_committed",
            work_order_events.on_committed,
            name="markets.work_order_committed",
        ),
        Subscription(
            "budget.work_order_commitment_refused",
            work_order_events.on_commitment_refused,
            name="markets.work_order_commitment_refused",
        ),
        Subscription(
            "budget.work_order_paid", work_order_events.on_paid, name="markets.work_order_paid"
        ),
        Subscription(
            "budget.work_order_payment_refused",
            work_order_events.on_payment_refused,
            name="markets.work_order_payment_refused",
        ),
    ),
    seed_demo=seed_demo,
    emergency=True,
)
