import hashlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def open_recruitment(stack, unique):
    """Open a recruitment through the API; returns (id, seed)."""

    def open_(programs, seed=None, **extra):
        seed = seed or f"seed-{unique}"
        body = {
            "title": f"테스트 모집 {unique}",
            "year": 2027,
            "half": 1,
            "programs": programs,
            "seed_hash": hashlib.sha256(seed.encode()).hexdigest(),
            **extra,
        }
        response = stack.client("applicants").post(
            "/applicants/api/v1/recruitments", json=body, headers=stack.auth("staff")
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"], seed

    return open_


@pytest.fixture
def outbox(stack):
    """Payloads of applicants' outbox events of a type (optionally for one recruitment)."""
    from sqlalchemy import select

    runtime = stack.runtime("applicants")
    table = runtime.spec.tables.outbox

    def find(event_type, **match):
        with runtime.db.read() as session:
            rows = session.execute(select(table.c.envelope).where(table.c.type == event_type))
            envelopes = [r.envelope for r in rows]
        return [
            e["payload"]
            for e in envelopes
            if all(e["payload"].get(k) == v for k, v in match.items())
        ]

    return find


@pytest.fixture
def apply(stack):
    def submit(recruitment_id, body):
        return stack.client("applicants").post(
            f"/applicants/api/v1/recruitments/{recruitment_id}/applications", json=body
        )

    return submit
