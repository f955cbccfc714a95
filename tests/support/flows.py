"""Helpers the cross-service tests share: open a recruitment, find its event and effects."""

from __future__ import annotations

from sqlalchemy import func, select

from services.notifications.adapters.orm import common as n_common
from services.notifications.adapters.orm import deliveries

RECRUITMENT = {
    "year": 2023,
    "half": 1,
    "programs": [
        {
            "code": "safe",
            "quota": 3,
            "hourly_wage": 9620,
            "work_starts": "2023-01-02",
            "work_ends": "2023-06-30",
        }
    ],
}


def open_recruitment(stack, title: str, client=None) -> str:
    client = client or stack.client("applicants")
    response = client.post(
        "/applicants/api/v1/recruitments",
        json={**RECRUITMENT, "title": title},
        headers=stack.auth("staff"),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def event_for(stack, recruitment_id: str) -> dict:
    outbox = stack.runtime("applicants").spec.tables.outbox
    with stack.runtime("applicants").db.read() as session:
        for row in session.execute(
            select(outbox).where(outbox.c.type == "applicants.recruitment_opened")
        ):
            if row.envelope["payload"]["recruitment_id"] == recruitment_id:
                return dict(row._mapping)
    raise AssertionError("no outbox row for the recruitment")


def deliveries_for(stack, message_id: str) -> list[dict]:
    with stack.runtime("notifications").db.read() as session:
        rows = session.execute(select(deliveries).where(deliveries.c.message_id == message_id))
        return [dict(r._mapping) for r in rows]


def inbox_count(stack, message_id: str) -> int:
    inbox = n_common.inbox
    with stack.runtime("notifications").db.read() as session:
        return session.scalar(
            select(func.count()).select_from(inbox).where(inbox.c.message_id == message_id)
        )
