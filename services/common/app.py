"""The Flask app factory every service uses: nothing connects at import time."""

from __future__ import annotations

import os

from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider
from flask_smorest import Api
from flask_smorest.pagination import PaginationMetadataSchema
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix

from .auth import TokenStore, install_auth, public
from .celery_app import celery_init_app
from .config import load_settings
from .observability import configure_logging, install_observability
from .ops_api import ops_blueprint
from .ops_pages import dead_letter_pages
from .problems import ProblemSchema, problem_response, register_problem_handlers
from .ratelimit import install_rate_limits
from .runtime import Runtime, ServiceSpec
from .web import configure_session, install_csrf_error_page, install_pages


def create_service_app(spec: ServiceSpec, environ: dict[str, str] | None = None) -> Flask:
    settings = load_settings(spec.name, environ)
    configure_logging(os.environ.get("LOG_LEVEL", "INFO"))
    app = Flask(spec.name, root_path=str(spec.package_dir))
    app.config.update(
        API_TITLE=spec.title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=f"/{spec.name}/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    _local_swagger_ui(app)
    app.json = PeopleJSONProvider(app)
    runtime = Runtime(spec, settings)
    app.extensions["runtime"] = runtime
    runtime.celery = celery_init_app(app, runtime)
    if spec.register_tasks:
        spec.register_tasks(runtime.celery, runtime)

    api = ProblemApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearerAuth": []}]
    for blueprint in (ops_blueprint(spec.name), *spec.blueprints):
        api.register_blueprint(blueprint)
    register_problem_handlers(app)
    configure_session(app, settings.secret("SESSION_SECRET"), settings.production)
    install_pages(app, spec.name, spec.page_links)
    for blueprint in (dead_letter_pages(spec.name), *spec.pages):
        app.register_blueprint(blueprint)
    install_csrf_error_page(app)
    install_observability(app, spec.name, runtime)
    app.extensions["tokens"] = TokenStore(runtime.db, spec.tables)
    install_auth(app, app.extensions["tokens"])
    app.extensions["bearer_verifiers"] = [
        app.extensions["tokens"].verify,
        *(factory(runtime) for factory in spec.bearer_verifiers),
    ]
    install_rate_limits(app, settings)
    _health(app, spec.name, runtime)
    if settings.production:  # behind the nginx gateway: trust its one hop
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    return app


class PeopleJSONProvider(DefaultJSONProvider):
    """JSON for people: Hangul as UTF-8, not \\uXXXX escapes."""

    ensure_ascii = False


class ProblemApi(Api):
    """flask-smorest's Api, documenting errors as they are sent: problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_pagination_header(self):
        """``X-Pagination`` (``@blp.paginate()``) carries JSON: documented as a header with
        JSON ``content``, not a ``schema``, which would mean the simple style (k,v,k,v)."""
        self.spec.components.header(
            "PAGINATION",
            {
                "description": "쪽 정보 (JSON): total, total_pages, first_page, last_page, "
                "page, previous_page, next_page",
                "content": {"application/json": {"schema": PaginationMetadataSchema}},
            },
            lazy=True,
        )

    def _register_responses(self):
        default, self.DEFAULT_RESPONSE_CONTENT_TYPE = (
            self.DEFAULT_RESPONSE_CONTENT_TYPE,
            "application/problem+json",
        )
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = default


def _local_swagger_ui(app: Flask) -> None:
    """Serve Swagger UI's files from the pip package, so docs work offline."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:  # docs without the bundle: the JSON spec still works
        return
    app.config["OPENAPI_SWAGGER_UI_URL"] = f"/{app.name}/api/v1/docs/static/"
    app.add_url_rule(
        f"/{app.name}/api/v1/docs/static/<path:filename>",
        endpoint="static_swagger_ui",
        view_func=lambda filename: _send(swagger_ui_path, filename),
    )


def _send(directory: str, filename: str):
    from flask import send_from_directory

    return send_from_directory(directory, filename)


def _health(app: Flask, service: str, runtime: Runtime) -> None:
    @app.get(f"/{service}/healthz")
    @public
    def healthz():
        return jsonify(status="ok", service=service)

    @app.get(f"/{service}/readyz")
    @public
    def readyz():
        checks: dict[str, str] = {}
        try:
            with runtime.db.read() as session:
                session.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = type(exc).__name__
        try:
            with runtime.celery.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
                conn.default_channel.client.ping()
            checks["broker"] = "ok"
        except Exception as exc:
            checks["broker"] = type(exc).__name__
        if all(v == "ok" for v in checks.values()):
            return jsonify(status="ready", service=service, checks=checks)
        failed = ", ".join(k for k, v in checks.items() if v != "ok")
        return problem_response(
            503,
            "일시적으로 서비스를 이용할 수 없습니다",
            f"연결할 수 없는 구성요소: {failed}",
            {"Retry-After": "30"},
            checks=checks,
        )
