"""One local address for the four services (the embedded ``make run``).

Each app already serves its own prefix (``/budget/...``), so routing is by the first
path segment with nothing rewritten; in deployment nginx does the same job.
"""

from __future__ import annotations

import importlib

from flask import Flask, render_template_string

from services.common.config import SERVICES

INDEX = """<!doctype html><html lang="ko"><meta charset="utf-8">
<title>영등포구 일자리경제과 업무 시스템</title>
<h1>영등포구 일자리경제과 업무 시스템</h1>
<p><a href="/applicants/apply/">공공일자리 참여 신청</a></p>
<ul>{% for s, title in services %}
<li><b>{{ title }}</b> — <a href="/{{ s }}/api/v1/docs">API 문서</a>,
 <a href="/{{ s }}/readyz">상태</a></li>{% endfor %}
</ul></html>"""


class Gateway:
    def __init__(self, apps: dict[str, Flask]):
        self.apps = apps
        self.index = Flask("gateway")
        titles = [(s, a.config["API_TITLE"]) for s, a in apps.items()]
        self.index.add_url_rule(
            "/", "index", lambda: render_template_string(INDEX, services=titles)
        )

    def __call__(self, environ, start_response):
        segment = environ.get("PATH_INFO", "/").lstrip("/").split("/", 1)[0]
        app = self.apps.get(segment, self.index)
        return app(environ, start_response)


def create_gateway() -> Gateway:
    return Gateway({s: importlib.import_module(f"services.{s}").create_app() for s in SERVICES})
