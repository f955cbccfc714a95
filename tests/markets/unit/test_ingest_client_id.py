"""The ingest's MQTT client id cannot be guessed without its password (amqtt closes a
connected client when a CONNECT with its id arrives, before checking that CONNECT)."""

from services.markets.ingest import client_id


def test_the_id_is_stable_for_a_password_and_unguessable_without_it():
    first = client_id("s3cret-password")
    assert first == client_id("s3cret-password")  # the persistent session survives restarts
    assert first != client_id("another-password")
    assert "s3cret" not in first and first != "ydp-markets-ingest-main"
    assert client_id("s3cret-password", "test/").startswith("ydp-markets-ingest-test/-")
    assert client_id(None) == "ydp-markets-ingest-main-open"  # an open broker: nothing to hide
