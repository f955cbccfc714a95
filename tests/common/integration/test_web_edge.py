"""The web edge of every service: problem details, auth, outages, health, docs, metrics."""

from __future__ import annotations

import json
import logging

import pytest

from services.common.config import SERVICES

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", SERVICES)
def test_openapi_and_docs_published(stack, service):
    client = stack.client(service)
    spec = client.get(f"/{service}/api/v1/openapi.json")
    assert spec.status_code == 200
    assert spec.get_json()["info"]["title"]
    assert f"/{service}/api/v1/dead-letters" in spec.get_json()["paths"]
    docs = client.get(f"/{service}/api/v1/docs")
    assert docs.status_code == 200 and b"swagger" in docs.data.lower()
    asset = client.get(f"/{service}/api/v1/docs/static/swagger-ui-bundle.js")
    assert asset.status_code == 200


@pytest.mark.parametrize("service", SERVICES)
def test_health_ready_metrics(stack, service):
    client = stack.client(service)
    assert client.get(f"/{service}/healthz").get_json()["status"] == "ok"
    ready = client.get(f"/{service}/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"database": "ok", "broker": "ok"}
    metrics = client.get(f"/{service}/metrics").data.decode()
    assert f'outbox_unpublished{{service="{service}"}}' in metrics
    assert "http_requests_total" in metrics


def test_errors_are_korean_problem_details(stack):
    client = stack.client("applicants")
    url = "/applicants/api/v1/recruitments"
    cases = {
        401: client.post(url, json={}),
        403: client.post(url, json={}, headers=stack.auth("contractor")),
        404: client.get("/applicants/api/v1/nothing-here"),
        405: client.delete(url, headers=stack.auth("staff")),
        422: client.post(url, json={"title": ""}, headers=stack.auth("staff")),
    }
    for status, response in cases.items():
        body = response.get_json()
        assert response.status_code == status
        assert response.content_type == "application/problem+json"
        assert body["status"] == status
        assert any("\uac00" <= ch <= "\ud7a3" for ch in body["title"]), body
    errors = cases[422].get_json()["errors"]["json"]
    assert errors["year"] == ["필수 항목입니다."]
    assert "title" in errors


def test_bad_input_changes_nothing(stack):
    client = stack.client("applicants")
    before = len(client.get("/applicants/api/v1/recruitments").get_json())
    response = client.post(
        "/applicants/api/v1/recruitments",
        json={
            "title": "잘못된 모집",
            "year": 2023,
            "half": 1,
            "programs": [
                {
                    "code": "safe",
                    "quota": 1,
                    "hourly_wage": 9620,
                    "work_starts": "2023-06-30",
                    "work_ends": "2023-01-01",
                }
            ],
        },  # fmt: skip
        headers=stack.auth("staff"),
    )
    assert response.status_code == 422
    assert "근무 종료일" in json.dumps(response.get_json(), ensure_ascii=False)
    assert len(client.get("/applicants/api/v1/recruitments").get_json()) == before


def test_revoked_token_is_refused(stack):

    store = stack.apps["applicants"].extensions["tokens"]
    token = store.issue("임시 직원", "staff")
    client = stack.client("applicants")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/applicants/api/v1/dead-letters", headers=headers).status_code == 200
    assert store.revoke(token.split("_")[1])
    assert client.get("/applicants/api/v1/dead-letters", headers=headers).status_code == 401
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert store.verify(forged) is None


def test_database_outage_answers_503_with_retry_after(stack, tmp_path):
    from services.applicants import create_app

    env = {**stack.env, "APPLICANTS_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/x"}
    client = create_app(env).test_client()
    response = client.get("/applicants/api/v1/recruitments")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.content_type == "application/problem+json"
    ready = client.get("/applicants/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["checks"]["database"] != "ok"


def test_broker_outage_makes_readyz_503(stack):
    from services.applicants import create_app

    client = create_app({**stack.env, "REDIS_URL": "redis://127.0.0.1:1/0"}).test_client()
    ready = client.get("/applicants/readyz")
    assert ready.status_code == 503
    assert ready.headers["Retry-After"] == "30"
    checks = ready.get_json()["checks"]
    assert checks["database"] == "ok" and checks["broker"] != "ok"


def test_logs_are_json_with_correlation_id(stack, caplog):
    caplog.set_level(logging.INFO)
    client = stack.client("applicants")
    client.get("/applicants/healthz", headers={"X-Request-ID": "req-abc-123"})
    records = [r for r in caplog.records if r.name == "http"]
    lines = [r.msg for r in records if isinstance(r.msg, dict)]
    assert any(
        line.get("correlation_id") == "req-abc-123" and line.get("event") == "http.request"
        for line in lines
    )

    # What reaches stdout: one JSON object per record, ours and other libraries' alike.
    import structlog

    [ours] = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h.formatter, structlog.stdlib.ProcessorFormatter)
    ]
    rendered = json.loads(ours.format(records[-1]))
    assert rendered["correlation_id"] == "req-abc-123" and rendered["level"] == "info"
    foreign = logging.LogRecord(
        "celery.app.trace", logging.INFO, __file__, 1, "Task x ok", None, None
    )
    assert json.loads(ours.format(foreign))["event"] == "Task x ok"


def test_range_errors_reach_people_in_korean(stack):
    client = stack.client("notifications")
    response = client.get("/notifications/api/v1/deliveries?limit=0", headers=stack.auth("staff"))
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"]["limit"] == ["1 이상, 500 이하이어야 합니다."]


def test_nested_unknown_property_is_a_422_not_a_500(stack):
    """marshmallow keys list items by int index beside field names: JSON must still work."""
    client = stack.client("applicants")
    response = client.post(
        "/applicants/api/v1/recruitments/none/applications",
        json={"household_size": 1, "household_members": [{"relation": "본인", "zz": 1}]},
    )
    assert response.status_code == 422
    members = response.get_json()["errors"]["json"]["household_members"]
    assert members["0"]["zz"] == ["알 수 없는 항목입니다."]


@pytest.mark.parametrize("service", SERVICES)
def test_json_is_sent_as_utf8_not_escaped(stack, service):
    client = stack.client(service)
    response = client.get(f"/{service}/api/v1/openapi.json")
    title = response.get_json()["info"]["title"]
    assert title.encode() in response.data  # raw UTF-8 Hangul, not \\uXXXX escapes
    assert b"\\u" not in response.data
    problem = client.get(f"/{service}/api/v1/nothing-here")
    assert "찾을 수 없습니다".encode() in problem.data


def test_an_unreadable_json_body_is_explained_in_korean_only(stack):
    response = stack.client("applicants").post(
        "/applicants/api/v1/recruitments/none/applications",
        data=b"{not json", content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.get_json()["errors"]["json"] == ["요청 본문이 올바른 JSON이 아닙니다."]
