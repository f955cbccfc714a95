"""The budget pages' blueprint and what each of them reads from a request.

Every form follows one pattern: POST → 303 → GET with a flashed message; errors re-show
the form (422) with the error summary linked to each field; a form that posts carries
its own Idempotency-Key, so a double click or a resent form posts once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, current_app, render_template, request
from sqlalchemy.orm import Session

from ..domain.model import DomainError
from ..service_layer.idempotency import run_once
from ..service_layer.postings import today

pages = Blueprint(
    "budget_pages", __name__, template_folder=str(Path(__file__).parent.parent / "templates")
)
MAX_KRW = 10**15
MAX_REASON = 1000


def runtime():
    return current_app.extensions["runtime"]


def year_of(value: str | None) -> int:
    try:
        year = int(value or today().year)
    except ValueError:
        year = today().year
    return min(max(year, 2000), 2100)


def optional_year(value: str | None) -> int | None:
    """A year filter: blank means every year."""
    return year_of(value) if (value or "").strip() else None


def amount_of(text: str, signed: bool = False) -> int | None:
    """Whole won from what a person typed ('1,500,000', '-20,000' when ``signed``);
    None if it is not 1 to 10^15 won."""
    text = text.replace(",", "").replace(" ", "").strip()
    negative = signed and text.startswith("-")
    digits = text[1:] if negative else text
    if not (digits.isascii() and digits.isdigit()) or not 1 <= int(digits) <= MAX_KRW:
        return None
    return -int(digits) if negative else int(digits)


def field(name: str, limit: int = 200) -> str:
    return request.form.get(name, "").strip()[:limit]


def form_key() -> str:
    """The form's own Idempotency-Key (a new one for a new form)."""
    return field("key") or uuid.uuid4().hex


def once(scope: str, key: str, body: dict, action: Callable[[Session], tuple[int, dict]]):
    """(status, answer) of ``action`` run once per key; a refusal of the domain is
    (422, {"reason": …}), to show beside a field."""
    try:
        status, answer, _replayed = run_once(runtime(), scope, key, body, action)
    except DomainError as exc:
        return 422, {"reason": str(exc)}
    return status, answer


def form_page(template: str, errors: dict, **context):
    """The form again: 422 with its errors, 200 without."""
    return render_template(template, errors=errors, **context), (422 if errors else 200)
