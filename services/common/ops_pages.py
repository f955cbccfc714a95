"""Staff's page of the dead-letter store every service carries: the list (paged, optionally
with what was replayed already) and a 재처리 button per message. The same store and replay
as the API (``ops_api.py``); forms work without JavaScript (POST → 303 → GET)."""

from __future__ import annotations

from urllib.parse import urlencode

import structlog
from flask import Blueprint, current_app, flash, g, redirect, render_template, request
from kombu.exceptions import OperationalError

from . import paging
from .auth import roles

REASONS = {"invalid": "형식 오류", "exhausted": "재시도 소진"}
log = structlog.get_logger(__name__)


def _include_replayed(values) -> bool:
    return values.get("include_replayed") in ("1", "on", "true")


def dead_letter_pages(service: str) -> Blueprint:
    pages = Blueprint(f"{service}_dead_letter_pages", __name__)
    home = f"/{service}/dead-letters"

    @pages.get(home)
    @roles("staff")
    def dead_letters():
        """처리하지 못한 메시지 목록 (최근 것부터)."""
        include_replayed = _include_replayed(request.args)
        page_number, page_size = paging.from_args()
        runtime = current_app.extensions["runtime"]
        page = runtime.dead_letters.page(include_replayed, page_number, page_size)
        return render_template(
            "common/dead_letters.html",
            service=service,
            title=current_app.config.get("API_TITLE", service),
            page=page,
            include_replayed=include_replayed,
            reasons=REASONS,
            back=_back_fields(request.args),
        )

    @pages.post(f"{home}/<string:dead_letter_id>/replay")
    @roles("staff")
    def replay(dead_letter_id: str):
        """Send one dead letter back to this service's queue, once."""
        runtime = current_app.extensions["runtime"]
        row = runtime.dead_letters.get(dead_letter_id)
        if row is None:
            flash("해당 메시지가 없습니다. 목록을 새로 고쳐 주세요.")
        else:
            try:
                if runtime.replay(dead_letter_id, g.principal.name):
                    flash(
                        f"재처리하도록 다시 보냈습니다: {row['type']} (메시지 {row['message_id']})"
                    )
                else:
                    flash("이미 재처리한 메시지입니다.")
            except OperationalError:
                log.warning("dead_letter.replay_unavailable", dead_letter_id=dead_letter_id)
                flash(
                    "메시지 브로커에 연결할 수 없어 재처리하지 못했습니다. 잠시 뒤 다시 해 주세요."
                )
        query = urlencode(_back_fields(request.form))
        return redirect(f"{home}?{query}" if query else home, 303)

    return pages


def _back_fields(values) -> dict[str, str]:
    """The list's own filters, carried through the replay form and back (nothing else, so
    the redirect can only go to this list)."""
    page, page_size = paging.from_args(values)
    fields = {"page": str(page)} if page > 1 else {}
    if page_size != paging.PAGE_SIZE:
        fields["page_size"] = str(page_size)
    if _include_replayed(values):
        fields["include_replayed"] = "1"
    return fields
