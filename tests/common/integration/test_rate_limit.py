"""Public endpoints are limited per client address; token holders and ops are not."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def limited(stack):
    from services.applicants import create_app

    env = {
        **stack.env,
        "PUBLIC_RATE_LIMIT": "3/minute",
        "BROKER_KEY_PREFIX": f"rl-{uuid.uuid4().hex[:8]}:",
    }
    return create_app(env).test_client()


def test_public_endpoint_answers_429_with_retry_after_after_the_limit(limited):
    url = "/applicants/api/v1/recruitments"
    statuses = [limited.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = limited.get(url)
    assert refused.status_code == 429
    assert refused.content_type == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    body = refused.get_json()
    assert body["status"] == 429 and "다시 시도" in body["detail"]
    # Another address has its own allowance.
    other = limited.get(url, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 200


def test_token_holders_and_health_checks_are_not_limited(limited, stack):
    url = "/applicants/api/v1/recruitments"
    for _ in range(4):
        limited.get(url)
    assert limited.get(url).status_code == 429
    staff = [limited.get(url, headers=stack.auth("staff")).status_code for _ in range(5)]
    assert staff == [200] * 5
    forged = limited.get(url, headers={"Authorization": "Bearer ydp_x_y"})
    assert forged.status_code == 429  # an invalid token buys nothing
    assert all(limited.get("/applicants/healthz").status_code == 200 for _ in range(5))


def test_people_are_served_when_the_counting_redis_is_down(stack):
    from deploy.embedded_redis import free_port
    from services.applicants import create_app

    env = {
        **stack.env,
        "PUBLIC_RATE_LIMIT": "1/minute",
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    client = create_app(env).test_client()
    statuses = [client.get("/applicants/api/v1/recruitments").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
