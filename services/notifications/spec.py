"""What the notifications service is: its tables, API and subscriptions."""

from pathlib import Path

from services.common.messaging import Subscription
from services.common.runtime import ServiceSpec

from .adapters.orm import common, metadata
from .api.deliveries import blp as deliveries_blp
from .service_layer import handlers

SPEC = ServiceSpec(
    name="notifications",
    title="영등포구 알림 발송 API",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
    blueprints=(deliveries_blp,),
    emergency=True,
    subscriptions=(
        Subscription(
            "applicants.recruitment_opened",
            handlers.on_recruitment_opened,
            name="notifications.recruitment_opened",
        ),
    ),
)
