"""Structured JSON logs with a correlation id, and Prometheus metrics per service."""

from __future__ import annotations

import logging
import sys
import time
import uuid

import structlog
from flask import Flask, Response, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

_configured = False


def configure_logging(level: str = "INFO") -> None:
    """One JSON line per record on stdout, for our own logs and for libraries' (Celery's
    task lines included), each with the correlation id bound for the request or message."""
    global _configured
    if _configured:
        return
    _configured = True
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(ensure_ascii=False),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)


class _MessagingCollector:
    def __init__(self, service: str, runtime):
        self.service = service
        self.runtime = runtime

    def collect(self):
        pending = GaugeMetricFamily(
            "outbox_unpublished", "Outbox rows not yet published", labels=["service"]
        )
        dead = GaugeMetricFamily(
            "dead_letters_open", "Dead letters not yet replayed", labels=["service"]
        )
        try:
            pending.add_metric([self.service], self.runtime.relay.pending())
            dead.add_metric([self.service], len(self.runtime.dead_letters.list(limit=10_000)))
        except Exception:  # a scrape during an outage reports what it can
            return
        yield pending
        yield dead


def install_observability(app: Flask, service: str, runtime) -> None:
    registry = CollectorRegistry()
    requests = Counter(
        "http_requests_total",
        "HTTP requests",
        ["service", "method", "endpoint", "status"],
        registry=registry,
    )
    latency = Histogram(
        "http_request_duration_seconds",
        "HTTP request latency",
        ["service", "endpoint"],
        registry=registry,
    )
    registry.register(_MessagingCollector(service, runtime))
    log = structlog.get_logger("http")

    @app.before_request
    def _start():
        g.started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(correlation_id=g.request_id, service=service)

    @app.after_request
    def _finish(response: Response):
        endpoint = request.endpoint or "unknown"
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        requests.labels(service, request.method, endpoint, response.status_code).inc()
        latency.labels(service, endpoint).observe(elapsed)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        log.info(
            "http.request",
            method=request.method,
            endpoint=endpoint,
            status=response.status_code,
            ms=round(elapsed * 1000, 1),
        )
        return response

    @app.get(f"/{service}/metrics")
    def metrics():
        return Response(generate_latest(registry), mimetype="text/plain; version=0.0.4")

    metrics._public = True  # type: ignore[attr-defined]
