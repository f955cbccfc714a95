"""The baseline of bench/applicants_intake.py: a bare Flask endpoint that validates the same
JSON with the same schema and inserts one row into the same database, nothing else (no
RRN parsing, encryption, keyed hashes, rules, audit, outbox or publish)."""

from __future__ import annotations

import os
import uuid

from flask import Flask, jsonify, request
from marshmallow import ValidationError
from sqlalchemy import JSON, Column, MetaData, String, Table, create_engine

from services.applicants.api.application_schemas import ApplicationInSchema
from services.common.db import Database

metadata = MetaData()
bare_applications = Table(
    "bare_applications",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("recruitment_id", String(36), nullable=False),
    Column("body", JSON, nullable=False),
)


def create_schema(url: str) -> None:
    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()


def create_app() -> Flask:
    app = Flask("bare_intake")
    db = Database(os.environ["APPLICANTS_DATABASE_URL"])
    schema = ApplicationInSchema()

    @app.post("/bare/recruitments/<recruitment_id>/applications")
    def submit(recruitment_id):
        try:
            data = schema.load(request.get_json())
        except ValidationError as exc:
            return jsonify(errors=exc.messages), 422
        row = {"id": str(uuid.uuid4()), "recruitment_id": recruitment_id, "body": data}
        with db.transaction() as session:
            session.execute(bare_applications.insert().values(**row))
        return jsonify(id=row["id"]), 201

    @app.get("/applicants/healthz")
    def health():
        return "ok"

    return app
