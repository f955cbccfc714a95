"""The delivery log staff read, through the API and the pages alike: filtered, a page at a
time, addresses masked. A person is found by the keyed hash of their address; the address
itself is never compared, stored or carried in a page's address (``recipient_key``)."""

from __future__ import annotations

from typing import Any

from services.common import paging

from ..adapters import repository as repo
from .notifier import notifier_of


def recipient_key(runtime, address: str) -> str:
    """The keyed hash a delivery to this phone number or e-mail address is stored under."""
    return notifier_of(runtime).pii.hash(address)


def find(runtime, filters: dict[str, Any], page: int, page_size: int) -> paging.Page:
    """``filters``: status, channel, event_type, message_id, and ``recipient`` (a phone
    number in any format, an e-mail address or a configured name) or ``recipient_key``
    (its keyed hash, as ``recipient_key`` gives it)."""
    filters = {k: v for k, v in filters.items() if v}
    recipient = filters.pop("recipient", None)
    if recipient:
        filters["recipient_hash"] = recipient_key(runtime, recipient)
        filters["recipient_raw"] = recipient  # a configured name is its own key
    elif filters.get("recipient_key"):
        filters["recipient_hash"] = filters["recipient_key"]
    with runtime.db.read() as session:
        found = paging.fetch(session, repo.search(filters), page, page_size)
    for row in found.items:
        _masked(row)
    return found


def get(runtime, delivery_id: str) -> dict | None:
    with runtime.db.read() as session:
        row = repo.get(session, delivery_id)
    return _masked(row) if row else None


def _masked(row: dict) -> dict:
    """What may be shown of a row: the masked address (a configured name as it is), never
    the encrypted address."""
    row["recipient_masked"] = row["recipient_masked"] or row["recipient"]
    row.pop("recipient_enc", None)
    return row
