import pytest
from cryptography.fernet import Fernet, InvalidToken

from services.common.pii import PiiVault


def vault(hash_key="k1"):
    return PiiVault(Fernet.generate_key().decode(), hash_key)


def test_round_trip_and_ciphertext_hides_value():
    v = vault()
    token = v.encrypt("900101-1234567")
    assert "900101" not in token
    assert v.decrypt(token) == "900101-1234567"
    assert v.encrypt("900101-1234567") != token  # randomised


def test_another_key_cannot_read():
    with pytest.raises(InvalidToken):
        vault().decrypt(vault().encrypt("010-1234-5678"))


def test_keyed_hash_depends_on_key_and_purpose():
    a, b = vault("k1"), vault("k2")
    assert a.key("person", "x") == a.key("person", "x")
    assert a.key("person", "x") != a.key("household", "x")
    assert a.key("person", "x") != b.key("person", "x")
    assert "k1" not in repr(a)
