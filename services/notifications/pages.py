"""Staff's delivery log: who was told what, on which channel, and where each message is
(queued for a retry, sent, delivered, failed, acknowledged), a page at a time, and one
delivery with its text. Calls the notifications' own service layer only.

The filter form is sent with POST and answered with a redirect to the list's address, so
a phone number or e-mail address typed to find someone never appears in an address (nor
in access logs or the browser's history): the address carries its keyed hash instead.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Blueprint, current_app, redirect, render_template, request

from services.common import paging
from services.common.auth import roles
from services.common.problems import Problem

from .domain.masking import is_address
from .domain.model import CHANNELS, STATUSES
from .service_layer import delivery_log

pages = Blueprint("notifications_pages", __name__, template_folder="templates")
HOME = "/notifications/deliveries"
STATUS_NAMES = {"queued": "대기", "sent": "발송함", "delivered": "전달됨", "failed": "실패"}
CHANNEL_NAMES = {"local": "내부 알림", "email": "이메일", "sms": "문자(SMS)",
                 "kakao": "알림톡", "webhook": "웹훅", "voice": "음성 전화"}  # fmt: skip
EVENT_NAMES = {
    "applicants.recruitment_opened": "모집 공고",
    "applicants.application_received": "신청 접수",
    "applicants.application_rejected": "신청 부적격",
    "applicants.participant_selected": "선발",
    "applicants.participant_waitlisted": "대기자 지정",
    "applicants.participant_promoted": "대기자 선발",
    "budget.execution_lagging": "집행 부진",
    "markets.alarm_raised": "화재 경보",
    "markets.alarm_escalated": "화재 경보 단계 상승",
}
FIELDS = ("status", "channel", "event_type", "message_id", "recipient", "recipient_key")
LABELS = {"status": "상태", "channel": "채널", "event_type": "이벤트",
          "message_id": "원본 메시지 id", "recipient": "수신자"}  # fmt: skip
KEY = re.compile(r"[0-9a-f]{64}")


def _filters(values) -> tuple[dict[str, str], dict[str, str]]:
    """The filters asked for, and what is wrong with them (left out of the search)."""
    form = {name: values.get(name, "").strip()[:200] for name in FIELDS}
    errors = {}
    if form["status"] and form["status"] not in STATUSES:
        errors["status"] = "상태는 목록에서 고르세요."
    if form["channel"] and form["channel"] not in CHANNELS:
        errors["channel"] = "채널은 목록에서 고르세요."
    if form["recipient_key"] and not KEY.fullmatch(form["recipient_key"]):
        errors["recipient"] = "수신자 조건이 올바르지 않습니다. 수신자를 다시 입력해 주세요."
        form["recipient_key"] = ""
    return {k: v for k, v in form.items() if k not in errors}, errors


@pages.get(HOME)
@roles("staff")
def deliveries():
    """발송 기록: filters, one page of the log, newest first."""
    runtime = current_app.extensions["runtime"]
    form, errors = _filters(request.args)
    number, size = paging.from_args()
    page = delivery_log.find(runtime, form, number, size)
    subscribed = [s.pattern for s in runtime.spec.subscriptions if not set("*#") & set(s.pattern)]
    events = dict.fromkeys([*EVENT_NAMES, *subscribed])
    if form["event_type"]:
        events.setdefault(form["event_type"])
    kept = [(k, v) for k, v in request.args.items() if k not in ("recipient_key", "page")]
    return render_template(
        "notifications/deliveries.html",
        page=page,
        form=form,
        errors=errors,
        labels=LABELS,
        statuses=list(STATUS_NAMES.items()),
        channels=[(c, CHANNEL_NAMES.get(c, c)) for c in CHANNELS],
        events=[(e, f"{EVENT_NAMES[e]} ({e})" if e in EVENT_NAMES else e) for e in events],
        without_recipient=f"{HOME}?{urlencode(kept)}" if kept else HOME,
        **_names(),
    ), (422 if errors else 200)


@pages.post(HOME)
@roles("staff")
def search():
    """The filter form: to the list's address, with a person's address as its keyed hash."""
    form = {name: request.form.get(name, "").strip()[:200] for name in FIELDS}
    if form["recipient"] and is_address(form["recipient"]):
        runtime = current_app.extensions["runtime"]
        form["recipient_key"] = delivery_log.recipient_key(runtime, form.pop("recipient"))
    elif form["recipient"]:
        form["recipient_key"] = ""  # a configured name, searched as it is
    query = urlencode({k: v for k, v in form.items() if v})
    return redirect(f"{HOME}?{query}" if query else HOME, 303)


@pages.get(f"{HOME}/<string:delivery_id>")
@roles("staff")
def delivery(delivery_id: str):
    """One delivery: its text, its times, the delivery it stands in for."""
    row = delivery_log.get(current_app.extensions["runtime"], delivery_id)
    if row is None:
        raise Problem(404, "해당 발송 기록이 없습니다.", "찾을 수 없습니다")
    return render_template("notifications/delivery.html", d=row, **_names())


def _names() -> dict:
    return {"status_names": STATUS_NAMES, "channel_names": CHANNEL_NAMES,
            "event_names": EVENT_NAMES}  # fmt: skip
