"""What every service's pages share: layout, static assets, sessions, CSRF, error pages.

People sign in once (``services/common/signin.py``); the signed session cookie (shared
``SESSION_SECRET``, path ``/``) names them and their role in every service, which checks
it like a bearer token (``auth.install_auth``) without reading any accounts database.
Requests made with a session — page forms, and the pages' own calls to the API — must
carry the CSRF token; machines with bearer tokens do not.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, g, render_template, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from jinja2 import ChoiceLoader, FileSystemLoader

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "ydp_session"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
SEOUL = ZoneInfo("Asia/Seoul")
HOME_ROLES = {"budget": ("finance", "staff"), "markets": ("staff", "contractor")}
csrf = CSRFProtect()


def configure_session(app: Flask, secret: str, production: bool) -> None:
    app.config.update(
        SECRET_KEY=secret,
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,  # behind TLS in deployment
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        WTF_CSRF_CHECK_DEFAULT=False,  # checked below, for requests made with a session
        WTF_CSRF_TIME_LIMIT=None,  # as long as the session
    )
    csrf.init_app(app)

    @app.before_request
    def _upload_limit():  # before anything reads the body (the CSRF check reads the form)
        view = app.view_functions.get(request.endpoint)
        limit = getattr(view, "_max_content_length", None)
        if limit:
            request.max_content_length = limit

    @app.before_request
    def _csrf_for_people():
        view = app.view_functions.get(request.endpoint)
        person = (
            session.get("user")
            or request.endpoint in app.config.get("CSRF_ALWAYS", ())
            or getattr(view, "_csrf_always", False)
        )
        if request.method in UNSAFE and "Authorization" not in request.headers and person:
            csrf.protect()

    @app.context_processor
    def _page_context():
        return {"csrf_token": generate_csrf, "user": session.get("user")}


def upload_limit(max_bytes: int):
    """A route that takes a larger body than every other route's MAX_CONTENT_LENGTH (1 MiB),
    e.g. photos from a phone; the limit applies before the body is read."""

    def mark(view):
        view._max_content_length = max_bytes
        return view

    return mark


def public_form(view):
    """A page anyone may use whose form still needs the CSRF token (the token lives in the
    visitor's session cookie, made on the first GET)."""
    from .auth import public

    view._csrf_always = True
    return public(view)


def install_pages(app: Flask, service: str, links=()) -> None:
    """Shared templates (``common/…``), filters, static files and the start page under
    ``/<service>/``. A link is (text, address) or (text, address, roles): the start page
    shows it only to those roles (and admin). Every service's start page also links its
    dead letters (``ops_pages.py``)."""
    from .auth import roles

    links = [*links, ("처리하지 못한 메시지 (dead letter)", f"/{service}/dead-letters", ("staff",))]

    app.jinja_loader = ChoiceLoader(
        [loader for loader in (app.jinja_loader,) if loader]
        + [FileSystemLoader(str(HERE / "templates"))]
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["won"] = won
    app.jinja_env.filters["seoul"] = seoul
    app.jinja_env.globals["static_base"] = f"/{service}/static/common"
    home = Blueprint("pages_home", __name__)

    @home.get(f"/{service}/")
    @roles(*HOME_ROLES.get(service, ("staff",)))
    def service_home():
        """The service's start page for people (its own pages are added beside it)."""
        title = app.config.get("API_TITLE", service)
        role = g.principal.role
        shown = [
            (text, href)
            for text, href, *only in links
            if not only or role == "admin" or role in only[0]
        ]
        return render_template(
            "common/service_home.html", service=service, title=title, links=shown
        )

    app.register_blueprint(home)
    app.register_blueprint(
        Blueprint(
            "common_static",
            __name__,
            static_folder=str(HERE / "static"),
            static_url_path=f"/{service}/static/common",
        )
    )


def won(value) -> str:
    return f"{int(value):,}"


def seoul(value, with_time: bool = True, seconds: bool = False) -> str:
    """A UTC timestamp as people here read it (Asia/Seoul); a date as it is. ``seconds``
    where they matter (a delivery's retries, a message's attempts)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if not with_time:
        return value.astimezone(SEOUL).strftime("%Y-%m-%d")
    return value.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def wants_html() -> bool:
    """A person's browser asking for a page (not the API, not a machine)."""
    if "/api/" in request.path or "Authorization" in request.headers:
        return False
    return "text/html" in request.headers.get("Accept", "")  # browsers always say so


def error_page(status: int, title: str, detail: str):
    return render_template("common/error.html", status=status, title=title, detail=detail), status


def install_csrf_error_page(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        from .problems import problem_response  # a page for people, JSON for the rest

        detail = "보안 확인값이 없거나 만료되었습니다. 페이지를 새로 고친 뒤 다시 보내 주세요."
        return problem_response(400, "보안 확인 실패", detail)
