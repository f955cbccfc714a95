"""A person in a browser, for page tests: signed in once at /login, carrying the one
session cookie to every service, sending the CSRF token each page gives."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

COOKIE = "ydp_session"
HTML = {"Accept": "text/html,application/xhtml+xml"}


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def add_person(signin, role: str, name: str | None = None) -> tuple[str, str]:
    name = name or f"{role}-{uuid.uuid4().hex[:6]}"
    return name, signin.extensions["accounts"].add(name, role)


def sign_in(signin, name: str, password: str, next_: str = "/"):
    client = signin.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"username": name, "password": password,
                                         "csrf_token": token, "next": next_})  # fmt: skip
    return client, answer


def carry(client, service_client) -> None:
    """The browser sends the one cookie to every path of the site."""
    service_client.set_cookie(COOKIE, client.get_cookie(COOKIE).value)


@dataclass
class Person:
    """A signed-in person on one service: ``get`` a page, ``post`` a form (the CSRF token
    of the last page is added)."""

    name: str
    client: object
    token: str = ""

    def get(self, path: str, **kw):
        answer = self.client.get(path, headers=HTML, **kw)
        match = re.search(r'name="csrf_token" value="([^"]+)"', answer.get_data(as_text=True))
        self.token = match.group(1) if match else self.token
        return answer

    def post(self, path: str, data: dict, **kw):
        return self.client.post(path, headers=HTML, data={"csrf_token": self.token, **data}, **kw)


def person(stack, signin, role: str, service: str) -> Person:
    name, password = add_person(signin, role)
    browser, answer = sign_in(signin, name, password)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    client = stack.client(service)
    carry(browser, client)
    visitor = Person(name, client)
    visitor.get(f"/{service}/")
    return visitor
