"""Rules as versioned data: staff replace them, each decision keeps its version."""

import copy

from builders_applicants import application, program

URL = "/applicants/api/v1/rule-sets/current"


def test_rules_start_from_the_2022_report(stack):
    response = stack.client("applicants").get(URL)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["max_property_krw"] == 400_000_000
    assert data["max_income_pct_of_median"] == 70
    assert data["median_income"]["year"] == 2022
    assert data["median_income"]["monthly_krw"]["4"] == 5_121_080
    assert stack.client("applicants").get("/applicants/api/v1/rule-sets/1").status_code == 200


def test_staff_replace_rules_as_a_new_version(stack, open_recruitment, apply, unique):
    client = stack.client("applicants")
    before = client.get(URL).get_json()
    rid, _ = open_recruitment([program()])
    rich = application(unique, property_krw=300_000_000)
    first = apply(rid, rich).get_json()
    assert first["status"] == "eligible" and first["rule_version"] == before["version"]

    stricter = copy.deepcopy(before["data"])
    stricter["max_property_krw"] = 200_000_000
    assert client.put(URL, json={"data": stricter}).status_code == 401
    try:
        response = client.put(
            URL, json={"data": stricter, "note": "재산 기준 강화"}, headers=stack.auth("staff")
        )
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["version"] == before["version"] + 1
        assert response.get_json()["created_by"] == "test-staff"
        second = apply(rid, application(unique + "b", property_krw=300_000_000)).get_json()
        assert second["status"] == "ineligible"
        assert second["rule_version"] == before["version"] + 1
        assert second["reasons"][0]["rule"] == "max_property"
        kept = client.get(
            f"/applicants/api/v1/applications/{first['id']}", headers=stack.auth("staff")
        ).get_json()
        assert kept["status"] == "eligible" and kept["rule_version"] == before["version"]
        old = client.get(f"/applicants/api/v1/rule-sets/{before['version']}").get_json()
        assert old["data"]["max_property_krw"] == before["data"]["max_property_krw"]
    finally:
        restored = client.put(URL, json={"data": before["data"]}, headers=stack.auth("staff"))
        assert restored.status_code == 200


def test_bad_rules_are_refused(stack):
    client = stack.client("applicants")
    current = client.get(URL).get_json()
    broken = copy.deepcopy(current["data"])
    broken["priority_groups"] = ["golfers"]
    del broken["min_age"]
    response = client.put(URL, json={"data": broken}, headers=stack.auth("staff"))
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]["data"]
    assert "min_age" in errors and "priority_groups" in errors
    assert client.get(URL).get_json()["version"] == current["version"]
