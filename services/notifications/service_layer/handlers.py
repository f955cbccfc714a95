"""Event handlers: each runs inside the inbox transaction of one delivery."""

from __future__ import annotations

import os
import uuid

from sqlalchemy.orm import Session

from services.common.envelope import Envelope, InvalidMessage, load_payload

from .. import contracts
from ..adapters.orm import deliveries
from ..domain.templates import TEMPLATES


def staff_recipients() -> list[str]:
    """Division staff who hear of new recruitments (comma-separated setting)."""
    raw = os.environ.get("NOTIFY_STAFF_RECIPIENTS", "staff:일자리창출팀")
    return [r.strip() for r in raw.split(",") if r.strip()]


def on_recruitment_opened(session: Session, envelope: Envelope) -> None:
    if envelope.version != 1:
        raise InvalidMessage(f"unsupported version {envelope.version}")
    payload = load_payload(contracts.RecruitmentOpenedV1(), envelope)
    template = TEMPLATES["recruitment_opened"]
    body = template.render(**payload)
    session.execute(
        deliveries.insert(),
        [
            {
                "id": str(uuid.uuid4()),
                "message_id": envelope.id,
                "event_type": envelope.type,
                "recipient": recipient,
                "channel": "local",
                "template": template.name,
                "template_version": template.version,
                "body": body,
                "status": "delivered",
            }
            for recipient in staff_recipients()
        ],
    )
