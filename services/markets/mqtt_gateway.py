"""ThingsBoard's device API on the embedded broker (amqtt plugins).

- ``DeviceAuthPlugin``: CONNECT is refused unless the username is a current device token
  (checked against the markets database, hashed, not revoked) or the ingest's own
  username and password. A forged or revoked token never gets a session.
- ``DeviceTopicPlugin``: a device may only publish its own readings, to
  ``v1/devices/me/telemetry`` or to its token's topic, and may subscribe to nothing;
  only the ingest reads.
- ``DeviceApiPlugin``: a message on ``v1/devices/me/telemetry`` is passed on as
  ``{prefix}v1/devices/<username>/telemetry``, the topic the ingest reads, where the token
  is checked again like any other (a token revoked after CONNECT is refused there).

Deployment's Mosquitto has no such hooks: there detectors publish to the token topic
directly and the ingest refuses unknown tokens (docs/markets-alarms.md).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from dataclasses import dataclass

from amqtt.contexts import Action
from amqtt.plugins.base import BaseAuthPlugin, BasePlugin, BaseTopicPlugin

ME = "v1/devices/me/telemetry"
NOT_IN_A_TOPIC = set("/+#")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class DeviceAuthPlugin(BaseAuthPlugin):
    @dataclass
    class Config:
        database_url: str = ""
        ingest_username: str = "ingest"
        ingest_password_sha256: str = ""

    def __init__(self, context) -> None:
        super().__init__(context)
        self._db = None

    def _database(self):
        if self._db is None:
            from services.common.db import Database

            self._db = Database(self.config.database_url)
        return self._db

    def _is_device(self, token: str) -> bool:
        from .service_layer.devices import lookup

        return lookup(self._database(), token) is not None

    async def authenticate(self, *, session) -> bool:
        username, password = session.username or "", session.password or ""
        if username == self.config.ingest_username:
            expected = self.config.ingest_password_sha256
            return bool(expected) and hmac.compare_digest(_sha256(password), expected)
        if not username or NOT_IN_A_TOPIC & set(username):
            return False
        try:
            return await asyncio.to_thread(self._is_device, username)
        except Exception:  # the database is away: refuse, the detector retries
            self.context.logger.exception("device token check failed")
            return False


class DeviceTopicPlugin(BaseTopicPlugin):
    @dataclass
    class Config:
        prefix: str = ""
        ingest_username: str = "ingest"

    async def topic_filtering(self, *, session=None, topic=None, action=None) -> bool:
        username = getattr(session, "username", None) or ""
        if username == self.config.ingest_username:
            return True
        if action == Action.PUBLISH:
            return topic in (ME, f"{self.config.prefix}v1/devices/{username}/telemetry")
        return False  # devices read nothing


class DeviceApiPlugin(BasePlugin):
    @dataclass
    class Config:
        prefix: str = ""

    async def on_broker_message_received(self, *, client_id: str, message) -> None:
        if message.topic != ME:
            return
        session = self.context.get_session(client_id)
        username = getattr(session, "username", None) or ""
        if not username or NOT_IN_A_TOPIC & set(username):
            return  # no token: nothing to attribute the reading to (the ingest never sees it)
        topic = f"{self.config.prefix}v1/devices/{username}/telemetry"
        await self.context.broadcast_message(topic, bytes(message.data), qos=1)
