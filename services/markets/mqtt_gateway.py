"""ThingsBoard's device API on the embedded broker (amqtt plugin).

A detector publishes to ``v1/devices/me/telemetry`` with its device token as the MQTT
username. A plain subscriber cannot see that username, so this plugin, running inside the
broker, passes each such message on as ``{prefix}v1/devices/<username>/telemetry``: the
topic the ingest reads, where the token is checked like any other. Deployment's Mosquitto
has no such hook: there detectors publish to the token topic directly (docs/markets-alarms.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from amqtt.plugins.base import BasePlugin

ME = "v1/devices/me/telemetry"
NOT_IN_A_TOPIC = set("/+#")


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
