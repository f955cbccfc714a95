"""Event handlers: each runs inside the inbox transaction of one delivery, and only
plans and queues messages; sending happens after commit, in ``notifications.send_delivery``
or, for urgent deliveries, right there (``Notifier.send_now``)."""

from __future__ import annotations

import structlog
from marshmallow import Schema
from sqlalchemy.orm import Session

from services.common.envelope import Envelope, InvalidMessage, load_payload

from .. import contracts
from ..domain.model import Plan, Recipient
from .notifier import current_notifier
from .queueing import queue
from .recipients import configured, person

log = structlog.get_logger(__name__)


def _load(schema: Schema, envelope: Envelope) -> dict:
    if envelope.version != 1:
        raise InvalidMessage(f"unsupported version {envelope.version}")
    return load_payload(schema, envelope)


def _tell_person(session: Session, envelope: Envelope, template: str, payload: dict) -> None:
    notifier = current_notifier()
    recipient = person(notifier.pii, payload["recipient"])
    if recipient is None:
        log.warning("delivery.no_address", type=envelope.type)
        return
    values = {**payload, "name": payload["recipient"]["name_masked"]}
    values.pop("recipient")
    queue(session, notifier, envelope, [Plan(recipient, template, values)])


def _tell_configured(
    session: Session, envelope: Envelope, template: str, payload: dict, entries
) -> None:
    notifier = current_notifier()
    plans = [Plan(configured(notifier.pii, entry), template, payload) for entry in entries]
    queue(session, notifier, envelope, plans)


def on_recruitment_opened(session: Session, envelope: Envelope) -> None:
    payload = _load(contracts.RecruitmentOpenedV1(), envelope)
    staff = current_notifier().settings.staff_recipients
    _tell_configured(session, envelope, "recruitment_opened", payload, staff)


def on_application_received(session: Session, envelope: Envelope) -> None:
    payload = _load(contracts.ApplicationReceivedV1(), envelope)
    _tell_person(session, envelope, "application_received", payload)


def on_application_rejected(session: Session, envelope: Envelope) -> None:
    payload = _load(contracts.ApplicationRejectedV1(), envelope)
    payload["reasons"] = [r["message"] for r in payload["reasons"]]
    _tell_person(session, envelope, "application_rejected", payload)


def on_participant_selected(session: Session, envelope: Envelope) -> None:
    payload = _load(contracts.ParticipantSelectedV1(), envelope)
    _tell_person(session, envelope, "participant_selected", payload)


def on_participant_waitlisted(session: Session, envelope: Envelope) -> None:
    payload = _load(contracts.ParticipantWaitlistedV1(), envelope)
    _tell_person(session, envelope, "participant_waitlisted", payload)


def on_participant_promoted(session: Session, envelope: Envelope) -> None:
    payload = _load(contracts.ParticipantPromotedV1(), envelope)
    _tell_person(session, envelope, "participant_promoted", payload)


def on_execution_lagging(session: Session, envelope: Envelope) -> None:
    payload = _load(contracts.ExecutionLaggingV1(), envelope)
    finance = current_notifier().settings.finance_recipients
    _tell_configured(session, envelope, "execution_lagging", payload, finance)


def on_alarm_raised(session: Session, envelope: Envelope) -> None:
    """Emergency: the fire station's webhook and every merchant, now, quiet hours or not."""
    if envelope.version == 2:
        return alarm_notice(session, envelope)
    payload = _load(contracts.AlarmRaisedV1(), envelope)
    notifier = current_notifier()
    values = {k: v for k, v in payload.items() if k not in ("recipients", "station_webhook")}
    plans = []
    if payload["station_webhook"]:
        url = notifier.settings.station_webhook_url
        station = (
            Recipient("station:119", "webhook", url, "119 상황실")
            if url
            else Recipient("station:119", "local", None, "119 상황실")
        )
        plans.append(Plan(station, "alarm_raised", values, urgent=True))
    for entry in payload["recipients"]:
        recipient = person(notifier.pii, entry, urgent=True)
        if recipient is not None:
            plans.append(Plan(recipient, "alarm_raised", values, urgent=True))
    queue(session, notifier, envelope, plans)


HEADLINES = {
    ("fire", "confirmed"): "긴급 화재경보",
    ("fire", "suspected"): "화재 의심",
    ("device_offline", None): "화재감지기 통신 끊김",
    ("battery_low", None): "화재감지기 배터리 부족",
}


def alarm_notice(session: Session, envelope: Envelope) -> None:
    """markets.alarm_raised / alarm_escalated v2: the people markets names, and the roles
    this service resolves (119's signed webhook, 시장지원팀, 당직, the contractor)."""
    if envelope.version != 2:
        raise InvalidMessage(f"unsupported version {envelope.version}")
    payload = load_payload(contracts.AlarmNoticeV2(), envelope)
    notifier = current_notifier()
    settings = notifier.settings
    market, store = payload["market"], payload["store"]
    detected = _kst(payload["detected_at"])
    values = {
        "test_mark": "[시험] " if payload["test"] else "",
        "headline": HEADLINES.get((payload["type"], payload["stage"]), "화재감지기 알림"),
        "market_name": market["name"],
        "market_address": market["address"] or "주소 미등록",
        "store_number": store["number"],
        "store_name": store["name"] + (" (가칭)" if store["name_generated"] else ""),
        "location": store["location"] or "위치 미기재",
        "detected_kst": detected,
        "alarm_id": payload["alarm_id"],
    }
    urgent = payload["ack_required"] or payload["type"] == "fire"
    plans = []
    roles = list(payload["roles"])
    if payload["test"] or payload["stage"] != "confirmed":
        roles = [r for r in roles if r != "station"]  # defence in depth: 119 hears real fires
    for role in roles:
        if role == "station":
            url = settings.station_webhook_url
            station = (
                Recipient("station:119", "webhook", url, "119 상황실")
                if url
                else Recipient("station:119", "local", None, "119 상황실")
            )
            plans.append(Plan(station, "alarm_notice", values, urgent=urgent))
        for entry in settings.role_recipients.get(role, ()):
            plans.append(Plan(configured(notifier.pii, entry), "alarm_notice", values, urgent))
    for entry in payload["recipients"]:
        recipient = person(notifier.pii, entry, urgent=urgent)
        if recipient is not None:
            plans.append(Plan(recipient, "alarm_notice", values, urgent=urgent))
    queue(session, notifier, envelope, plans)


def _kst(iso: str) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    try:
        moment = datetime.fromisoformat(iso).astimezone(ZoneInfo("Asia/Seoul"))
    except ValueError:
        return iso
    return moment.strftime("%m월 %d일 %H:%M:%S")
