"""What the notifications service is: its tables, API, subscriptions and tasks."""

from pathlib import Path

from services.common.messaging import Subscription
from services.common.runtime import ServiceSpec

from .adapters.orm import common, metadata
from .api.deliveries import blp as deliveries_blp
from .api.public import ack_blp, receipt_blp
from .pages import pages
from .service_layer import handlers
from .service_layer.retention import blank_old_bodies
from .tasks import register_tasks


def _sub(event_type: str, handler, emergency: bool = False) -> Subscription:
    return Subscription(
        event_type, handler, name=f"notifications.{event_type.split('.')[1]}", emergency=emergency
    )


SPEC = ServiceSpec(
    name="notifications",
    title="영등포구 알림 발송 API",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
    blueprints=(deliveries_blp, ack_blp, receipt_blp),
    emergency=True,
    register_tasks=register_tasks,
    retention=blank_old_bodies,
    pages=(pages,),
    page_links=(("발송 기록 (상태·재시도·수신 확인)", "/notifications/deliveries"),),
    subscriptions=(
        _sub("applicants.recruitment_opened", handlers.on_recruitment_opened),
        _sub("applicants.application_received", handlers.on_application_received),
        _sub("applicants.application_rejected", handlers.on_application_rejected),
        _sub("applicants.participant_selected", handlers.on_participant_selected),
        _sub("applicants.participant_waitlisted", handlers.on_participant_waitlisted),
        _sub("applicants.participant_promoted", handlers.on_participant_promoted),
        _sub("budget.execution_lagging", handlers.on_execution_lagging),
        _sub("markets.alarm_raised", handlers.on_alarm_raised, emergency=True),
        _sub("markets.alarm_escalated", handlers.alarm_notice, emergency=True),
    ),
)
