"""An argument schema given to ``@blp.arguments`` as a class is built once, not per request,
and still validates every request on its own (services.common.arguments)."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields

import services.common  # noqa: F401  (keeps schema instances)


class Counted(Schema):
    built = 0
    name = fields.String(required=True)

    def __init__(self, *args, **kwargs):
        type(self).built += 1
        super().__init__(*args, **kwargs)


def app_with(schema) -> Flask:
    app = Flask(__name__)
    app.config.update(API_TITLE="t", API_VERSION="v1", OPENAPI_VERSION="3.0.3")
    blp = Blueprint("things", __name__)

    @blp.route("/things", methods=["POST"])
    @blp.arguments(schema)
    @blp.response(200)
    def post(data):
        return data

    Api(app).register_blueprint(blp)
    return app


def test_a_schema_class_is_built_once_for_all_requests():
    client = app_with(Counted).test_client()
    before = Counted.built
    answers = [client.post("/things", json={"name": f"n{i}"}) for i in range(5)]
    assert [a.get_json() for a in answers] == [{"name": f"n{i}"} for i in range(5)]
    assert Counted.built - before <= 1


def test_the_kept_instance_reports_each_requests_own_errors():
    client = app_with(Counted).test_client()
    bad = client.post("/things", json={})
    assert bad.status_code == 422
    assert "name" in bad.get_json()["errors"]["json"]
    good = client.post("/things", json={"name": "ok"})
    assert good.status_code == 200 and good.get_json() == {"name": "ok"}
    again = client.post("/things", json={"name": 3})
    assert again.status_code == 422 and list(again.get_json()["errors"]["json"]) == ["name"]
