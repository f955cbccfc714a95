"""Alarm rules are versioned data staff can read and replace (issue #9.4)."""

import copy

import pytest

pytestmark = pytest.mark.integration


def test_rules_are_versioned_and_checked(stack):
    client, staff = stack.client("markets"), stack.auth("staff")
    current = client.get("/markets/api/v1/alarm-rules/current", headers=staff).get_json()
    assert current["data"]["rules"]["fire"]["confirm_repeats"] >= 1
    bad = copy.deepcopy(current["data"])
    bad["policy"]["suspected"]["steps"][0]["roles"] = ["station"]
    del bad["rules"]["fire"]["heat_c"]
    refused = client.put("/markets/api/v1/alarm-rules/current", json={"data": bad}, headers=staff)
    assert refused.status_code == 422
    assert any("heat_c" in p for p in refused.get_json()["problems"])
    assert any("119" in p for p in refused.get_json()["problems"])
    same = client.get("/markets/api/v1/alarm-rules/current", headers=staff).get_json()
    assert same["version"] == current["version"]  # nothing stored
    good = copy.deepcopy(current["data"])
    good["rules"]["fire"]["heat_c"] = 60
    saved = client.put(
        "/markets/api/v1/alarm-rules/current", json={"data": good, "note": "열 기준 60도"},
        headers=staff,
    )  # fmt: skip
    assert saved.status_code == 200
    assert saved.get_json()["version"] == current["version"] + 1
    assert saved.get_json()["created_by"] == "test-staff"
    good["rules"]["fire"]["heat_c"] = current["data"]["rules"]["fire"]["heat_c"]
    client.put("/markets/api/v1/alarm-rules/current", json={"data": good}, headers=staff)
