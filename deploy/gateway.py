"""One local address for the four services (the embedded ``make run``).

Each app already serves its own prefix (``/budget/...``), so routing is by the first
path segment with nothing rewritten; in deployment nginx does the same job.
"""

from __future__ import annotations

import importlib

from flask import Flask

from services.common.config import SERVICES


class Gateway:
    def __init__(self, apps: dict[str, Flask], index: Flask):
        self.apps = apps
        self.index = index  # the sign-in app: /, /login, /logout, /static/common

    def __call__(self, environ, start_response):
        segment = environ.get("PATH_INFO", "/").lstrip("/").split("/", 1)[0]
        app = self.apps.get(segment, self.index)
        return app(environ, start_response)


def create_gateway() -> Gateway:
    from services.common.signin import create_signin_app

    apps = {s: importlib.import_module(f"services.{s}").create_app() for s in SERVICES}
    return Gateway(apps, create_signin_app())
