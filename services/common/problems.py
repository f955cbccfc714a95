"""Every error as application/problem+json (RFC 9457), titled in Korean."""

from __future__ import annotations

import json
from typing import Any

import structlog
from flask import Flask, Response, has_request_context
from kombu.exceptions import OperationalError as BrokerError
from marshmallow import INCLUDE, Schema, fields
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

log = structlog.get_logger(__name__)

TITLES = {
    400: "잘못된 요청입니다",
    401: "인증이 필요합니다",
    403: "권한이 없습니다",
    404: "찾을 수 없습니다",
    405: "허용되지 않는 요청 방식입니다",
    409: "현재 상태와 충돌하는 요청입니다",
    413: "요청이 너무 큽니다",
    415: "지원하지 않는 형식입니다",
    422: "입력값을 확인해 주세요",
    429: "요청이 너무 많습니다",
    500: "서버 내부 오류가 발생했습니다",
    503: "일시적으로 서비스를 이용할 수 없습니다",
}
DETAILS = {
    400: "요청 본문을 읽을 수 없습니다. 올바른 JSON인지 확인해 주세요.",
    401: "유효한 API 토큰을 Authorization: Bearer 헤더로 보내 주세요.",
    403: "이 작업을 할 수 있는 역할의 토큰이 아닙니다.",
    404: "요청한 주소나 자료가 없습니다.",
    405: "이 주소에서 허용되지 않는 HTTP 메서드입니다.",
    413: "요청 본문이 허용된 크기(1 MiB)를 넘습니다.",
    415: "application/json 형식으로 보내 주세요.",
    422: "입력값이 올바르지 않습니다. errors 항목에서 필드별 사유를 확인해 주세요.",
    429: "잠시 후 다시 시도해 주세요.",
    500: "요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.",
}
RETRY_AFTER_SECONDS = 30


class Problem(Exception):
    """A domain error a person reads: status, Korean title and detail, extra members."""

    def __init__(self, status: int, detail: str, title: str | None = None, **extra: Any):
        super().__init__(detail)
        self.status = status
        self.title = title or TITLES.get(status, "오류")
        self.detail = detail
        self.extra = extra


def problem_response(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    from .web import error_page, wants_html

    if has_request_context() and wants_html():  # a person: a page, not JSON
        page, _ = error_page(status, title, detail)
        response = Response(page, status=status, mimetype="text/html")
    else:
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail,
                **extra}  # fmt: skip
        response = Response(
            json.dumps(jsonable(body), ensure_ascii=False, default=str),
            status=status,
            mimetype="application/problem+json",
        )
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def jsonable(value: Any) -> Any:
    """Any error structure as JSON: marshmallow keys list items by int index beside field
    names (``{0: {"name": [...]}, "_schema": [...]}``), which JSON (and sorting) refuse."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    return value


def register_problem_handlers(app: Flask) -> None:
    @app.errorhandler(Problem)
    def _domain(exc: Problem):
        return problem_response(exc.status, exc.title, exc.detail, **exc.extra)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.response is not None:  # it carries its own answer (e.g. the 429 we built)
            return exc.response
        status = exc.code or 500
        extra: dict[str, Any] = {}
        data = getattr(exc, "data", None) or {}
        if "messages" in data:
            extra["errors"] = data["messages"]
        # Werkzeug's stock descriptions are English: use ours unless the code said more.
        custom = exc.description and exc.description != type(exc).description
        detail = exc.description if custom and "errors" not in extra else None
        if status == 413 and not detail and has_request_context():
            detail = _too_large()
        detail = detail or DETAILS.get(status) or "요청을 처리할 수 없습니다."
        headers = dict(exc.get_headers()) if status == 405 else {}
        headers.pop("Content-Type", None)
        return problem_response(status, TITLES.get(status, "요청 오류"), detail, headers, **extra)

    def _unavailable(exc: Exception):
        log.warning("dependency.unavailable", error=type(exc).__name__)
        return problem_response(
            503,
            TITLES[503],
            "데이터베이스나 메시지 브로커에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.",
            {"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @app.errorhandler(DataError)
    def _data(exc: DataError):  # e.g. a NUL byte or an out-of-range value reaching PostgreSQL
        log.warning("db.data_error", error=type(exc.orig).__name__)
        return problem_response(
            422, TITLES[422], "저장할 수 없는 값이 있습니다 (허용되지 않는 문자나 범위)."
        )

    @app.errorhandler(IntegrityError)
    def _integrity(exc: IntegrityError):
        log.warning("db.integrity", error=type(exc.orig).__name__)
        return problem_response(409, TITLES[409], "이미 처리되었거나 중복된 자료입니다.")

    outages = (OperationalError, InterfaceError, PoolTimeout, BrokerError)
    for exc_type in (*outages, RedisConnectionError, RedisTimeoutError):
        app.register_error_handler(exc_type, _unavailable)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return _http(exc)
        log.exception("http.unhandled", error=type(exc).__name__)
        return problem_response(500, TITLES[500], DETAILS[500])


def _too_large() -> str | None:
    """413 with the limit of this route (photo uploads allow more than 1 MiB)."""
    from flask import request

    limit = request.max_content_length
    if not limit:
        return None
    return f"요청 본문이 허용된 크기({limit / 1024 / 1024:g} MiB)를 넘습니다."


class ProblemSchema(Schema):
    """The documented shape of every error (RFC 9457 problem details)."""

    class Meta:
        unknown = INCLUDE

    type = fields.String()
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(metadata={"description": "필드별 입력 오류"})
