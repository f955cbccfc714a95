"""People sign in once (/login) and every service knows them by the signed session
cookie: CSRF on what they send, lockout, no fixation, no open redirect, escaping."""

from __future__ import annotations

import re
import uuid

import pytest
from people import COOKIE, HTML, add_person, carry, csrf_of, sign_in

from services.common.signin import create_signin_app

pytestmark = pytest.mark.integration

_token, _person, _carry = csrf_of, add_person, carry


def test_a_person_signs_in_once_and_each_service_knows_their_role(stack, signin):
    name, password = _person(signin, "finance")
    client, answer = sign_in(signin, name, password, "/budget/api/v1/docs")
    assert answer.status_code == 303 and answer.headers["Location"] == "/budget/api/v1/docs"
    cookie = client.get_cookie(COOKIE)
    assert cookie.http_only and cookie.same_site == "Lax" and cookie.path == "/"
    assert name in client.get("/").get_data(as_text=True)

    budget = stack.client("budget")
    _carry(client, budget)
    report = budget.get("/budget/api/v1/reports/execution?fiscal_year=2099")
    assert report.status_code == 404  # past sign-in and role: the year is unknown
    applicants = stack.client("applicants")
    _carry(client, applicants)
    staff_only = applicants.get("/applicants/api/v1/dead-letters")
    assert staff_only.status_code == 403 and "재무" not in staff_only.get_json()["detail"]


def test_what_a_signed_in_person_sends_needs_the_csrf_token(stack, signin):
    name, password = _person(signin, "finance")
    client, _ = sign_in(signin, name, password)
    token = _token(client.get("/").get_data(as_text=True))  # a page carries the token
    budget = stack.client("budget")
    _carry(client, budget)
    body = {"year": 2000 + uuid.uuid4().int % 100}
    refused = budget.post("/budget/api/v1/fiscal-years", json=body)
    assert refused.status_code == 400 and "보안 확인" in refused.get_json()["title"]
    allowed = budget.post("/budget/api/v1/fiscal-years", json=body, headers={"X-CSRFToken": token})
    assert allowed.status_code in (201, 409), allowed.get_json()  # 409: the fuzzer opened it
    machine = stack.client("budget").post(
        "/budget/api/v1/fiscal-years", json=body, headers=stack.auth("finance")
    )
    assert machine.status_code == 409  # bearer tokens need no CSRF token (and it exists now)


def test_sign_in_itself_needs_the_csrf_token(signin):
    name, password = _person(signin, "staff")
    answer = signin.test_client().post("/login", data={"username": name, "password": password},
                                       headers=HTML)  # fmt: skip
    assert answer.status_code == 400 and "보안 확인값" in answer.get_data(as_text=True)


def test_five_wrong_passwords_lock_the_account(signin):
    name, password = _person(signin, "staff")
    statuses = [sign_in(signin, name, "wrong-password")[1].status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 423]
    client, locked = sign_in(signin, name, password)  # even the right one, for a while
    assert locked.status_code == 423 and "잠" in locked.get_data(as_text=True)
    assert name not in client.get("/").get_data(as_text=True)  # not signed in
    _, unknown = sign_in(signin, "nobody-" + uuid.uuid4().hex, "wrong-password")
    page = unknown.get_data(as_text=True)
    assert unknown.status_code == 401 and "아이디 또는 비밀번호가 맞지 않습니다" in page


def test_signing_in_starts_a_new_session_and_signing_out_ends_it(signin):
    name, password = _person(signin, "staff")
    client = signin.test_client()
    client.get("/login")
    before = client.get_cookie(COOKIE).value
    token = _token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": name, "password": password, "csrf_token": token})
    first = client.get_cookie(COOKIE).value
    assert first != before
    again, _ = sign_in(signin, name, password)
    assert again.get_cookie(COOKIE).value != first  # a new session id each time
    token = _token(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert name not in client.get("/").get_data(as_text=True)


def test_no_open_redirect_and_names_are_escaped(signin):
    name, password = _person(signin, "staff", name=f"<script>x{uuid.uuid4().hex[:4]}</script>")
    for target in ("//evil.example/steal", "/\\evil.example", "https://evil.example/"):
        _, answer = sign_in(signin, name, password, target)
        assert answer.headers["Location"] == "/", target
    client, answer = sign_in(signin, name, password, "/budget/report?year=2022")
    assert answer.headers["Location"] == "/budget/report?year=2022"
    page = client.get("/").get_data(as_text=True)
    assert "<script>x" not in page and "&lt;script&gt;x" in page


def test_a_page_without_sign_in_goes_to_the_sign_in_and_machines_get_401(stack):
    page = stack.client("budget").get("/budget/api/v1/accounts?fiscal_year=2022", headers=HTML)
    assert page.status_code == 401  # the API answers machines, even from a browser
    ack = stack.client("notifications").get("/notifications/ack/not-a-token", headers=HTML)
    assert ack.status_code in (400, 404) and ack.mimetype == "text/html"
    assert "처음 화면으로" in ack.get_data(as_text=True)


def test_a_service_page_sends_a_person_to_sign_in_and_back(stack, signin):
    budget = stack.client("budget")
    away = budget.get("/budget/", headers=HTML)
    assert away.status_code == 303 and away.headers["Location"] == "/login?next=/budget/"
    assert budget.get("/budget/").status_code == 401  # not a browser: the API's answer
    name, password = _person(signin, "staff")
    client, answer = sign_in(signin, name, password, "/budget/")
    assert answer.headers["Location"] == "/budget/"
    _carry(client, budget)
    page = budget.get("/budget/", headers=HTML)
    assert page.status_code == 200 and "API 문서" in page.get_data(as_text=True)
    css = budget.get("/budget/static/common/vendor/krds/resources/css/component/output.css")
    assert css.status_code == 200 and b"krds" in css.data[:20000].lower()
    contractor, _ = sign_in(signin, *_person(signin, "contractor"))
    _carry(contractor, budget)
    refused = budget.get("/budget/", headers=HTML)
    assert refused.status_code == 403 and refused.mimetype == "text/html"  # a page, not JSON


def test_finance_reads_the_2022_report_page_as_printed(stack, signin, budget_2022_seeded):
    client, _ = sign_in(signin, *_person(signin, "finance"))
    budget = stack.client("budget")
    _carry(client, budget)
    home = budget.get("/budget/", headers=HTML).get_data(as_text=True)
    assert 'href="/budget/report"' in home
    page = budget.get("/budget/report?year=2022&as_of=2022-08-31", headers=HTML)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "36,118,055" in text and "26,351,314" in text and "73.0" in text  # the printed 계
    assert "<caption>2022년 단위사업별 예산현황 (2022-08-31 기준, 단위: 천원)</caption>" in text
    assert "format=xlsx" in text and 'role="img"' in text
    bad = budget.get("/budget/report?year=2022&as_of=31/08/2022", headers=HTML)
    assert "오류: 기준일은" in bad.get_data(as_text=True)
    from services.budget.adapters import repository

    with stack.runtime("budget").db.read() as session:  # the API fuzzer may open any year
        year = next(y for y in range(2100, 1999, -1)
                    if not repository.fiscal_year_exists(session, y))  # fmt: skip
    missing = budget.get(f"/budget/report?year={year}", headers=HTML)
    assert missing.status_code == 404 and f"{year}회계연도" in missing.get_data(as_text=True)
    contractor, _ = sign_in(signin, *_person(signin, "contractor"))
    _carry(contractor, budget)
    assert budget.get("/budget/report", headers=HTML).status_code == 403


@pytest.fixture
def budget_2022_seeded(stack):
    runtime = stack.runtime("budget")
    runtime.spec.seed_demo(runtime)
    return runtime


def test_finance_posts_a_commitment_from_the_form_once_even_when_sent_twice(
    stack, signin, budget_2022_seeded
):
    from sqlalchemy import func, select

    from services.budget.adapters.orm import documents

    client, _ = sign_in(signin, *_person(signin, "finance"))
    budget = stack.client("budget")
    _carry(client, budget)
    form = budget.get("/budget/commitments/new?year=2022", headers=HTML).get_data(as_text=True)
    token, key = _token(form), re.search(r'name="key" value="([^"]+)"', form).group(1)
    program = re.search(r'<option value="([0-9a-f-]{36})"\s*>Ⅱ\.2 ', form).group(1)  # 공공일자리
    bad = budget.post("/budget/commitments/new", headers=HTML, data={
        "csrf_token": token, "key": key, "year": "2022", "program_id": program,
        "amount": "백만원<script>"})  # fmt: skip
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'href="#amount"' in page and "오류: </span>금액은" in page
    assert 'aria-describedby="amount-hint amount-error" aria-invalid="true"' in page
    assert "<script>" not in page  # the value is shown escaped
    good = {"csrf_token": token, "key": key, "year": "2022", "program_id": program,
            "amount": "12,345", "reference": f"form-{key}"}  # fmt: skip
    short = budget.post("/budget/commitments/new", headers=HTML,
                        data={**good, "key": key + "x", "amount": "999999999999"})  # fmt: skip
    assert short.status_code == 422 and "예산 잔액이 부족합니다" in short.get_data(as_text=True)
    first = budget.post("/budget/commitments/new", headers=HTML, data=good)
    again = budget.post("/budget/commitments/new", headers=HTML, data=good)  # double click
    for answer in (first, again):
        assert answer.status_code == 303, re.findall(r"오류: [^<]*", answer.get_data(as_text=True))
    with stack.runtime("budget").db.read() as session:
        made = session.scalar(select(func.count()).select_from(documents).where(
            documents.c.reference == f"form-{key}"))  # fmt: skip
    assert made == 1
    shown = budget.get(first.headers["Location"], headers=HTML).get_data(as_text=True)
    assert "지출원인행위를 등록했습니다" in shown and "12,345원" in shown
    staff, _ = sign_in(signin, *_person(signin, "staff"))
    _carry(staff, budget)
    assert budget.get("/budget/commitments/new", headers=HTML).status_code == 403


def test_sign_in_attempts_from_one_address_are_limited(stack, tmp_path):
    env = {**stack.env, "ACCOUNTS_DATABASE_URL": f"sqlite:///{tmp_path}/a.db",
           "LOGIN_RATE_LIMIT": "3/minute", "BROKER_KEY_PREFIX": f"rl-{uuid.uuid4().hex}:"}  # fmt: skip
    app = create_signin_app(env)
    statuses = [sign_in(app, f"guess-{i}", "wrong-password")[1].status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    client = app.test_client()
    assert client.get("/login").status_code == 200  # reading the form is not limited
    token = _token(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", headers=HTML, data={"username": "x", "password": "y",
                                                       "csrf_token": token})  # fmt: skip
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0
    assert "요청이 너무 많습니다" in answer.get_data(as_text=True)
