"""One sign-in for the whole system: ``/``, ``/login``, ``/logout``.

Under ``make run`` the gateway serves it at the root; in deployment nginx routes those
paths to it. It alone reads the accounts store; it writes who signed in, and their role,
into the signed session cookie every service reads.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, redirect, render_template, request, session
from jinja2 import FileSystemLoader

from .accounts import Accounts, SignInRefused
from .config import load_settings
from .db import Database
from .ratelimit import limit_posts
from .web import HERE, configure_session, install_csrf_error_page

# What each role's index links to: each service's start page, which lists its pages.
LINKS = {
    None: [("공공일자리 참여 신청", "/applicants/apply/"),
           ("신청 결과 조회", "/applicants/status")],
    "staff": [("모집·선발", "/applicants/"), ("시장 화재경보", "/markets/"),
              ("알림 발송", "/notifications/"), ("예산현황", "/budget/")],
    "finance": [("예산 (예산현황, 지출원인행위)", "/budget/")],
    "contractor": [("시장 안전사업", "/markets/")],
}  # fmt: skip
LINKS["admin"] = LINKS["staff"]  # admin passes every role check


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no //) — never an open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) < 32 for c in target):  # browsers read /\ as //
        return "/"
    return target


def login_limit(settings):
    """Sign-in attempts per client address, beside the per-account lockout: guessing
    across many accounts from one address is slowed too."""
    if not settings.login_rate_limit:
        return lambda view: view
    return limit_posts(settings, settings.login_rate_limit, f"{settings.service}:login")


def create_signin_app(environ: dict[str, str] | None = None) -> Flask:
    settings = load_settings("accounts", environ)
    app = Flask("signin", static_folder=str(HERE / "static"), static_url_path="/static/common")
    configure_session(app, settings.secret("SESSION_SECRET"), settings.production)
    app.config["CSRF_ALWAYS"] = ("login",)  # signing in needs the token too
    install_csrf_error_page(app)
    app.jinja_loader = FileSystemLoader(str(HERE / "templates"))
    app.jinja_env.globals["static_base"] = "/static/common"
    accounts = Accounts(Database(settings.database_url))
    app.extensions["accounts"] = accounts
    limit = login_limit(settings)

    @app.get("/")
    def index():
        user = session.get("user")
        role = user["role"] if user else None
        return render_template("common/index.html", links=LINKS[None] + LINKS.get(role, []))

    @app.route("/login", methods=["GET", "POST"])
    @limit
    def login():
        target = _safe_next(request.values.get("next"))
        if request.method == "GET":
            return render_template("common/login.html", next=target, error=None, name="")
        name = request.form.get("username", "").strip()
        try:
            person = accounts.sign_in(name, request.form.get("password", ""))
        except SignInRefused as refused:
            status = 423 if refused.locked else 401
            page = render_template("common/login.html", next=target, error=str(refused), name=name)
            return page, status
        session.clear()  # nothing from before the sign-in survives it (no fixation)
        session.permanent = True
        session["user"] = {"name": person.name, "role": person.role,
                           "role_name": person.role_name, "sid": secrets.token_urlsafe(16)}  # fmt: skip
        return redirect(target, 303)

    @app.post("/logout")
    def logout():
        session.clear()
        return redirect("/", 303)

    return app
