"""Per-address limits on the public endpoints (intake form, ack links), on the broker's Redis.

Anyone may call a ``@public`` endpoint, so those are limited per client address; a caller
that presents a bearer token some verifier accepts (staff, machines, devices) is not. Ops
endpoints (health, readiness, metrics, API docs) are never limited.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address

from .auth import PUBLIC_ENDPOINT_PREFIXES, view_for
from .config import Settings
from .problems import TITLES, problem_response

OPS_ENDPOINTS = ("healthz", "readyz", "metrics")


def _exempt() -> bool:
    endpoint = request.endpoint or ""
    if endpoint.startswith(PUBLIC_ENDPOINT_PREFIXES) or endpoint.endswith(OPS_ENDPOINTS):
        return True
    if not getattr(view_for(current_app, endpoint), "_public", False):
        return True  # closed endpoints need a token anyway
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return False
    token = header[len("Bearer ") :].strip()
    return any(verify(token) for verify in current_app.extensions["bearer_verifiers"])


def _breached(limit: RequestLimit):
    retry_after = max(1, math.ceil(limit.reset_at - time.time()))
    return problem_response(
        429,
        TITLES[429],
        f"요청이 너무 많습니다. {retry_after}초 뒤에 다시 시도해 주세요.",
        {"Retry-After": str(retry_after)},
    )


def limiter_for(app: Flask, settings: Settings, **options) -> Limiter:
    """Per-address limits of one app, counted on the broker's Redis, answered with 429."""
    return Limiter(
        get_remote_address,  # behind the gateway, ProxyFix has set the client's address
        app=app,
        storage_uri=settings.redis_url,
        storage_options={"socket_connect_timeout": 2, "socket_timeout": 2},
        key_prefix=f"{settings.broker_key_prefix}ratelimit:{settings.service}",
        strategy="moving-window",
        swallow_errors=True,  # Redis down: serve people rather than refuse them
        on_breach=_breached,
        **options,
    )


def install_rate_limits(app: Flask, settings: Settings) -> Limiter | None:
    if not settings.public_rate_limit:
        return None
    return limiter_for(app, settings, default_limits=[settings.public_rate_limit],
                       default_limits_exempt_when=_exempt)  # fmt: skip
