"""The one shared contract between services: the message envelope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate


class InvalidMessage(ValueError):
    """A message that no retry can make valid; it goes to the dead-letter store."""


@dataclass(frozen=True)
class Envelope:
    type: str
    payload: dict[str, Any]
    producer: str
    version: int = 1
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "version": self.version,
            "occurred_at": self.occurred_at.astimezone(UTC).isoformat(),
            "producer": self.producer,
            "payload": self.payload,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Envelope:
        try:
            loaded = _EnvelopeSchema().load(data)
        except ValidationError as exc:
            raise InvalidMessage(f"envelope: {exc.messages}") from exc
        return cls(**loaded)


class _EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]+\.[a-z_]+(\.[a-z_]+)*$"))
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True, default_timezone=UTC)
    producer = fields.String(required=True, validate=validate.Length(min=1))
    payload = fields.Dict(required=True)

    def load(self, *args, **kwargs):  # id back to str for the dataclass
        loaded = super().load(*args, **kwargs)
        loaded["id"] = str(loaded["id"])
        return loaded


def load_payload(schema: Schema, envelope: Envelope) -> dict[str, Any]:
    """Consumer side: read only the fields it owns (unknown ones excluded)."""
    try:
        return schema.load(envelope.payload, unknown=EXCLUDE)
    except ValidationError as exc:
        raise InvalidMessage(f"{envelope.type} v{envelope.version}: {exc.messages}") from exc
