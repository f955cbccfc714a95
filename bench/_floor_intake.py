"""The "floor" of bench/applicants_intake.py: the applicants app exactly as served (the same
create_service_app: flask-smorest, webargs, auth, the public rate limit, security headers,
logging, metrics) with one more public endpoint that validates the same JSON with the
same schema and inserts one row, as the bare baseline does, and nothing else.

Its rate beside the bare endpoint's is the ceiling the framework leaves the intake: no
amount of work taken out of the intake itself can bring ours above it."""

from __future__ import annotations

import dataclasses
import uuid

from flask import current_app
from flask_smorest import Blueprint

from bench._bare_intake import bare_applications
from services.applicants.api.application_schemas import ApplicationInSchema
from services.common.auth import public

blp = Blueprint("floor", __name__, url_prefix="/floor")


@blp.route("/recruitments/<string:recruitment_id>/applications", methods=["POST"])
@blp.arguments(ApplicationInSchema)
@blp.response(201)
@public
def submit(data, recruitment_id):
    row = {"id": str(uuid.uuid4()), "recruitment_id": recruitment_id, "body": data}
    with current_app.extensions["runtime"].db.transaction() as session:
        session.execute(bare_applications.insert().values(**row))
    return {"id": row["id"]}


def create_app():
    from services.applicants.spec import SPEC
    from services.common.app import create_service_app

    return create_service_app(dataclasses.replace(SPEC, blueprints=[*SPEC.blueprints, blp]))
