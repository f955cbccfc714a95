"""Devices as principals and the HTTP telemetry endpoint's bad input (issue #9.2, #9.3)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.markets.adapters.orm import device_readings, stores

pytestmark = pytest.mark.integration


@pytest.fixture
def store_id(stack):
    runtime = stack.runtime("markets")
    runtime.spec.seed_demo(runtime)
    with runtime.db.read() as session:
        return session.scalar(select(stores.c.id).where(stores.c.number == 40).limit(1))


def _readings(stack, device_id):
    with stack.runtime("markets").db.read() as session:
        return session.scalar(
            select(func.count()).select_from(device_readings)
            .where(device_readings.c.device_id == device_id)
        )  # fmt: skip


def _send(stack, token, body=None, data=None):
    return stack.client("markets").post(
        "/markets/api/v1/telemetry", json=body, data=data,
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip


def test_a_device_gets_its_own_token_once_and_it_can_be_revoked(stack, store_id, unique):
    client, staff = stack.client("markets"), stack.auth("staff")
    made = client.post(
        "/markets/api/v1/devices",
        json={"serial": f"T-{unique}", "store_id": store_id, "kind": "multi"}, headers=staff,
    )  # fmt: skip
    assert made.status_code == 201
    device = made.get_json()
    assert device["token"].startswith("dev_") and device["serial"] == f"T-{unique}"
    again = client.post(
        "/markets/api/v1/devices",
        json={"serial": f"T-{unique}", "store_id": store_id, "kind": "multi"}, headers=staff,
    )  # fmt: skip
    assert again.status_code == 409
    assert _send(stack, device["token"], {"smoke": 0.0, "battery_pct": 90}).status_code == 202
    rotated = client.post(f"/markets/api/v1/devices/{device['id']}/token", headers=staff)
    new = rotated.get_json()["token"]
    assert new != device["token"]
    import time

    time.sleep(2.1)  # the token cache
    assert _send(stack, device["token"], {"smoke": 0.0}).status_code == 401
    assert _send(stack, new, {"smoke": 0.0, "ts": 1764000000000}).status_code == 202
    assert (
        client.delete(f"/markets/api/v1/devices/{device['id']}/token", headers=staff).status_code
        == 204
    )
    time.sleep(2.1)
    assert _send(stack, new, {"smoke": 0.0}).status_code == 401
    assert _readings(stack, device["id"]) == 2
    assert (
        client.post(
            "/markets/api/v1/devices", json={}, headers=stack.auth("contractor")
        ).status_code
        == 403
    )


def test_bad_readings_are_refused_in_korean_and_nothing_is_stored(stack, store_id, unique):
    client, staff = stack.client("markets"), stack.auth("staff")
    device = client.post(
        "/markets/api/v1/devices",
        json={"serial": f"B-{unique}", "store_id": store_id, "kind": "smoke"}, headers=staff,
    ).get_json()  # fmt: skip
    token = device["token"]
    cases = {
        "forged": _send(stack, token[:-4] + "AAAA", {"smoke": 0.1}),
        "api token": _send(stack, stack.tokens["staff"], {"smoke": 0.1}),
        "unknown field": _send(stack, token, {"smoke": 0.1, "device_id": "someone-else"}),
        "wrong type": _send(stack, token, {"temperature_c": "hot"}),
        "future": _send(stack, token, {"ts": "2099-01-01T00:00:00+00:00", "smoke": 0.1}),
        "not json": _send(stack, token, data=b"{smoke"),
        "1 MB": _send(stack, token, data=b"[" + b" " * 1_100_000 + b"]"),
        "17 KiB": _send(stack, token, data=b"[" + b" " * 17_000 + b"]"),
    }
    statuses = {name: r.status_code for name, r in cases.items()}
    assert statuses == {"forged": 401, "api token": 401, "unknown field": 422, "wrong type": 422,
                        "future": 422, "not json": 400, "1 MB": 413, "17 KiB": 413}  # fmt: skip
    for response in cases.values():
        body = response.get_json()
        assert response.content_type == "application/problem+json"
        assert any("\uac00" <= ch <= "\ud7a3" for ch in body["detail"]), body
    assert cases["unknown field"].get_json()["errors"]["json"]["0"]["device_id"]
    assert _readings(stack, device["id"]) == 0
    assert _send(stack, token, [{"smoke": 0.0, "ts": 1764000000000}] * 2).status_code == 202
    assert _readings(stack, device["id"]) == 1  # the same (device, ts) twice: stored once
