"""Fuzz each service's published OpenAPI document against its real WSGI app (schemathesis).

Budget and markets are fuzzed whole; applicants and notifications only on what every
service carries (dead letters). Every generated request, valid or not, must get:

- no 5xx;
- for 4xx, an ``application/problem+json`` body with a Korean ``title`` and the ``status``;
- for 2xx, a body, content type and headers as documented;
- for schema-valid input, no rejection by field validation (the document and the validators agree);
- for schema-invalid input, a 4xx (schemathesis' negative_data_rejection);
- for a 4xx, no change to the service's database.

CONTRACT_FUZZ_EXAMPLES sets the number of generated cases per operation (default 50) and
CONTRACT_FUZZ_SEED the seed: by default a fresh one each run (tests/conftest.py draws it and
prints it in the session header, so a failure can be replayed with that value).
"""

from __future__ import annotations

import os
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy import func, select

from services.common.config import SERVICES

pytestmark = pytest.mark.integration

EXAMPLES = int(os.environ.get("CONTRACT_FUZZ_EXAMPLES", "50"))
SEED = int(os.environ["CONTRACT_FUZZ_SEED"])  # set (or drawn) by tests/conftest.py
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
# Refusals a client can fix by changing the request's shape: never an answer to valid input.
SHAPE_REFUSALS = {400, 413, 415, 428}
# Fields whose last check no JSON Schema can state: a real birth date not in the future,
# household members matching the household size, a 사업자등록번호's parts (stdnum kr.brn).
BEYOND_SCHEMA = {"rrn", "household_members", "contractor_brn"}
# Stored on purpose when a request is refused for lack of funds (the refusal is replayable).
REFUSAL_RECORDS = {"idempotency_keys"}


def load(stack, service: str, role: str = "admin"):
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": EXAMPLES, "database": "none"},
            "auth": {"openapi": {"bearerAuth": {"bearer": stack.tokens[role]}}},
            "phases": {"stateful": {"enabled": False}},
            # Constant mining imports app.import_name ("budget"), which would import the
            # tests/budget namespace package and break later Flask("budget") root-path lookups.
            "analysis": {"constants": {"enabled": False}},
            "checks": {
                # replaced by valid_input_passes_validation, which lets business rules answer 422
                "positive_data_acceptance": {"enabled": False},
                # budget answers a missing Idempotency-Key with 428 Precondition Required
                "missing_required_header": {"expected-statuses": [400, 428]},
            },
        }
    )
    return schemathesis.openapi.from_wsgi(
        f"/{service}/api/v1/openapi.json", stack.apps[service], config=config
    )


@pytest.fixture(scope="module")
def budget_schema(stack):
    runtime = stack.runtime("budget")
    runtime.spec.seed_demo(runtime)  # 2022: real programs, accounts and rows to validate
    return load(stack, "budget")


@pytest.fixture(scope="module")
def markets_schema(stack):
    runtime = stack.runtime("markets")
    runtime.spec.seed_demo(runtime)
    return load(stack, "markets")


@pytest.fixture(scope="module")
def applicants_schema(stack):
    return load(stack, "applicants")


@pytest.fixture(scope="module")
def notifications_schema(stack):
    return load(stack, "notifications")


def fingerprint(app) -> dict[str, int]:
    """Row counts of every table the service owns (cheap, and enough to see a write)."""
    runtime = app.extensions["runtime"]
    tables = [t for t in runtime.spec.metadata.sorted_tables if t.name not in REFUSAL_RECORDS]
    with runtime.db.read() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in tables}


def _content_type(response) -> str:
    return (response.headers.get("content-type") or [""])[0].split(";")[0].strip()


def _hangul(text) -> bool:
    return isinstance(text, str) and any("\uac00" <= ch <= "\ud7a3" for ch in text)


def problem_details(ctx, response, case):
    """A 4xx is RFC 9457 problem details, titled in Korean, carrying its own status."""
    if not 400 <= response.status_code < 500:
        return None
    assert _content_type(response) == "application/problem+json", (
        f"{response.status_code} answered as {_content_type(response)!r}"
    )
    body = response.json()
    assert body.get("status") == response.status_code, body
    assert _hangul(body.get("title")), f"title not Korean: {body}"
    assert _hangul(body.get("detail")), f"detail not Korean: {body}"
    return None


def valid_input_passes_validation(ctx, response, case):
    """Schema-valid input is never refused for its shape (document and validators agree).

    A 422 without ``errors`` is a business rule (e.g. a transfer to the same account) and
    may answer valid input; a 422 with ``errors`` is field validation and may not.
    """
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    status = response.status_code
    body = response.json() if _content_type(response).endswith("json") else {}
    fields = set((body or {}).get("errors", {}).get("json", {})) if status == 422 else set()
    beyond = bool(fields) and fields <= BEYOND_SCHEMA
    refused = status in SHAPE_REFUSALS or (
        status == 422 and "errors" in (body or {}) and not beyond
    )
    assert not refused, f"schema-valid input refused with {status}: {body}"
    return None


def exercise(case, app):
    before = fingerprint(app)
    response = case.call()
    case.validate_response(
        response, additional_checks=[problem_details, valid_input_passes_validation]
    )
    if 400 <= response.status_code < 500:
        assert fingerprint(app) == before, f"{response.status_code} changed the database"


budget = schemathesis.pytest.from_fixture("budget_schema")
markets = schemathesis.pytest.from_fixture("markets_schema")
applicants_ops = schemathesis.pytest.from_fixture("applicants_schema").include(
    path_regex="/dead-letters|/applications$"
)
notifications_ops = schemathesis.pytest.from_fixture("notifications_schema").include(
    path_regex="/dead-letters"
)


@budget.parametrize()
@FUZZ
def test_budget_api(case, stack):
    exercise(case, stack.apps["budget"])


@markets.parametrize()
@FUZZ
def test_markets_api(case, stack):
    exercise(case, stack.apps["markets"])


@applicants_ops.parametrize()
@FUZZ
def test_applicants_dead_letters(case, stack):
    exercise(case, stack.apps["applicants"])


@notifications_ops.parametrize()
@FUZZ
def test_notifications_dead_letters(case, stack):
    exercise(case, stack.apps["notifications"])


# The fuzzer rarely draws a fiscal year or an id that exists: these read the 2022 demo data
# and post with real ids, where a document or a database limit can actually be crossed.
READS = {
    "budget": [
        ("/budget/api/v1/unit-programs", {"fiscal_year": 2022}),
        ("/budget/api/v1/sub-programs", {"fiscal_year": 2022}),
        ("/budget/api/v1/accounts", {"fiscal_year": 2022}),
        ("/budget/api/v1/reports/execution", {"fiscal_year": 2022, "as_of": "2022-08-31"}),
        ("/budget/api/v1/reports/execution", {"fiscal_year": 2022, "by": "source"}),
        ("/budget/api/v1/ledger/verify", {"fiscal_year": 2022}),
    ],
    "markets": [
        ("/markets/api/v1/markets", {}),
        ("/markets/api/v1/safety-jobs", {}),
        ("/markets/api/v1/dead-letters", {"include_replayed": "true"}),
    ],
}


@pytest.mark.parametrize("service", sorted(READS))
def test_real_data_matches_the_document(stack, budget_schema, markets_schema, service):
    schema = {"budget": budget_schema, "markets": markets_schema}[service]
    if service == "markets":  # a dead letter to list, as the common ops API renders it
        envelope = {"id": str(uuid.uuid4()), "type": "contract.probe", "payload": {}}
        stack.runtime(service).dead_letters.record(envelope, "invalid", "contract probe", 1)
    client = stack.client(service)
    for path, params in READS[service]:
        response = client.get(path, query_string=params, headers=stack.auth("admin"))
        assert response.status_code == 200, (path, response.get_json())
        assert response.get_json(), f"{path}: no demo data to check"
        schema[path]["GET"].validate_response(response)


def test_a_real_work_order_matches_the_markets_document(stack, markets_schema):
    """The fuzzer rarely draws a real job and market: issue, amend and read one that is."""
    from orders_flow import URL, catalogue, order_body

    client, staff = stack.client("markets"), stack.auth("staff")
    body = order_body(catalogue(stack), f"fuzz-{uuid.uuid4().hex[:6]}", 2039)
    issued = client.post(URL, json=body, headers=staff)
    assert issued.status_code == 201, issued.get_json()
    markets_schema[URL]["POST"].validate_response(issued)
    one = f"{URL}/{{order_id}}"
    oid = issued.get_json()["id"]
    amended = client.patch(f"{URL}/{oid}", json={"quantity": 4}, headers=staff)
    markets_schema[one]["PATCH"].validate_response(amended)
    markets_schema[one]["GET"].validate_response(client.get(f"{URL}/{oid}", headers=staff))
    listed = client.get(URL, query_string={"page_size": 2}, headers=staff)
    assert listed.get_json() and "X-Pagination" in listed.headers
    markets_schema[URL]["GET"].validate_response(listed)


def test_amounts_beyond_bigint_are_refused_on_real_accounts(stack, budget_schema):
    client, finance = stack.client("budget"), stack.auth("finance")
    accounts = client.get(
        "/budget/api/v1/accounts", query_string={"fiscal_year": 2022}, headers=finance
    ).get_json()
    program = accounts[0]["program_id"]
    a, b = accounts[0]["id"], next(x["id"] for x in accounts if x["id"] != accounts[0]["id"])
    before = fingerprint(stack.apps["budget"])
    for huge in (2**63, -(2**63), 10**15 + 1):
        for path, body in (
            ("/transfers", {"kind": "amendment", "to_account_id": a, "amount_krw": huge}),
            ("/transfers", {"kind": "transfer", "from_account_id": a, "to_account_id": b,
                            "amount_krw": huge}),
            ("/commitments", {"program_id": program, "amount_krw": huge}),
            ("/commitments", {"program_id": program, "amount_krw": 1, "split": {"city": huge}}),
            ("/expenditures", {"commitment_id": "x", "amount_krw": huge}),
        ):  # fmt: skip
            response = client.post(
                f"/budget/api/v1{path}",
                json={"reason": "fuzz", **body},
                headers={**finance, "Idempotency-Key": f"huge-{huge}-{path}"},
            )
            assert response.status_code == 422, (path, body, response.get_json())
            assert response.content_type == "application/problem+json"
    response = client.get(
        "/budget/api/v1/ledger/verify", query_string={"fiscal_year": 2**64}, headers=finance
    )
    assert response.status_code == 422
    assert fingerprint(stack.apps["budget"]) == before


@pytest.mark.parametrize("service", SERVICES)
def test_health_and_unknown_routes(stack, service):
    client = stack.client(service)
    for path in (f"/{service}/healthz", f"/{service}/readyz"):
        response = client.get(path)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["service"] == service
    for response, status in (
        (client.get(f"/{service}/api/v1/no-such-thing", headers=stack.auth("admin")), 404),
        (client.delete(f"/{service}/healthz"), 405),
        (client.get(f"/{service}/api/v1/dead-letters"), 401),
    ):
        assert response.status_code == status
        assert response.content_type == "application/problem+json"
        body = response.get_json()
        assert body["status"] == status and _hangul(body["title"]) and _hangul(body["detail"])


@pytest.mark.parametrize(
    "data, status",
    [(b"{not json", 400), (b'{"reason": "' + b"x" * (1024 * 1024) + b'"}', 413)],
    ids=["malformed", "too-large"],
)
def test_unreadable_bodies_are_explained_in_korean(stack, data, status):
    response = stack.client("budget").post(
        "/budget/api/v1/commitments/x/release",
        data=data,
        content_type="application/json",
        headers=stack.auth("admin"),
    )
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    assert _hangul(response.get_json()["detail"]), response.get_json()


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="SQLite stores NUL")
@pytest.mark.parametrize(
    "service, method, path, body",
    [
        (
            "budget",
            "post",
            "/budget/api/v1/expenditures",
            {"commitment_id": "a\x00", "amount_krw": 1},
        ),
        ("budget", "get", "/budget/api/v1/commitments/a%00", None),
        ("markets", "post", "/markets/api/v1/dead-letters/a%00/replay", None),
    ],
)
def test_nul_in_text_is_refused_on_postgresql(stack, service, method, path, body):
    headers = {**stack.auth("admin"), "Idempotency-Key": uuid.uuid4().hex}
    response = getattr(stack.client(service), method)(path, json=body, headers=headers)
    assert 400 <= response.status_code < 500, response.get_json()
    assert response.content_type == "application/problem+json"
